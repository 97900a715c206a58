/** The hardening suite's figures reach the summary: recordAttacks writes them, the reporter sums them. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { FIGURES_ENV, recordAttacks, type AttackFigure } from './attack-figures.js';
import { tempDir } from './temp.js';

const { formatFigures } = createRequire(import.meta.url)('./summary-reporter.cjs') as {
  formatFigures: (figures: AttackFigure[]) => string;
};

describe('recordAttacks', () => {
  const saved = process.env[FIGURES_ENV];
  const dir = tempDir('expkit-figures-');
  afterAll(() => {
    if (saved === undefined) delete process.env[FIGURES_ENV];
    else process.env[FIGURES_ENV] = saved;
  });

  test('appends one JSON line per call to the file the reporter named', () => {
    const file = join(dir, 'sub', 'figures.jsonl');
    process.env[FIGURES_ENV] = file;
    recordAttacks('kill -9 during apply', 40, 40);
    recordAttacks('full disk', 5, 4);
    const lines = readFileSync(file, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as AttackFigure);
    expect(lines).toEqual([
      { name: 'kill -9 during apply', tried: 40, kept: 40 },
      { name: 'full disk', tried: 5, kept: 4 },
    ]);
  });

  test('refuses figures that cannot be counts', () => {
    expect(() => recordAttacks('x', 3, 4)).toThrow(/kept <= tried/);
    expect(() => recordAttacks('x', 2.5, 1)).toThrow(/whole numbers/);
    expect(() => recordAttacks('x', -1, 0)).toThrow(/whole numbers/);
  });
});

describe('the summary lines', () => {
  test('sum by name, in first-recorded order, under one total that names the broken promises', () => {
    const text = formatFigures([
      { name: 'kill launch (process)', tried: 40, kept: 40 },
      { name: 'malformed manifest', tried: 5, kept: 3 },
      { name: 'kill launch (process)', tried: 2, kept: 2 },
    ]);
    expect(text).toBe(
      'attacks: 47 tried, 45 kept, 2 broke a promise\n' +
        '  kill launch (process): 42 tried, 42 kept\n' +
        '  malformed manifest: 5 tried, 3 kept\n',
    );
  });

  test('say nothing about broken promises when all held', () => {
    expect(formatFigures([{ name: 'a', tried: 1, kept: 1 }])).toBe('attacks: 1 tried, 1 kept\n  a: 1 tried, 1 kept\n');
  });
});
