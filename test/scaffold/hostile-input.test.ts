/**
 * `expkit scaffold` with specs and paths an attacker (or an accident) would give it: one line,
 * the documented exit code (README: 2 bad input, 3 a path in the way), nothing written, no hang;
 * and text PyYAML would misread is written so that it reads it back exactly.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../support/cli.js';
import { describeWith, pythonHas, SYSTEM_PYTHON } from '../support/components.js';
import { tempDir } from '../support/scaffold.js';
import { counted } from '../support/attack-figures.js';

function project(spec?: string): string {
  const dir = tempDir();
  mkdirSync(join(dir, 'experiments'));
  if (spec !== undefined) writeFileSync(join(dir, 'experiments', 'exp.md'), spec);
  return dir;
}

/** Every entry under `dir`, relative, sorted: "nothing written" is this list unchanged. */
function tree(dir: string, at = ''): string[] {
  return readdirSync(join(dir, at), { withFileTypes: true })
    .flatMap((e) => {
      const rel = at ? `${at}/${e.name}` : e.name;
      return e.isDirectory() ? [rel, ...tree(dir, rel)] : [rel];
    })
    .sort();
}

async function refused(dir: string, args: string[], exitCode: number, message: RegExp): Promise<void> {
  const before = tree(dir);
  // A hang (FIFO, /dev/zero) fails the test through this timeout, not jest's.
  const out = await runCli(['scaffold', 'exp', ...args], { cwd: dir, timeout: 20_000 });
  expect(out.exitCode).toBe(exitCode);
  expect(out.stderr.split('\n')[0]).toMatch(message);
  expect(out.stderr).not.toMatch(/internal error/);
  expect(tree(dir)).toEqual(before);
}

/** Nine levels of nine aliases each: 9^9 "lol"s when expanded. */
const LAUGHS = [
  '---',
  'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
  ...Array.from({ length: 8 }, (_, i) => {
    const name = String.fromCharCode(98 + i);
    const below = String.fromCharCode(97 + i);
    return `${name}: &${name} [${Array(9).fill(`*${below}`).join(',')}]`;
  }),
  '---',
  '',
].join('\n');

describe('scaffold refuses hostile input with one line, changing nothing', () => {
  test('a value that contains itself through a YAML alias (exit 2)', counted('hostile scaffold spec', async () => {
    await refused(project('---\nnotes: &a\n  - x\n  - *a\n---\n'), [], 2, /^expkit: field "notes\.1" in .*exp\.md contains itself \(a YAML alias to an enclosing value\); nothing written$/);
  }));

  test('a billion-laughs spec (exit 2)', counted('hostile scaffold spec', async () => {
    await refused(project(LAUGHS), [], 2, /^expkit: malformed frontmatter in .*exp\.md: .*alias/i);
  }));

  test('--spec naming a directory, a FIFO, /dev/zero (exit 2, no hang)', counted('hostile scaffold spec', async () => {
    const dir = project();
    mkdirSync(join(dir, 'specdir'));
    expect(spawnSync('mkfifo', [join(dir, 'fifo')]).status).toBe(0);
    await refused(dir, ['--spec', 'specdir'], 2, /^expkit: the spec specdir is a directory, not a Markdown file$/);
    await refused(dir, ['--spec', 'fifo'], 2, /^expkit: the spec fifo is not a regular file/);
    await refused(dir, ['--spec', '/dev/zero'], 2, /^expkit: the spec \/dev\/zero is not a regular file/);
  }));

  test('experiments/code/SLUG being a file (exit 3, as README says for a path in the way)', counted('hostile scaffold spec', async () => {
    const dir = project();
    mkdirSync(join(dir, 'experiments', 'code'));
    writeFileSync(join(dir, 'experiments', 'code', 'exp'), 'mine\n');
    await refused(dir, [], 3, /^expkit: .*experiments\/code\/exp exists and is not a folder, and the experiment goes in it; nothing written$/);
    expect(readFileSync(join(dir, 'experiments', 'code', 'exp'), 'utf8')).toBe('mine\n');
  }));

  test('a duplicate key is still an error naming its line (the check is now linear)', counted('hostile scaffold spec', async () => {
    await refused(project('---\ntitle: x\nhyperparameters:\n  a: 1\n  a: 2\n---\n'), [], 2, /^expkit: malformed frontmatter in .*exp\.md at line 5: Map keys must be unique$/);
  }));
});

describeWith("PyYAML for Debian's python3", pythonHas('yaml'))('config.yaml as PyYAML reads it', () => {
  test('text with U+2028, U+2029, U+0085, C1 controls, DEL and a BOM comes back exactly', counted('hostile scaffold spec', async () => {
    const tricky = 'a\u2028b\u2029c\u0085d\u0080e\u009ff\u007fg\ufeffh\\\u2028i "q" \'s\' #x: y';
    const spec = { title: tricky, notes: { 'k\u2028ey': tricky }, hyperparameters: { note: tricky }, extra_hyperparameters: ['note'] };
    const dir = project(`---\n${JSON.stringify(spec)}\n---\n`);
    const out = await runCli(['scaffold', 'exp'], { cwd: dir });
    expect([out.exitCode, out.stderr]).toEqual([0, '']);
    const config = join(dir, 'experiments', 'code', 'exp', 'config.yaml');
    const read = 'import json,sys,yaml; c=yaml.safe_load(open(sys.argv[1],encoding="utf-8")); print(json.dumps([c["experiment"]["title"], c["experiment"]["extra"], c["hyperparameters"]["note"]]))';
    const py = spawnSync(SYSTEM_PYTHON, ['-c', read, config], { encoding: 'utf8' });
    expect(py.stderr).toBe('');
    expect(JSON.parse(py.stdout)).toEqual([tricky, { notes: spec.notes }, tricky]);
  }));
});
