/**
 * `expkit instrument`, `revert` and `patches`. The real planner is not on this branch yet, so
 * behaviours that need edits run the command in-process with a stand-in planner (fakePlanner,
 * reachable from tests only); refusals, bad input, status and revert run the built CLI.
 */
process.env.EXPKIT_PARSER = 'wasm'; // in-process: see testParser() in engine-support.ts

import { createHash } from 'node:crypto';
import { chmodSync, existsSync, readdirSync, readFileSync, realpathSync as realpath, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { instrumentCommand, type InstrumentCliOptions } from '../../src/commands/instrument.js';
import { runCli } from '../support/cli.js';
import { fixturePath } from '../support/fixtures.js';
import { fakeIo, fakePlanner, script } from '../instrument/engine-support.js';
import { tempDir } from '../support/temp.js';

const ORIGINAL = script({});

async function project(bytes: Buffer = ORIGINAL): Promise<{ dir: string; file: string }> {
  const dir = tempDir('expkit-instrument-');
  await execa('git', ['init', '-q'], { cwd: dir });
  const file = join(dir, 'train.py');
  writeFileSync(file, bytes);
  return { dir, file };
}

const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

/** Run the command in-process with the stand-in planner; refusals come back as exit codes. */
async function instrument(file: string, opts: InstrumentCliOptions, io = fakeIo()): Promise<{ code: number; io: ReturnType<typeof fakeIo> }> {
  const cwd = process.cwd();
  process.chdir(join(file, '..'));
  try {
    return { code: await instrumentCommand(file, opts, io, fakePlanner), io };
  } catch (err) {
    io.err(`expkit: ${(err as Error).message}\n`);
    return { code: (err as { exitCode?: number }).exitCode ?? 70, io };
  } finally {
    process.chdir(cwd);
  }
}

async function gitApplyCheck(dir: string, diff: string, ...flags: string[]): Promise<number> {
  return (await execa('git', ['apply', '--check', ...flags, '-'], { cwd: dir, input: diff, reject: false })).exitCode ?? -1;
}

describe('expkit instrument (in-process, stand-in planner)', () => {
  test('preview: stdout is only the diff, which git applies; the plan is explained on stderr; the file is untouched', async () => {
    const { dir, file } = await project();
    const { code, io } = await instrument(file, { seed: '7', wandb: true, project: 'demo', checkpoint: true });
    expect(code).toBe(0);
    expect(io.stdout.startsWith('--- a/train.py\n+++ b/train.py\n@@ ')).toBe(true);
    expect(io.stdout).toContain('+random.seed(7)  # expkit\n');
    expect(io.stdout).toContain('+print("demo")  # expkit\n');
    expect(io.stderr).toMatch(/^expkit: 2 changes to .*train\.py \(seed, wandb\):\n  line 2 +seed +seed the script\n  line 2 +wandb +track with W&B\nwarning: W&B needs `wandb login` first\nskipped checkpoint: no training loop found\nexpkit: patch id p1-[0-9a-f]{32} \(apply exactly this diff with `--apply --patch-id p1-[0-9a-f]{32}`\)\n$/);
    expect(readFileSync(file).equals(ORIGINAL)).toBe(true);
    expect(existsSync(join(dir, '.expkit'))).toBe(false);
    expect(await gitApplyCheck(dir, io.stdout)).toBe(0);
  });

  test('the diff is colored only when asked (a terminal without NO_COLOR)', async () => {
    const { file } = await project();
    const plain = (await instrument(file, { seed: true })).io.stdout;
    const colored = (await instrument(file, { seed: true }, fakeIo({ color: true }))).io.stdout;
    expect(plain).not.toContain('\x1b[');
    expect(colored).toContain('\x1b[32m+random.seed(42)  # expkit\x1b[0m');
    expect(colored.replace(/\x1b\[\d+m/g, '')).toBe(plain);
  });

  test('--json: {diff, edits, warnings, skipped}, the diff identical to the preview', async () => {
    const { file } = await project();
    const preview = (await instrument(file, { seed: true })).io.stdout;
    const { code, io } = await instrument(file, { seed: true, json: true });
    expect(code).toBe(0);
    const j = JSON.parse(io.stdout);
    expect(Object.keys(j)).toEqual(['diff', 'patchId', 'edits', 'warnings', 'skipped']);
    expect(j.diff).toBe(preview);
    expect(j.edits).toEqual([{ kind: 'seed', line: 2, reason: 'seed the script' }]);
  });

  test('--apply --yes writes, keeps a backup; a second apply finds nothing to do', async () => {
    const { dir, file } = await project();
    const first = await instrument(file, { seed: true, apply: true, yes: true });
    expect(first.code).toBe(0);
    expect(first.io.stdout).toContain('+random.seed(42)  # expkit');
    expect(first.io.stderr).toMatch(/expkit: patched .*train\.py \(seed\); original kept at .*\.expkit\/patches\/train\.py\.[0-9a-f]{8}\.orig\n/);
    expect(readFileSync(file, 'utf8')).toContain('random.seed(42)  # expkit');
    const patched = sha(file);
    const second = await instrument(file, { seed: true, apply: true, yes: true });
    expect(second.code).toBe(0);
    expect(second.io.stdout).toBe('');
    expect(second.io.stderr).toMatch(/expkit: nothing to change in .*train\.py \(expkit patched it on .*: seed\)\n$/);
    expect(sha(file)).toBe(patched);
    expect(readdirSync(join(dir, '.expkit', 'patches')).filter((n) => n.endsWith('.orig'))).toHaveLength(1);
  });

  test('--apply --json --yes adds where the record and backup are', async () => {
    const { file } = await project();
    const { code, io } = await instrument(file, { seed: true, apply: true, yes: true, json: true });
    expect(code).toBe(0);
    expect(JSON.parse(io.stdout)).toMatchObject({ applied: true, record: expect.stringMatching(/\.json$/), backup: expect.stringMatching(/\.orig$/), layer: 1 });
  });

  test('--apply without a terminal and without --yes refuses (exit 3), writing nothing', async () => {
    const { dir, file } = await project();
    const { code, io } = await instrument(file, { seed: true, apply: true });
    expect(code).toBe(3);
    expect(io.stderr).toContain('expkit: --apply asks for approval on a terminal, and there is none; nothing was changed\n');
    expect(io.stdout).toBe('');
    expect(readFileSync(file).equals(ORIGINAL)).toBe(true);
    expect(existsSync(join(dir, '.expkit'))).toBe(false);
  });

  test('--apply on a terminal shows the diff and asks: no changes nothing (exit 1), yes applies', async () => {
    const { file } = await project();
    const no = await instrument(file, { seed: true, apply: true }, fakeIo({ interactive: true, answer: false }));
    expect(no.code).toBe(1);
    expect(no.io.asked).toEqual([`Apply this patch to ${file}? [y/N] `]);
    expect(no.io.stdout).toContain('+random.seed(42)  # expkit');
    expect(readFileSync(file).equals(ORIGINAL)).toBe(true);
    const yes = await instrument(file, { seed: true, apply: true }, fakeIo({ interactive: true, answer: true }));
    expect(yes.code).toBe(0);
    expect(readFileSync(file, 'utf8')).toContain('random.seed(42)  # expkit');
  });

  test('a file changed while the user was reviewing is refused (exit 3), the change kept, nothing recorded', async () => {
    const { dir, file } = await project();
    const theirs = Buffer.concat([ORIGINAL, Buffer.from('x = 1\n')]);
    const io = fakeIo({ interactive: true, answer: () => (writeFileSync(file, theirs), true) });
    const { code } = await instrument(file, { seed: true, apply: true }, io);
    expect(code).toBe(3);
    expect(io.stderr).toContain(`expkit: ${file} changed since it was analysed; nothing was changed\n`);
    expect(readFileSync(file).equals(theirs)).toBe(true);
    expect(readdirSync(join(dir, '.expkit', 'patches'))).toEqual(['.gitignore']);
  });

  test('an already patched file edited since is refused with a pointer to revert', async () => {
    const { file } = await project();
    await instrument(file, { seed: true, apply: true, yes: true });
    // The stand-in planner plans nothing for a file with expkit lines: take them out by hand.
    const edited = readFileSync(file, 'utf8').replace(/.*# expkit\n/g, '') + 'y = 2\n';
    writeFileSync(file, edited);
    const { code, io } = await instrument(file, { seed: true, apply: true, yes: true });
    expect(code).toBe(3);
    expect(io.stderr).toMatch(/was patched by expkit \(seed, applied .*\) and has changed since; nothing was changed\n$/);
    expect(readFileSync(file, 'utf8')).toBe(edited);
  });
});

describe('expkit instrument (CLI)', () => {
  test.each([
    [[], 'say what to add: --wandb, --seed and/or --checkpoint'],
    [['--deterministic'], '--deterministic goes with --seed'],
    [['--seed', 'abc'], '--seed takes a whole number from 0 to 4294967295, not "abc"'],
    [['--seed', '-1'], '--seed takes a whole number from 0 to 4294967295, not "-1"'],
    [['--checkpoint', '--every', '0'], '--every takes a whole number from 1 to 1000000000, not "0"'],
    [['--seed', '--every', '3'], '--every goes with --checkpoint'],
    [['--project', 'p'], '--project goes with --wandb'],
    [['--wandb', '--wandb-mode', 'sometimes'], '--wandb-mode must be one of online, offline, disabled, not "sometimes"'],
    [['--wandb', '--project', 'a/b'], '--project "a/b" is not a valid W&B name (1–128 characters, none of / \\ # ? % : or quotes)'],
    [['--seed', '--yes'], '--yes goes with --apply'],
    [['--seed', '--apply', '--json'], '--apply --json cannot ask for approval: add --patch-id ID (from the preview) or --yes'],
  ])('usage error %j', async (flags, message) => {
    const { file } = await project();
    const r = await runCli(['instrument', file, ...flags]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe(`expkit: ${message}`);
    // Under --json the error is also the one object on stdout (issue 9); otherwise stdout stays empty.
    if (flags.includes('--json')) expect(JSON.parse(r.stdout)).toEqual({ schemaVersion: 1, error: { message, exitCode: 2, hint: null } });
    else expect(r.stdout).toBe('');
    expect(readFileSync(file).equals(ORIGINAL)).toBe(true);
  });

  test('bad input: missing, directory, binary, empty, not UTF-8 (exit 2, one line)', async () => {
    const { dir } = await project();
    writeFileSync(join(dir, 'bin.py'), Buffer.from([0x69, 0x00, 0x01]));
    writeFileSync(join(dir, 'empty.py'), '');
    writeFileSync(join(dir, 'latin1.py'), Buffer.from([0x78, 0x3d, 0xe9, 0x0a]));
    const cases: [string, RegExp][] = [
      [join(dir, 'nope.py'), /^expkit: no such file: .*nope\.py$/],
      [dir, /^expkit: .* is a directory, not a Python file$/],
      [join(dir, 'bin.py'), /^expkit: .*bin\.py looks like a binary file/],
      [join(dir, 'empty.py'), /^expkit: .*empty\.py is empty$/],
      [join(dir, 'latin1.py'), /^expkit: .*latin1\.py is not valid UTF-8/],
    ];
    for (const [path, message] of cases) {
      for (const extra of [[], ['--apply', '--yes']]) {
        const before = existsSync(path) && !path.endsWith(dir) ? sha(path) : null;
        const r = await runCli(['instrument', path, '--seed', ...extra]);
        expect(r.exitCode).toBe(2);
        expect(r.stderr.trim()).toMatch(message);
        expect(r.stderr.trim().split('\n')).toHaveLength(1);
        if (before) expect(sha(path)).toBe(before);
      }
    }
    expect(existsSync(join(dir, '.expkit'))).toBe(false);
  });

  test('a read-only file: preview works, --apply refuses (exit 3)', async () => {
    const { dir, file } = await project();
    chmodSync(file, 0o444);
    expect((await runCli(['instrument', file, '--seed'])).exitCode).toBe(0);
    const r = await runCli(['instrument', file, '--seed', '--apply', '--yes']);
    expect(r.exitCode).toBe(3);
    expect(r.stderr.split('\n')[0]).toBe(`expkit: ${file} is read-only (or its directory is); nothing was changed`);
    expect(readFileSync(file).equals(ORIGINAL)).toBe(true);
    expect(existsSync(join(dir, '.expkit'))).toBe(false);
  });

  test('a symlink to a file outside the project: --apply refuses (exit 3)', async () => {
    const outside = await project();
    const { dir } = await project();
    symlinkSync(outside.file, join(dir, 'link.py'));
    const r = await runCli(['instrument', 'link.py', '--seed', '--apply', '--yes'], { cwd: dir });
    expect(r.exitCode).toBe(3);
    expect(r.stderr.split('\n')[0]).toMatch(/^expkit: link\.py is a symlink to .*train\.py, outside the project .*; expkit patches files inside the project only$/);
    expect(readFileSync(outside.file).equals(ORIGINAL)).toBe(true);
  });

  test('a script that already seeds: --seed previews nothing and says where it seeds', async () => {
    const { dir, file } = await project(readFileSync(fixturePath('mnist_cnn.py')));
    const r = await runCli(['instrument', 'train.py', '--seed'], { cwd: dir });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe('');
    // torch.manual_seed at line 113; line 124's `torch.Generator().manual_seed` seeds one generator only.
    expect(r.stderr).toContain('skipped seed: the script already seeds (line 113)');
    expect(r.stderr).toContain('nothing to change in train.py');
    expect(existsSync(join(dir, '.expkit'))).toBe(false);
    expect(readFileSync(file).equals(readFileSync(fixturePath('mnist_cnn.py')))).toBe(true);
  });
});

describe('expkit revert and status (CLI, after an in-process apply)', () => {
  async function applied(bytes: Buffer = ORIGINAL) {
    const p = await project(bytes);
    const r = await instrument(p.file, { seed: true, apply: true, yes: true });
    expect(r.code).toBe(0);
    return { ...p, patched: readFileSync(p.file) };
  }

  test('--status and patches show what is applied and whether the file still matches', async () => {
    const { dir, file } = await applied();
    const human = await runCli(['instrument', '--status', 'train.py'], { cwd: dir });
    expect(human.exitCode).toBe(0);
    expect(human.stdout).toMatch(
      /^train\.py {2}seed {2}applied \d{4}-\d\d-\d\dT[\d:.]+Z {2}applied, file unchanged since\n {2}layer 1 {2}seed {8}\d{4}-\d\d-\d\dT[\d:.]+Z {2}patch [0-9a-f]{12} {2}backup \.expkit\/patches\/train\.py\.[0-9a-f]{8}\.orig\n$/,
    );
    writeFileSync(file, Buffer.concat([readFileSync(file), Buffer.from('z = 3\n')]));
    const j = await runCli(['patches', '--json'], { cwd: dir });
    expect(j.exitCode).toBe(0);
    const parsed = JSON.parse(j.stdout);
    expect(parsed.projectRoot).toBe(realpath(dir));
    expect(parsed.patches).toEqual([
      expect.objectContaining({ file: 'train.py', kinds: ['seed'], state: 'edited', record: expect.stringMatching(/\.json$/), backup: expect.stringMatching(/\.orig$/) }),
    ]);
    expect(parsed.patches[0].layers).toEqual([expect.objectContaining({ layer: 1, kinds: ['seed'], backup: parsed.patches[0].backup })]);
    const one = JSON.parse((await runCli(['instrument', file, '--status', '--json'])).stdout);
    expect(one.patches).toHaveLength(1);
    writeFileSync(join(dir, 'other.py'), 'x = 1\n');
    const none = await runCli(['patches', 'other.py'], { cwd: dir });
    expect(none.stdout).toBe(`no expkit patches recorded for other.py (project ${realpath(dir)})\n`);
  });

  test('revert restores the original byte for byte; instrument can run again', async () => {
    const { dir, file } = await applied();
    const r = await runCli(['revert', 'train.py'], { cwd: dir });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe('reverted train.py: the original is back, byte for byte\n');
    expect(readFileSync(file).equals(ORIGINAL)).toBe(true);
    expect(JSON.parse((await runCli(['patches', '--json'], { cwd: dir })).stdout).patches).toEqual([]);
    expect((await instrument(file, { seed: true, apply: true, yes: true })).code).toBe(0);
  });

  test('revert after a user edit far from the patch keeps the edit', async () => {
    const long = Buffer.concat([ORIGINAL, Buffer.from(Array.from({ length: 10 }, (_, i) => `v${i} = ${i}\n`).join(''))]);
    const { dir, file } = await applied(long);
    writeFileSync(file, readFileSync(file, 'utf8').replace('v9 = 9', 'v9 = 900'));
    const r = await runCli(['revert', 'train.py'], { cwd: dir });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe("reverted train.py: took expkit's patch out and kept your later edits\n");
    expect(readFileSync(file, 'utf8')).toBe(long.toString('utf8').replace('v9 = 9', 'v9 = 900'));
  });

  test('revert refuses when the edit touches the patch (exit 3, byte-identical); --force keeps the edited version', async () => {
    const { dir, file } = await applied();
    writeFileSync(file, readFileSync(file, 'utf8').replace('random.seed(42)', 'random.seed(1)'));
    const edited = sha(file);
    const r = await runCli(['revert', 'train.py'], { cwd: dir });
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toBe(
      'expkit: train.py was edited where expkit patched it, so the patch cannot be taken out cleanly; nothing was changed\n' +
        `hint: \`expkit revert --force train.py\` restores the original (${join(realpath(dir), '.expkit', 'patches')}/${r.stderr.match(/(train\.py\.[0-9a-f]{8}\.orig)/)![1]}) and keeps your version beside it\n`,
    );
    expect(sha(file)).toBe(edited);
    const f = await runCli(['revert', '--force', 'train.py'], { cwd: dir });
    expect(f.exitCode).toBe(0);
    const kept = f.stdout.match(/kept at (.*)\n$/)![1]!;
    expect(f.stdout).toBe(`restored the original of train.py; your edited version is kept at ${kept}\n`);
    expect(sha(kept)).toBe(edited);
    expect(readFileSync(file).equals(ORIGINAL)).toBe(true);
  });

  test('revert of a file without a patch, or a missing file (exit 2); a symlink outside the project (exit 3)', async () => {
    const { dir, file } = await project();
    const r = await runCli(['revert', 'train.py'], { cwd: dir });
    expect(r.exitCode).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe(`expkit: train.py has no expkit patch to revert (no record in ${join(realpath(dir), '.expkit', 'patches')})`);
    expect((await runCli(['revert', 'gone.py'], { cwd: dir })).exitCode).toBe(2);
    const outside = await project();
    symlinkSync(outside.file, join(dir, 'link.py'));
    expect((await runCli(['revert', 'link.py'], { cwd: dir })).exitCode).toBe(3);
    expect(readFileSync(file).equals(ORIGINAL)).toBe(true);
  });
});

describe('layers (CLI, the real planner on a copy of the plain_mlp fixture)', () => {
  const MLP = readFileSync(fixturePath('plain_mlp.py'));

  test('--wandb, then --checkpoint and --seed as layers 2 and 3; patches and --status list them; revert peels one, --all the rest', async () => {
    const { dir, file } = await project(MLP);
    const states = [readFileSync(file)];
    const wandb = await runCli(['instrument', 'train.py', '--wandb', '--apply', '--yes'], { cwd: dir });
    expect(wandb.exitCode).toBe(0);
    states.push(readFileSync(file));

    // A second apply with an old kind and a new one: only the new one goes into the layer.
    const ckpt = await runCli(['instrument', 'train.py', '--wandb', '--checkpoint', '--apply', '--yes', '--json'], { cwd: dir });
    expect(ckpt.exitCode).toBe(0);
    const j = JSON.parse(ckpt.stdout);
    expect(j).toMatchObject({ applied: true, layer: 2, backup: expect.stringMatching(/train\.py\.[0-9a-f]{8}\.layer2\.orig$/) });
    expect(new Set(j.edits.map((e: { kind: string }) => e.kind))).toEqual(new Set(['checkpoint']));
    expect(j.skipped).toEqual([expect.objectContaining({ kind: 'wandb' })]);
    states.push(readFileSync(file));

    const seed = await runCli(['instrument', 'train.py', '--seed', '--apply', '--yes'], { cwd: dir });
    expect(seed.exitCode).toBe(0);
    expect(seed.stderr).toMatch(/expkit: patched train\.py \(seed\) as layer 3; the file before it is kept at .*\.layer3\.orig\n/);
    states.push(readFileSync(file));

    const none = await runCli(['instrument', 'train.py', '--seed', '--checkpoint', '--apply', '--yes'], { cwd: dir });
    expect([none.exitCode, none.stdout]).toEqual([0, '']);
    expect(none.stderr).toMatch(/expkit: nothing to change in train\.py \(expkit patched it in 3 layers, the last on .*: wandb, checkpoint, seed\)\n$/);
    expect(readFileSync(file).equals(states[3]!)).toBe(true);

    const listed = JSON.parse((await runCli(['patches', '--json'], { cwd: dir })).stdout);
    expect(listed.patches).toHaveLength(1);
    const p = listed.patches[0];
    expect(Object.keys(p)).toEqual(['file', 'kinds', 'appliedAt', 'expkitVersion', 'state', 'record', 'backup', 'layers']);
    expect(p).toMatchObject({ file: 'train.py', kinds: ['wandb', 'checkpoint', 'seed'], state: 'applied', appliedAt: p.layers[2].appliedAt });
    expect(p.layers.map((l: { layer: number; kinds: string[] }) => [l.layer, l.kinds])).toEqual([
      [1, ['wandb']],
      [2, ['checkpoint']],
      [3, ['seed']],
    ]);
    for (const l of p.layers) {
      expect(Object.keys(l)).toEqual(['layer', 'kinds', 'appliedAt', 'expkitVersion', 'id', 'diffSha256', 'sha256Before', 'sha256After', 'backup']);
      expect(l.id).toBe(l.diffSha256.slice(0, 12));
      expect(readFileSync(l.backup).equals(states[l.layer - 1]!)).toBe(true);
      expect(l.sha256After).toBe(createHash('sha256').update(states[l.layer]!).digest('hex'));
    }
    expect(JSON.parse((await runCli(['instrument', '--status', 'train.py', '--json'], { cwd: dir })).stdout)).toEqual(listed);
    const human = (await runCli(['instrument', '--status', 'train.py'], { cwd: dir })).stdout.split('\n');
    expect(human[0]).toMatch(/^train\.py {2}wandb, checkpoint, seed {2}applied \S+ {2}applied, file unchanged since$/);
    expect(human.slice(1, 4).map((l) => l.replace(/\d{4}-\S+Z/, 'T').replace(/patch [0-9a-f]{12}/, 'patch P').replace(/\.[0-9a-f]{8}\./, '.H.'))).toEqual([
      '  layer 1  wandb       T  patch P  backup .expkit/patches/train.py.H.orig',
      '  layer 2  checkpoint  T  patch P  backup .expkit/patches/train.py.H.layer2.orig',
      '  layer 3  seed        T  patch P  backup .expkit/patches/train.py.H.layer3.orig',
    ]);

    const one = await runCli(['revert', 'train.py'], { cwd: dir });
    expect([one.exitCode, one.stdout]).toEqual([
      0,
      'reverted layer 3 (seed) of train.py: the file is back as layer 2 left it, byte for byte\n' +
        'train.py still carries expkit layers 1–2 (wandb, checkpoint); `expkit revert --all train.py` takes every layer out\n',
    ]);
    expect(readFileSync(file).equals(states[2]!)).toBe(true);
    const all = await runCli(['revert', '--all', 'train.py'], { cwd: dir });
    expect([all.exitCode, all.stdout]).toEqual([
      0,
      'reverted layer 2 (checkpoint) of train.py: the file is back as layer 1 left it, byte for byte\n' + 'reverted train.py: the original is back, byte for byte\n',
    ]);
    expect(readFileSync(file).equals(MLP)).toBe(true);
    expect(JSON.parse((await runCli(['patches', '--json'], { cwd: dir })).stdout).patches).toEqual([]);
  });

  test('a layer does not stack on a file edited since the last one (exit 3, nothing changed)', async () => {
    const { dir, file } = await project(MLP);
    expect((await runCli(['instrument', 'train.py', '--wandb', '--apply', '--yes'], { cwd: dir })).exitCode).toBe(0);
    writeFileSync(file, readFileSync(file, 'utf8').replace('default=0.05', 'default=0.01'));
    const edited = sha(file);
    const r = await runCli(['instrument', 'train.py', '--checkpoint', '--apply', '--yes'], { cwd: dir });
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toMatch(/\nexpkit: train\.py was patched by expkit \(wandb, applied \S+\) and has changed since; nothing was changed\nhint: run `expkit revert --all train\.py` first/);
    expect(sha(file)).toBe(edited);
    expect(JSON.parse((await runCli(['patches', '--json'], { cwd: dir })).stdout).patches[0].layers).toHaveLength(1);
  });

  test('a record written before layers (schemaVersion 1) is listed as layer 1 and reverts', async () => {
    const { dir, file } = await project(MLP);
    expect((await runCli(['instrument', 'train.py', '--seed', '--apply', '--yes'], { cwd: dir })).exitCode).toBe(0);
    const recordPath = JSON.parse((await runCli(['patches', '--json'], { cwd: dir })).stdout).patches[0].record;
    const { layers } = JSON.parse(readFileSync(recordPath, 'utf8'));
    const { layer: _n, ...fields } = layers[0];
    writeFileSync(recordPath, JSON.stringify({ schemaVersion: 1, file: 'train.py', ...fields }, null, 2));
    const listed = JSON.parse((await runCli(['patches', '--json'], { cwd: dir })).stdout).patches;
    expect(listed).toEqual([expect.objectContaining({ file: 'train.py', kinds: ['seed'], state: 'applied', layers: [expect.objectContaining({ layer: 1, kinds: ['seed'] })] })]);
    const r = await runCli(['revert', 'train.py'], { cwd: dir });
    expect([r.exitCode, r.stdout]).toEqual([0, 'reverted train.py: the original is back, byte for byte\n']);
    expect(readFileSync(file).equals(MLP)).toBe(true);
  });
});
