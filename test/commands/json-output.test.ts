/**
 * The JSON shapes of `revert`, `logs` and `attach` (docs/json-output.md): each printed as one object
 * on real files and runs, with the keys the document shows.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { REPO_ROOT, runCli } from '../support/cli.js';
import { commandExists, describeWith } from '../support/components.js';
import { fixturePath } from '../support/fixtures.js';
import { OK_LOG, py, useProject } from '../support/runs.js';
import { tempDir } from '../support/temp.js';

/** The top-level keys of the JSON example under the document's heading that starts with `heading`. */
function documentedKeys(heading: string): string[] {
  const doc = readFileSync(join(REPO_ROOT, 'docs', 'json-output.md'), 'utf8');
  const section = doc.split(/^## /m).find((s) => s.startsWith(heading));
  const block = section && /```json\n([\s\S]*?)```/.exec(section);
  if (!block) throw new Error(`docs/json-output.md has no JSON example under "## ${heading}"`);
  return Object.keys(JSON.parse(block[1])).sort();
}

describe('revert --json', () => {
  test('says which layers came out, how, and what remains; the file is back byte for byte', async () => {
    const dir = tempDir('expkit-revert-json-');
    await execa('git', ['init', '-q'], { cwd: dir });
    const original = fixturePath('plain_mlp.py');
    const file = join(dir, 'train.py');
    copyFileSync(original, file);
    const cli = (args: string[]) => runCli(args, { cwd: dir });
    expect((await cli(['instrument', 'train.py', '--seed', '--apply', '--yes'])).exitCode).toBe(0);
    expect((await cli(['instrument', 'train.py', '--checkpoint', '--apply', '--yes'])).exitCode).toBe(0);

    const top = await cli(['revert', 'train.py', '--json']);
    expect(top.exitCode).toBe(0);
    const first = JSON.parse(top.stdout);
    expect(Object.keys(first).sort()).toEqual(documentedKeys('`expkit revert'));
    expect(first).toEqual({
      schemaVersion: 1,
      file: 'train.py',
      reverted: [{ layer: 2, kinds: ['checkpoint'], outcome: 'restored', archivedTo: expect.stringContaining(join('.expkit', 'patches', 'history')) }],
      editedCopy: null,
      remaining: [{ layer: 1, kinds: ['seed'] }],
      original: false,
    });

    const rest = JSON.parse((await cli(['revert', 'train.py', '--all', '--json', '--yes'])).stdout);
    expect(rest).toMatchObject({ reverted: [{ layer: 1, kinds: ['seed'], outcome: 'restored' }], remaining: [], original: true });
    expect(readFileSync(file).equals(readFileSync(original))).toBe(true);
  });
});

describe('logs --json and attach --json (process backend)', () => {
  const p = useProject();

  beforeAll(async () => {
    expect((await p.cli(['launch', '--backend', 'process', '--name', 'done', ...py('ok')])).exitCode).toBe(0);
    expect((await p.cli(['wait', 'done', '--timeout', '30'])).exitCode).toBe(0);
  });

  test('logs: the lines, how many there are, and the state', async () => {
    const all = await p.json(['logs', 'done']);
    expect(Object.keys(all).sort()).toEqual(documentedKeys('`expkit logs'));
    const lines = OK_LOG.split('\n').slice(0, -1);
    expect(all).toEqual({ schemaVersion: 1, name: 'done', state: 'succeeded', logPath: join(p.runDir('done'), 'output.log'), totalLines: lines.length, lines });
    expect(await p.json(['logs', 'done', '-n', '2'])).toMatchObject({ totalLines: lines.length, lines: lines.slice(-2) });
    expect(await p.json(['logs', 'done', '-n', '0'])).toMatchObject({ totalLines: lines.length, lines: [] });
  });

  test('logs -n 0 prints nothing (it printed the whole log)', async () => {
    const r = await p.cli(['logs', 'done', '-n', '0']);
    expect(r).toMatchObject({ exitCode: 0, stdout: '' });
  });

  test('logs --json cannot follow: a usage error that says what to do instead', async () => {
    const r = await p.cli(['logs', 'done', '--follow', '--json']);
    expect(r.exitCode).toBe(2);
    expect(JSON.parse(r.stdout).error).toEqual({
      message: '--json prints one object and cannot --follow',
      exitCode: 2,
      hint: 'wait for the run with `expkit wait done --json`, then read it with `expkit logs done --json`',
    });
  });

  test('attach: a process run has no terminal to attach to, said as a JSON error', async () => {
    const r = await p.cli(['attach', 'done', '--json']);
    expect(r.exitCode).toBe(2);
    expect(JSON.parse(r.stdout).error).toEqual({
      message: 'run done runs on process, which has no terminal to attach to',
      exitCode: 2,
      hint: 'follow its output with: expkit logs done -f',
    });
  });
});

describeWith('tmux', commandExists('tmux'))('attach --json (tmux backend)', () => {
  const p = useProject();

  test('prints the command that attaches, as argv and as one shell line that gives the same words', async () => {
    expect((await p.cli(['launch', '--backend', 'tmux', '--name', 'live', ...py('sleep')])).exitCode).toBe(0);
    const r = await p.cli(['attach', 'live', '--json']);
    expect(r.exitCode).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out).sort()).toEqual(documentedKeys('`expkit attach'));
    const { socket, windowId } = p.manifest('live').handle;
    expect(out).toEqual({
      schemaVersion: 1,
      name: 'live',
      backend: 'tmux',
      state: expect.stringMatching(/^(queued|running)$/),
      argv: ['tmux', '-L', socket, 'attach-session', '-t', '=experiments', ';', 'select-window', '-t', windowId],
      command: expect.any(String),
    });
    const words = spawnSync('bash', ['-c', `printf '%s\\n' ${out.command}`], { encoding: 'utf8' }).stdout.split('\n').slice(0, -1);
    expect(words).toEqual(out.argv);
    expect((await p.cli(['stop', 'live', '--grace', '1'])).exitCode).toBe(0);
  });
});
