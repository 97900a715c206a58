/** The public form scaffold writes into helpers.py: public names, the same bodies, checked dependencies. */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { torchCheckpoint } from '../../src/python-library/checkpoint.js';
import { pyFunction } from '../../src/python-library/definition.js';
import { publicSource } from '../../src/python-library/public-module.js';
import { RUN_IDENTITY } from '../../src/python-library/run-identity.js';
import { SYSTEM_PYTHON, describeWith } from '../support/components.js';

describe('publicSource', () => {
  const source = publicSource([...RUN_IDENTITY, ...torchCheckpoint(true)]);

  test('renames every expkit name it defines, where it is defined and where it is used', () => {
    expect(source).toMatch(/^NOT_CONFIG = \("resume", /m);
    expect(source).toMatch(/^_run_dirs = \{\}$/m);
    expect(source).toContain('def run_dir(base_dir, script, config=None):');
    expect(source).toContain('    if key not in _run_dirs:');
    expect(source).toContain('    return os.path.join(run_dir(base_dir, script, config), name)');
    expect(source).toContain('    state = load_checkpoint(path)');
    expect(source).toContain('    if fresh_start():');
    expect(source).not.toMatch(/(?<!")_expkit_|_EXPKIT_/);
  });

  test('leaves a name inside a string alone: the instrumented script\'s step counter is looked up by name', () => {
    expect(source).toContain('steps = globals().get("_expkit_state")');
  });

  test('drops instrument\'s "(added by expkit)" from docstrings and keeps the imports inside each function', () => {
    expect(source).not.toContain('added by expkit');
    expect(source).toContain('def fresh_start():\n    """Whether this run was asked to start fresh: --no-resume or EXPKIT_RESUME=0."""\n    import os\n    import sys\n');
  });

  test('a definition using one that is not given is an error naming both', () => {
    expect(() => publicSource(torchCheckpoint(true))).toThrow(/_expkit_resume uses _expkit_fresh_start, which is not among the definitions/);
    expect(() => publicSource([pyFunction('f', ['def _expkit_f():', '    return _expkit_g()'])])).toThrow(/_expkit_f uses _expkit_g/);
  });

  describeWith('python3 (/usr/bin/python3)', existsSync(SYSTEM_PYTHON))('with Python', () => {
    test('compiles and defines the public names', () => {
      const check = 'import sys\nns = {}\nexec(compile(sys.argv[1], "helpers", "exec"), ns)\nprint(sorted(k for k in ns if not k.startswith("__")))';
      const out = spawnSync(SYSTEM_PYTHON, ['-c', check, source], { encoding: 'utf8' });
      expect(out.stderr).toBe('');
      expect(out.stdout.trim()).toBe(
        "['NOT_CONFIG', '_loaded', '_run_dirs', 'carried_values', 'checkpoint_file', 'checkpoint_run_id', 'fresh_start', 'load_checkpoint', 'resume_checkpoint', 'run_dir', 'save_checkpoint', 'set_aside']",
      );
    });
  });
});
