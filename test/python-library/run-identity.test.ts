/**
 * Run identity, run for real: a run's folder follows its script, configuration and seed, not where
 * it writes or the objects in scope, and the same for every call in a process.
 */
import { existsSync } from 'node:fs';
import { CHECKPOINT_FILE, FRESH_START, NOT_CONFIG, RUN_DIR, SET_ASIDE } from '../../src/python-library/run-identity.js';
import { SYSTEM_PYTHON, describeWith } from '../support/components.js';
import { runLibrary } from '../support/python-library.js';

const LIBRARY = [NOT_CONFIG, FRESH_START, RUN_DIR, CHECKPOINT_FILE];

describeWith('python3 (/usr/bin/python3)', existsSync(SYSTEM_PYTHON))('run_dir', () => {
  test('from a configuration: settings and seed count; output settings and objects do not', () => {
    const out = runLibrary(LIBRARY, `import sys
def folder(config, script="train"):
    _run_dirs.clear()
    return run_dir("ck", script, config)
a = folder({"lr": 0.1, "seed": 3, "output_dir": "out1", "model": object()})
assert a.startswith("ck/train/3-") and len(a.rsplit("-", 1)[1]) == 12, a
assert folder({"lr": 0.1, "seed": 3, "output_dir": "out2", "resume": True, "wandb_project": "p"}) == a
assert folder({"lr": 0.2, "seed": 3}) != a
assert folder({"lr": 0.1, "seed": 4}).startswith("ck/train/4-")
assert folder({"lr": 0.1, "seed": 3}, "other").startswith("ck/other/3-")
assert checkpoint_file("ck", "other", {"lr": 0.2}) == folder({"lr": 0.1, "seed": 3}, "other") + "/last.pt", "cached per process"
print("ok")`);
    expect(out.stderr).toBe('');
    expect(out.stdout).toBe('ok\n');
  });

  test('from the command line when no configuration is in scope', () => {
    const folder = (args: string[], env: Record<string, string> = {}) => {
      const out = runLibrary(LIBRARY, 'print(run_dir("ck", "train"))', { args, env });
      expect(out.stderr).toBe('');
      return out.stdout.trim();
    };
    const a = folder(['--lr', '0.1', '--seed', '3', '--output-dir', 'o1']);
    expect(a).toMatch(/^ck\/train\/3-[0-9a-f]{12}$/);
    expect(folder(['--lr', '0.1', '--seed', '3', '--output-dir', 'o2', '--no-resume'])).toBe(a);
    expect(folder(['--lr', '0.2', '--seed', '3'])).not.toBe(a);
    expect(folder(['--lr', '0.1'])).toMatch(/^ck\/train\/none-/);
    expect(folder(['--lr', '0.1'], { EXPKIT_SEED: '5' })).toMatch(/^ck\/train\/5-/);
  });
});

describeWith('python3 (/usr/bin/python3)', existsSync(SYSTEM_PYTHON))('set_aside', () => {
  test('never overwrites: fresh starts within one second keep every old file; a file another rank moved first is no error', () => {
    const out = runLibrary([SET_ASIDE], `import os, sys, tempfile
d = tempfile.mkdtemp()
path = os.path.join(d, "last.pt")
for n in range(3):
    with open(path, "w") as f:
        f.write(str(n))
    set_aside(path)
set_aside(path)  # gone already: a DDP rank set it aside first
kept = sorted(open(os.path.join(d, f)).read() for f in os.listdir(d))
assert kept == ["0", "1", "2"], kept
print("ok")`);
    expect(out.stderr).toBe('');
    expect(out.stdout.split('\n').filter((l) => l === 'ok')).toEqual(['ok']);
  });
});
