/** `expkit scaffold` as a user runs it: preview, write, refuse, back up, bad input, JSON. */
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { parse } from 'yaml';
import { runCli } from '../support/cli.js';
import { hostileSpecData, tempDir } from '../support/scaffold.js';

const FILES = ['config.yaml', 'data.py', 'helpers.py', 'metrics.py', 'model.py', 'requirements.txt', 'run.sh', 'train.py'];

function project(spec?: string): string {
  const dir = tempDir();
  mkdirSync(join(dir, 'experiments'));
  if (spec !== undefined) writeFileSync(join(dir, 'experiments', 'exp.md'), spec);
  return dir;
}

const expDir = (dir: string, slug = 'exp') => join(dir, 'experiments', 'code', slug);

describe('expkit scaffold', () => {
  test('--dry-run lists files and sizes and writes nothing', async () => {
    const dir = project();
    const out = await runCli(['scaffold', 'exp', '--dry-run'], { cwd: dir });
    expect(out.exitCode).toBe(0);
    expect(out.stdout).toMatch(/^dry run, nothing written: pytorch experiment exp/);
    expect(out.stdout).toMatch(/would write\s+experiments\/code\/exp\/train\.py\s+\d+ bytes/);
    expect(existsSync(join(dir, 'experiments', 'code'))).toBe(false);
  });

  test('writes the experiment, prints next commands, and is idempotent', async () => {
    const dir = project();
    const out = await runCli(['scaffold', 'exp'], { cwd: dir });
    expect(out.exitCode).toBe(0);
    expect(readdirSync(expDir(dir)).sort()).toEqual(FILES);
    expect(statSync(join(expDir(dir), 'run.sh')).mode & 0o777).toBe(0o755);
    expect(out.stdout).toContain('smoke run: experiments/code/exp/run.sh --smoke');
    expect(out.stdout).toContain('launch:    expkit launch exp');
    const again = await runCli(['scaffold', 'exp'], { cwd: dir });
    expect(again.exitCode).toBe(0);
    expect(again.stdout).toMatch(/unchanged\s+experiments\/code\/exp\/train\.py/);
  });

  test('--dir scaffolds another project; the next commands cd there', async () => {
    const dir = project();
    const out = await runCli(['scaffold', 'exp', '--dir', dir, '--json'], { cwd: tempDir() });
    expect(out.exitCode).toBe(0);
    const json = JSON.parse(out.stdout);
    expect(json.next.smoke).toMatch(/^cd .+ && experiments\/code\/exp\/run\.sh --smoke$/);
    expect(existsSync(join(expDir(dir), 'train.py'))).toBe(true);
  });

  test('refuses to overwrite a changed file without --force; --force keeps a backup', async () => {
    const dir = project();
    await runCli(['scaffold', 'exp'], { cwd: dir });
    const train = join(expDir(dir), 'train.py');
    const edited = readFileSync(train, 'utf8') + '# my edit\n';
    writeFileSync(train, edited);

    const refused = await runCli(['scaffold', 'exp'], { cwd: dir });
    expect(refused.exitCode).toBe(3);
    expect(refused.stderr).toMatch(/^expkit: 1 file\(s\) already exist and differ: experiments\/code\/exp\/train\.py; nothing written\n/);
    expect(readFileSync(train, 'utf8')).toBe(edited);

    const preview = await runCli(['scaffold', 'exp', '--dry-run'], { cwd: dir });
    expect(preview.exitCode).toBe(0);
    expect(preview.stdout).toMatch(/exists, differs\s+experiments\/code\/exp\/train\.py/);

    const forced = await runCli(['scaffold', 'exp', '--force', '--json'], { cwd: dir });
    expect(forced.exitCode).toBe(0);
    const json = JSON.parse(forced.stdout);
    const entry = json.files.find((f: { path: string }) => f.path.endsWith('/train.py'));
    expect(entry).toMatchObject({ action: 'backed-up', backup: 'experiments/code/exp/train.py.bak' });
    expect(json.files.filter((f: { action: string }) => f.action === 'skipped')).toHaveLength(FILES.length - 1);
    expect(readFileSync(`${train}.bak`, 'utf8')).toBe(edited);
    expect(readFileSync(train, 'utf8')).not.toContain('# my edit');

    // a second forced replacement never overwrites the first backup
    writeFileSync(train, edited + '# again\n');
    const second = JSON.parse((await runCli(['scaffold', 'exp', '--force', '--json'], { cwd: dir })).stdout);
    expect(second.files[0].backup).toBe('experiments/code/exp/train.py.bak.1');
    expect(readFileSync(`${train}.bak`, 'utf8')).toBe(edited);
  });

  test('--json describes every file', async () => {
    const dir = project('---\nmetrics: [accuracy, bleu]\n---\n');
    const out = await runCli(['scaffold', 'exp', '--json', '--framework', 'lightning'], { cwd: dir });
    expect(out.exitCode).toBe(0);
    const json = JSON.parse(out.stdout);
    expect(json).toMatchObject({ schemaVersion: 1, slug: 'exp', framework: 'lightning', dryRun: false, spec: 'experiments/exp.md', directory: 'experiments/code/exp' });
    expect(json.files).toHaveLength(FILES.length);
    for (const f of json.files) {
      expect(f.action).toBe('written');
      expect(f.bytes).toBe(statSync(join(dir, f.path)).size);
    }
    expect(json.warnings).toEqual([expect.stringContaining('"bleu" has no built-in implementation')]);
    expect(json.next).toEqual({ smoke: 'experiments/code/exp/run.sh --smoke', full: 'experiments/code/exp/run.sh', launch: 'expkit launch exp' });
  });

  test('uses wiki/experiments/SLUG.md and --spec', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'wiki', 'experiments'), { recursive: true });
    writeFileSync(join(dir, 'wiki', 'experiments', 'exp.md'), '---\nseeds: [9]\n---\n');
    writeFileSync(join(dir, 'other.md'), '---\nseeds: [4, 5]\n---\n');
    await runCli(['scaffold', 'exp'], { cwd: dir });
    expect(readFileSync(join(expDir(dir), 'config.yaml'), 'utf8')).toMatch(/^seeds: \[9\]$/m);
    await runCli(['scaffold', 'exp2', '--spec', 'other.md'], { cwd: dir });
    expect(readFileSync(join(expDir(dir, 'exp2'), 'config.yaml'), 'utf8')).toMatch(/^seeds: \[4, 5\]$/m);
  });

  test.each([
    [['scaffold', '../evil'], /^expkit: invalid slug "\.\.\/evil": it contains a path separator\n$/],
    [['scaffold', 'a/b'], /invalid slug "a\/b"/],
    [['scaffold', ''], /invalid slug "": it is empty/],
    [['scaffold', 'x'.repeat(101)], /longer than 100 characters/],
    [['scaffold', '$(id)'], /invalid slug/],
    [['scaffold', 'exp', '--framework', 'keras'], /^expkit: unknown framework "keras"/],
    [['scaffold', 'exp', '--spec', 'nope.md'], /^expkit: spec file not found: nope\.md\n$/],
  ])('bad input %j is a usage error and writes nothing', async (args, message) => {
    const dir = project();
    const out = await runCli(args, { cwd: dir });
    expect(out.exitCode).toBe(2);
    expect(out.stderr).toMatch(message);
    expect(out.stderr.split('\n').filter((l) => l.startsWith('expkit:'))).toHaveLength(1);
    expect(existsSync(join(dir, 'experiments', 'code'))).toBe(false);
  });

  test('a malformed spec is an error naming the line; nothing written', async () => {
    const dir = project('---\ntitle: ok\nseeds: [1, 2\nmodel: x\n---\n');
    const out = await runCli(['scaffold', 'exp'], { cwd: dir });
    expect(out.exitCode).toBe(2);
    expect(out.stderr).toMatch(/^expkit: malformed frontmatter in .*experiments\/exp\.md at line [34]: /);
    expect(existsSync(join(dir, 'experiments', 'code'))).toBe(false);
  });

  test('a spec field of the wrong shape is an error naming it', async () => {
    const dir = project('---\nseeds: many\n---\n');
    const out = await runCli(['scaffold', 'exp'], { cwd: dir });
    expect(out.exitCode).toBe(2);
    expect(out.stderr).toMatch(/field "seeds" in .*exp\.md must be a list of integers/);
  });

  test('a hyperparameter the template does not read: exit 2, one line naming the closest, nothing written', async () => {
    const dir = project('---\nhyperparameters:\n  hidden: 256\n---\n');
    const out = await runCli(['scaffold', 'exp'], { cwd: dir });
    expect(out.exitCode).toBe(2);
    const lines = out.stderr.trim().split('\n');
    expect(lines[0]).toMatch(/^expkit: hyperparameter "hidden" in .*experiments\/exp\.md is not read by the pytorch template \(did you mean "hidden_size"\?\)$/);
    expect(out.stderr).toContain('extra_hyperparameters: [hidden]');
    expect(existsSync(join(dir, 'experiments', 'code'))).toBe(false);
    // Declared as read by code the user adds, it becomes a flag and a config.yaml value.
    writeFileSync(join(dir, 'experiments', 'exp.md'), '---\nhyperparameters:\n  hidden: 256\nextra_hyperparameters: [hidden]\n---\n');
    const ok = await runCli(['scaffold', 'exp'], { cwd: dir });
    expect(ok.exitCode).toBe(0);
    expect(parse(readFileSync(join(expDir(dir), 'config.yaml'), 'utf8')).hyperparameters).toMatchObject({ hidden: 256, hidden_size: 64 });
  });

  test('misspelled spec fields warn with the closest known name, on stderr and in --json warnings', async () => {
    const dir = project('---\nmetircs: [accuracy]\nbaselin: 0.9\nhyperparamters: {lr: 0.1}\nowner: alice\n---\n');
    const human = await runCli(['scaffold', 'exp', '--dry-run'], { cwd: dir });
    expect(human.exitCode).toBe(0);
    expect(human.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^expkit: warning: unknown field "metircs" in .*exp\.md: did you mean "metrics"\? \(kept under extra, not used\)$/),
      expect.stringMatching(/^expkit: warning: unknown field "baselin" in .*: did you mean "baseline"\?/),
      expect.stringMatching(/^expkit: warning: unknown field "hyperparamters" in .*: did you mean "hyperparameters"\?/),
    ]);
    const json = await runCli(['scaffold', 'exp', '--dry-run', '--json'], { cwd: dir });
    expect(json.exitCode).toBe(0);
    const warnings: string[] = JSON.parse(json.stdout).warnings;
    expect(warnings).toHaveLength(3);
    expect(warnings[0]).toMatch(/^unknown field "metircs" in .*exp\.md: did you mean "metrics"\?/);
    expect(warnings.join('\n')).not.toContain('owner');
  });

  test('hostile spec values land as inert text in every file, and run.sh executes none of them', async () => {
    const marker = join(tempDir(), 'pwned');
    const data = hostileSpecData(marker);
    const dir = project();
    // JSON is YAML: the spec carries the values exactly
    writeFileSync(join(dir, 'experiments', 'exp.md'), `---\n${JSON.stringify(data)}\n---\n`);
    const out = await runCli(['scaffold', 'exp'], { cwd: dir });
    expect(out.stderr).toBe('');
    expect(out.exitCode).toBe(0);
    const config = parse(readFileSync(join(expDir(dir), 'config.yaml'), 'utf8'));
    const setup = data.setup as Record<string, string>;
    expect(config.experiment).toMatchObject({ title: data.title, hypothesis: data.hypothesis, model: setup.model, dataset: setup.dataset, hardware: setup.hardware });
    expect(config.experiment.extra).toEqual({ unknown_field: data.unknown_field, setup: { notes: setup.notes } });
    expect(config.hyperparameters.note).toBe((data.hyperparameters as Record<string, string>).note);

    const runSh = join(expDir(dir), 'run.sh');
    // the spec's python, venv and conda env are run.sh defaults: quoted, they are just odd names
    const asSpec = await execa('bash', [runSh, '--smoke'], { reject: false, all: true, env: { PATH: '/usr/bin:/bin' } });
    expect(asSpec.exitCode).toBe(1);
    expect(asSpec.all).toContain('but conda is not on PATH');
    const viaVenv = await execa('bash', [runSh, '--smoke'], { reject: false, all: true, env: { CONDA_ENV: '' } });
    expect(viaVenv.exitCode).not.toBe(0);
    expect(viaVenv.all).toMatch(/bin\/activate: No such file or directory/);
    const viaPython = await execa('bash', [runSh, '--smoke'], { reject: false, all: true, env: { CONDA_ENV: '', VENV: '', SEEDS: '1' } });
    expect(viaPython.exitCode).toBe(127);
    expect(existsSync(marker)).toBe(false);
  });
});
