import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeExperiment } from '../support/experiment.js';
import { useProject } from '../support/runs.js';
import { counted } from '../support/attack-figures.js';

/** N concurrent `expkit launch SLUG`: exactly one wins, the others are refused with one line. */
describe('concurrent launches of one experiment (process backend, real runs)', () => {
  const p = useProject();

  test.each([10, 50])('%i concurrent launches: one run, each seed run once', counted('concurrent launch of one experiment', async (n: number) => {
    const slug = `race${n}`;
    writeExperiment(p.dir, slug, 'status: planned\n');
    const all = await Promise.all(Array.from({ length: n }, () => p.cli(['launch', slug, '--backend', 'process', '--seeds', '1'])));
    const winners = all.filter((r) => r.exitCode === 0);
    expect(winners).toHaveLength(1);
    for (const r of all.filter((x) => x.exitCode !== 0)) {
      expect(r.exitCode).toBe(3);
      const lines = r.stderr.trim().split('\n');
      // Losers see the lock, or the spec the winner marked running (completed, once its short runs ended).
      expect(lines[0]).toMatch(new RegExp(`^expkit: (experiment ${slug} is being launched by another expkit launch right now|the experiment .*${slug}\\.md is already (running|completed))$`));
    }
    const runs = readdirSync(join(p.dir, '.expkit', 'runs')).filter((name) => name.startsWith(`${slug}-`));
    expect(runs).toHaveLength(1);
    expect((await p.cli(['wait', runs[0], '--timeout', '60'])).exitCode).toBe(0);
    // The seed ran once: one line of its training in the appended seed log.
    const seedLog = readFileSync(join(p.dir, 'logs', slug, 'seed_1.log'), 'utf8');
    expect(seedLog.match(/epoch 1\/1 seed 1/g)).toHaveLength(1);
    // The lock is released; a run's wrapper settling the spec as the run ends holds it for a moment.
    const lock = join(p.dir, '.expkit', 'locks', `${slug}.lock`);
    for (let i = 0; i < 50 && existsSync(lock); i++) await new Promise((r) => setTimeout(r, 100));
    expect(existsSync(lock)).toBe(false);
  }), 180000);

  test('a lock left by a launcher killed mid-launch is taken over', counted('concurrent launch of one experiment', async () => {
    writeExperiment(p.dir, 'orphan', 'status: planned\n');
    const dead = (await import('node:child_process')).spawnSync('true').pid!;
    writeFileSync(join(p.dir, '.expkit', 'locks', 'orphan.lock'), `${dead}\n`);
    const r = await p.cli(['launch', 'orphan', '--backend', 'process']);
    expect(r.exitCode).toBe(0);
    expect(existsSync(join(p.dir, '.expkit', 'locks', 'orphan.lock'))).toBe(false);
  }));
});
