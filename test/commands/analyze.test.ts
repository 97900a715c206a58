/** `expkit analyze` as a user runs it: the JSON contract, project mode, and every bad input. */
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { BIN, runCli } from '../support/cli.js';
import { tempDir as makeTempDir } from '../support/temp.js';

const TOP_LEVEL_KEYS = ['config', 'distributed', 'evalPoints', 'existing', 'exitPoints', 'file', 'framework', 'imports', 'parseErrors', 'schemaVersion', 'trainLoops'];

const TRAIN = `import argparse
import torch


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--lr", type=float, default=0.1)
    args = parser.parse_args()
    model = torch.nn.Linear(2, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=args.lr)
    for step in range(3):
        loss = model(torch.ones(1, 2)).sum()
        loss.backward()
        optimizer.step()


if __name__ == "__main__":
    main()
`;

function tempDir(): string {
  return makeTempDir('expkit-analyze-');
}

function sha(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

describe.each(['native', 'wasm'])('expkit analyze (EXPKIT_PARSER=%s)', (backend) => {
  const env = { EXPKIT_PARSER: backend };

  test('--json prints exactly the documented top-level keys', async () => {
    const dir = tempDir();
    const file = join(dir, 'train.py');
    writeFileSync(file, TRAIN);
    const r = await runCli(['analyze', file, '--json'], { env });
    expect(r.exitCode).toBe(0);
    const a = JSON.parse(r.stdout);
    expect(Object.keys(a).sort()).toEqual(TOP_LEVEL_KEYS);
    expect(a.schemaVersion).toBe(1);
    expect(a.file).toBe(file);
    expect(a.config).toMatchObject({ kind: 'argparse', parserVar: 'parser', createdLine: 6, parseLine: 8, argsVar: 'args' });
    expect(a.trainLoops[0]).toMatchObject({ kind: 'for', line: 11, endLine: 14, function: 'main', outer: null });
    expect(a.exitPoints).toMatchObject({ mainGuardLine: 17, mainFunction: 'main', mainFunctionLine: 5, mainFunctionEndLine: 14 });
    expect(r.stderr).toBe('');
  });

  test('the human report shows each finding with its line and source', async () => {
    const dir = tempDir();
    const file = join(dir, 'train.py');
    writeFileSync(file, TRAIN);
    const r = await runCli(['analyze', file], { env });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('framework: pytorch');
    expect(r.stdout).toMatch(/13 │ loss\.backward\(\)\s+← backward/);
    expect(r.stdout).toMatch(/14 │ optimizer\.step\(\)\s+← optimizer-step/);
    expect(r.stdout).toMatch(/7 │ parser\.add_argument\("--lr", type=float, default=0\.1\)/);
  });

  test('a directory lists ranked entry points; --json gives the per-file objects', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'src'));
    writeFileSync(join(dir, 'src', 'train.py'), TRAIN);
    writeFileSync(join(dir, 'src', 'utils.py'), 'def helper(x):\n    return x + 1\n');
    writeFileSync(join(dir, 'main.py'), 'import torch\nprint(torch.ones(1))\n');
    mkdirSync(join(dir, '.venv'));
    writeFileSync(join(dir, '.venv', 'train.py'), TRAIN);
    const human = await runCli(['analyze', dir], { env, cwd: dir });
    expect(human.exitCode).toBe(0);
    const lines = human.stdout.split('\n').filter((l) => /^\s+\d+\./.test(l));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain('src/train.py');
    expect(lines[0]).toContain('for loop at line 11 in main()');
    expect(lines[1]).toContain('main.py');
    const json = await runCli(['analyze', '--json', dir], { env, cwd: dir });
    const arr = JSON.parse(json.stdout);
    expect(arr.map((a: { file: string }) => a.file)).toEqual([join(dir, 'src', 'train.py'), join(dir, 'main.py')].map((p) => p.slice(dir.length + 1)));
    for (const a of arr) expect(Object.keys(a).sort()).toEqual(TOP_LEVEL_KEYS);
  });

  describe('bad input: one line, non-zero exit, file untouched', () => {
    const cases: [string, (dir: string) => string, RegExp][] = [
      ['a missing file', (d) => join(d, 'nope.py'), /no such file: .*nope\.py/],
      ['an empty file', (d) => write(d, 'empty.py', ''), /is empty/],
      ['a whitespace-only file', (d) => write(d, 'blank.py', '\n  \n'), /is empty/],
      ['a binary file', (d) => write(d, 'model.py', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 3])), /binary file/],
      ['non-UTF-8 bytes', (d) => write(d, 'latin1.py', Buffer.from('x = "caf\xe9"\ny = 1\n', 'latin1')), /not valid UTF-8 \(byte 8, line 1\)/],
      ['a file over the size limit', (d) => write(d, 'huge.py', 'x = 1\n'.repeat(1_000_000)), /MB; expkit reads Python sources up to 5 MB/],
    ];
    test.each(cases)('%s', async (_name, make, message) => {
      const dir = tempDir();
      const file = make(dir);
      const before = safeSha(file);
      const r = await runCli(['analyze', file], { env });
      expect(r.exitCode).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
      expect(safeSha(file)).toBe(before);
    });

    test('an unreadable file', async () => {
      const dir = tempDir();
      chmodSync(dir, 0o755);
      const file = write(dir, 'secret.py', TRAIN);
      chmodSync(file, 0o000);
      // root reads anything: run as an unprivileged user so the permission check is real.
      const asRoot = process.getuid?.() === 0;
      const r = asRoot
        ? await runAs('nobody', ['analyze', file], env)
        : await runCli(['analyze', file], { env });
      expect(r.exitCode).toBe(2);
      expect(r.stderr.trim()).toBe(`expkit: cannot read ${file}: permission denied`);
      chmodSync(file, 0o644);
      expect(sha(file)).toBe(createHash('sha256').update(TRAIN).digest('hex'));
    });

    test('a directory given as a file among others is analyzed as a project; a missing one is an error', async () => {
      const dir = tempDir();
      const r = await runCli(['analyze', join(dir, 'train.py'), dir], { env });
      expect(r.exitCode).toBe(2);
      expect(r.stderr).toMatch(/no such file/);
    });
  });

  test('a syntax error is analyzed and reported with its line', async () => {
    const dir = tempDir();
    const file = write(dir, 'broken.py', 'import torch\nfor x in y:\n    loss = f(x\n    loss.backward()\n');
    const r = await runCli(['analyze', '--json', file], { env });
    expect(r.exitCode).toBe(0);
    const a = JSON.parse(r.stdout);
    expect(a.parseErrors.length).toBeGreaterThan(0);
    expect(a.parseErrors.map((e: { line: number }) => e.line)).toEqual(expect.arrayContaining([expect.any(Number)]));
    expect(a.parseErrors[0].line).toBeGreaterThanOrEqual(3);
  });
});

test('EXPKIT_PARSER with an unknown value is a usage error', async () => {
  const dir = tempDir();
  const file = write(dir, 'train.py', TRAIN);
  const r = await runCli(['analyze', file], { env: { EXPKIT_PARSER: 'fast' } });
  expect(r.exitCode).toBe(2);
  expect(r.stderr).toMatch(/EXPKIT_PARSER must be "native" or "wasm"/);
});

test('unknown options and commands are usage errors', async () => {
  expect((await runCli(['analyze', '--frobnicate', 'x.py'])).exitCode).toBe(2);
  expect((await runCli(['bogus'])).exitCode).toBe(2);
  expect((await runCli(['--help'])).exitCode).toBe(0);
});

function write(dir: string, name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

function safeSha(path: string): string | null {
  try {
    return sha(path);
  } catch {
    return null;
  }
}

async function runAs(user: string, args: string[], env: Record<string, string>) {
  const r = await execa('runuser', ['-u', user, '--', process.execPath, BIN, ...args], { reject: false, env });
  return { exitCode: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr) };
}
