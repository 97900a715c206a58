/**
 * The generated code of every template compiles and is clean under pyflakes and black, and
 * run.sh under bash -n and shellcheck, with default values and with hostile spec values,
 * and rendering never executes a spec value.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { FRAMEWORKS } from '../../src/scaffold/types.js';
import { SYSTEM_PYTHON, commandExists, describeWith, pythonHas } from '../support/components.js';
import { hostileSpecData, tempDir, writeScaffold } from '../support/scaffold.js';

const project = tempDir();
const marker = join(project, 'pwned');
const variants: Array<[string, Record<string, unknown> | null]> = [['default', null], ['hostile', hostileSpecData(marker)]];
const dirs: string[] = [];
for (const framework of FRAMEWORKS) {
  for (const [name, data] of variants) {
    const sub = join(project, `${framework}-${name}`);
    const spec = data ? { path: 'experiments/x.md', data, frontmatterLine: 2 } : null;
    dirs.push(writeScaffold(sub, { slug: `lint-${framework}`, framework, spec }));
  }
}
const pyFiles = dirs.flatMap((d) => readdirSync(d).filter((f) => f.endsWith('.py')).map((f) => join(d, f)));
const run = (cmd: string, args: string[]) => spawnSync(cmd, args, { encoding: 'utf8' });


describeWith('python3 (/usr/bin/python3)', existsSync(SYSTEM_PYTHON))('generated Python compiles', () => {
  test('every file of every template, default and hostile values', () => {
    expect(pyFiles.length).toBeGreaterThanOrEqual(FRAMEWORKS.length * 2 * 4);
    const out = run(SYSTEM_PYTHON, ['-m', 'py_compile', ...pyFiles]);
    expect(out.stderr).toBe('');
    expect(out.status).toBe(0);
  });

  test('hostile values land as inert Python literals', () => {
    const hostileHf = dirs.find((d) => d.includes('hf-trainer-hostile'))!;
    const script = `import ast, sys
src = open(sys.argv[1]).read()
tree = ast.parse(src)
for node in tree.body:
    if isinstance(node, ast.Assign) and node.targets[0].id == "HYPERPARAMETERS":
        print(repr(ast.literal_eval(node.value)["model_name_or_path"]))`;
    const out = run(SYSTEM_PYTHON, ['-c', script, join(hostileHf, 'train.py')]);
    expect(out.status).toBe(0);
    const payload = (hostileSpecData(marker).setup as Record<string, string>).model;
    const expected = run(SYSTEM_PYTHON, ['-c', 'import sys; print(repr(sys.argv[1]))', payload]).stdout;
    expect(out.stdout).toBe(expected);
  });
});

describeWith('pyflakes (python3-pyflakes)', pythonHas('pyflakes'))('pyflakes', () => {
  test('reports nothing', () => {
    const out = run(SYSTEM_PYTHON, ['-m', 'pyflakes', ...pyFiles]);
    expect(out.stdout + out.stderr).toBe('');
    expect(out.status).toBe(0);
  });
});

describeWith('black', commandExists('black'))('black', () => {
  test('--check finds nothing to reformat', () => {
    const out = run('black', ['--check', '--quiet', ...pyFiles]);
    expect(out.stderr).toBe('');
    expect(out.status).toBe(0);
  });
});

describe('run.sh', () => {
  test.each(dirs.map((d) => [d.split('/').slice(-4, -3)[0], d]))('%s passes bash -n', (_name, dir) => {
    const out = run('bash', ['-n', join(dir, 'run.sh')]);
    expect(out.stderr).toBe('');
    expect(out.status).toBe(0);
  });
});

describeWith('shellcheck', commandExists('shellcheck'))('shellcheck', () => {
  test('run.sh of every template is clean', () => {
    const out = run('shellcheck', dirs.map((d) => join(d, 'run.sh')));
    expect(out.stdout).toBe('');
    expect(out.status).toBe(0);
  });
});

test('rendering and checking executed no spec value', () => {
  expect(existsSync(marker)).toBe(false);
});
