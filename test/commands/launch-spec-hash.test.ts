/** `expkit launch --dry-run` shows what would start and its specHash; `--spec-hash` starts only that. */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeExperiment } from '../support/experiment.js';
import { useProject } from '../support/runs.js';

describe('expkit launch --dry-run / --spec-hash (process backend, real runs)', () => {
  const p = useProject();
  const specFile = (slug: string) => join(p.dir, 'experiments', `${slug}.md`);
  const runs = () => (existsSync(join(p.dir, '.expkit', 'runs')) ? readdirSync(join(p.dir, '.expkit', 'runs')) : []);
  const dry = (slug: string, extra: string[] = []) => p.json(['launch', slug, '--backend', 'process', '--seeds', '1,2', '--dry-run', ...extra]);

  test('a dry run starts nothing and leaves the spec as it was; the approved hash starts exactly that', async () => {
    writeExperiment(p.dir, 'ok', 'status: planned\nseeds: [1, 2]\n');
    const before = readFileSync(specFile('ok'));
    const plan = await dry('ok');
    expect(plan).toMatchObject({ schemaVersion: 1, dryRun: true, slug: 'ok', specPath: 'experiments/ok.md', backend: 'process', seeds: [1, 2] });
    expect(plan.runs.map((r: { seed: number }) => r.seed)).toEqual([1, 2]);
    expect(plan.runs[0].command.slice(-1)).toEqual([join(p.dir, 'experiments', 'code', 'ok', 'run.sh')]);
    expect(plan.specHash).toMatch(/^[0-9a-f]{16}$/);
    expect(runs()).toEqual([]);
    expect(readFileSync(specFile('ok'))).toEqual(before);
    expect((await dry('ok')).specHash).toBe(plan.specHash);
    // Other flags are another plan.
    expect((await p.json(['launch', 'ok', '--backend', 'process', '--seeds', '1', '--dry-run'])).specHash).not.toBe(plan.specHash);

    const text = await p.cli(['launch', 'ok', '--backend', 'process', '--seeds', '1,2', '--dry-run']);
    expect(text.exitCode).toBe(0);
    expect(text.stdout).toContain(`spec hash: ${plan.specHash}`);

    const started = await p.json(['launch', 'ok', '--backend', 'process', '--seeds', '1,2', '--spec-hash', plan.specHash]);
    expect(started.runs.map((r: { seed: number }) => r.seed)).toEqual([1, 2]);
    for (const r of started.runs) expect((await p.cli(['wait', r.name, '--timeout', '60'])).exitCode).toBe(0);
    expect(readFileSync(specFile('ok'), 'utf8')).toMatch(/^status: (running|completed)$/m);
  }, 90000);

  test('a spec edited after the dry run: exit 3, one line, nothing started, the spec untouched', async () => {
    writeExperiment(p.dir, 'edited', 'status: planned\n');
    const plan = await dry('edited');
    const changed = readFileSync(specFile('edited'), 'utf8').replace('Hypothesis text.', 'Another hypothesis.');
    writeFileSync(specFile('edited'), changed);
    const before = runs();
    const out = await p.cli(['launch', 'edited', '--backend', 'process', '--seeds', '1,2', '--spec-hash', plan.specHash]);
    expect(out.exitCode).toBe(3);
    expect(out.stderr.split('\n')[0]).toMatch(/^expkit: the launch is not the approved one .*nothing started$/);
    expect(out.stdout).toBe('');
    expect(runs()).toEqual(before);
    expect(readFileSync(specFile('edited'), 'utf8')).toBe(changed);
  });

  test('an edited run.sh, or a wrong hash, is refused too (JSON error)', async () => {
    writeExperiment(p.dir, 'script', 'status: planned\n');
    const plan = await dry('script');
    const runSh = join(p.dir, 'experiments', 'code', 'script', 'run.sh');
    writeFileSync(runSh, readFileSync(runSh, 'utf8') + '# edited\n');
    const edited = await p.cli(['launch', 'script', '--backend', 'process', '--seeds', '1,2', '--spec-hash', plan.specHash, '--json']);
    expect(edited.exitCode).toBe(3);
    expect(JSON.parse(edited.stdout).error.exitCode).toBe(3);
    const wrong = await p.cli(['launch', 'script', '--backend', 'process', '--seeds', '1,2', '--spec-hash', 'ffffffffffffffff', '--json']);
    expect(wrong.exitCode).toBe(3);
    expect(JSON.parse(wrong.stdout).error.hint).toContain('expkit launch script --dry-run --json');
    expect(runs().filter((n) => n.startsWith('script'))).toEqual([]);
    expect(readFileSync(join(p.dir, 'experiments', 'script.md'), 'utf8')).toMatch(/^status: planned$/m);
  });
});
