/** A launched spec leaves `running` once its runs ended: through `expkit stop` and `expkit status`. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeExperiment } from '../support/experiment.js';
import { useProject } from '../support/runs.js';

describe('spec status after stop and status (process backend, real runs)', () => {
  const p = useProject();
  const spec = (slug: string) => readFileSync(join(p.dir, 'experiments', `${slug}.md`), 'utf8');
  const status = (slug: string) => /^status: (\S+)/m.exec(spec(slug))?.[1];

  test('stopping the last running run of a launch sets the spec stopped, and it can be launched again', async () => {
    writeExperiment(p.dir, 'halt', 'status: planned\nseeds: [1, 2]\n# keep me\n');
    const launched = JSON.parse((await p.cli(['launch', '--json', 'halt', '--backend', 'process', '--seeds', '1,2'], { SLOW: '1' })).stdout);
    const [first, second] = launched.runs.map((r: { name: string }) => r.name);
    expect((await p.cli(['stop', first])).exitCode).toBe(0);
    // One run still runs: the experiment is still running and a relaunch is refused.
    expect(status('halt')).toBe('running');
    expect((await p.cli(['launch', 'halt', '--backend', 'process'])).exitCode).toBe(3);
    expect((await p.cli(['stop', second])).exitCode).toBe(0);
    expect(status('halt')).toBe('stopped');
    expect(spec('halt')).toContain('# keep me\n');
    expect(readFileSync(join(p.dir, 'experiments', 'log.md'), 'utf8')).toMatch(new RegExp(`stopped: every run ended \\(${first} stopped, ${second} stopped\\)\\n$`));
    const again = await p.cli(['launch', 'halt', '--backend', 'process', '--name', 'halt-again'], { SLOW: '1' });
    expect(again.exitCode).toBe(0);
    expect(status('halt')).toBe('running');
    expect((await p.cli(['stop', 'halt-again'])).exitCode).toBe(0);
    expect(status('halt')).toBe('stopped');
  }, 60000);

  test('status finds every run ended: failed (launchable again) or completed', async () => {
    // train.py has no data for seed 9: that run fails.
    writeExperiment(p.dir, 'mixed', 'status: planned\n');
    const mixed = await p.json(['launch', 'mixed', '--backend', 'process', '--seeds', '1,9']);
    writeExperiment(p.dir, 'fine', 'status: planned\n');
    const fine = await p.json(['launch', 'fine', '--backend', 'process', '--seeds', '1']);
    for (const r of [...mixed.runs, ...fine.runs]) await p.cli(['wait', r.name, '--timeout', '60']);
    // Each run's wrapper records its outcome through `status`, which may already have settled the
    // spec; a `status` of all runs settles it in any case.
    expect(['running', 'failed']).toContain(status('mixed'));
    expect((await p.cli(['status'])).exitCode).toBe(0);
    expect(status('mixed')).toBe('failed');
    expect(status('fine')).toBe('completed');
    const again = await p.cli(['launch', 'mixed', '--backend', 'process', '--seeds', '1', '--name', 'mixed-again']);
    expect(again.exitCode).toBe(0);
    expect((await p.cli(['wait', 'mixed-again-s1', '--timeout', '60'])).exitCode).toBe(0);
    // A detail view settles too; collect then adds the outcome.
    expect((await p.cli(['status', 'mixed-again-s1'])).exitCode).toBe(0);
    expect(status('mixed')).toBe('completed');
    expect((await p.cli(['collect', 'mixed'])).exitCode).toBe(0);
    expect(spec('mixed')).toMatch(/^outcome: /m);
  }, 120000);
});
