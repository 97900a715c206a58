/**
 * The analyzer against the hand-written expectations in expected.ts, for every fixture.
 * The comparison rules are the ones documented at the top of expected.ts.
 */
import { readFileSync } from 'node:fs';
import type { Analysis } from '../../src/analyze/types.js';
import { fixturePath } from '../support/fixtures.js';
import { expected, type Expected } from './expected.js';

function check(a: Analysis, e: Expected): void {
  if (e.framework) {
    expect(a.framework.name).toBe(e.framework.name);
    if ('variant' in e.framework) expect(a.framework.variant).toBe(e.framework.variant);
  }
  if (e.imports === null) expect(a.imports).toBeNull();
  else if (e.imports) {
    expect({ startLine: a.imports?.startLine, endLine: a.imports?.endLine }).toEqual({ startLine: e.imports.startLine, endLine: e.imports.endLine });
    expect(a.imports!.modules).toEqual(expect.arrayContaining(e.imports.modulesInclude));
  }
  if (e.config) {
    const { arguments: args, ...rest } = e.config;
    expect(a.config).toMatchObject(rest);
    if (args) {
      expect(a.config.arguments.map((x) => ({ flags: x.flags, dest: x.dest, line: x.line }))).toEqual(args.map((x) => ({ flags: x.flags, dest: x.dest, line: x.line })));
      args.forEach((x, i) => {
        if ('default' in x) expect([x.line, a.config.arguments[i]!.default]).toEqual([x.line, x.default]);
        if ('type' in x) expect([x.line, a.config.arguments[i]!.type]).toEqual([x.line, x.type]);
      });
    }
  }
  if (e.trainLoops) {
    expect(
      a.trainLoops.map((l) => ({ ...l, stepMarkers: l.stepMarkers.map((m) => ({ line: m.line, kind: m.kind })) })),
    ).toEqual(e.trainLoops.map((l) => ({ via: [], className: null, methods: [], ...l })));
  }
  if (e.evalPoints) {
    const got = a.evalPoints.map((p) => ({ line: p.line, kind: p.kind }));
    expect(got).toEqual(expect.arrayContaining(e.evalPoints.evalPointsInclude));
    expect(a.evalPoints.filter((p) => e.evalPoints!.evalPointsExclude.includes(p.line))).toEqual([]);
  }
  if (e.exitPoints) expect(a.exitPoints).toMatchObject(e.exitPoints);
  if (e.framework?.objects) {
    expect(a.framework.objects).toEqual(e.framework.objects);
  }
  if (e.framework && 'libraryTrainer' in e.framework) expect(a.framework.libraryTrainer).toEqual(e.framework.libraryTrainer);
  if (e.existing) {
    for (const key of ['wandb', 'seed', 'checkpoint'] as const) {
      const want = e.existing[key];
      if (!want) continue;
      expect([key, a.existing[key].present]).toEqual([key, want.present]);
      expect(a.existing[key].lines).toEqual(expect.arrayContaining(want.linesInclude));
    }
    const { checkpoint, seed } = e.existing;
    if (checkpoint && 'kind' in checkpoint) expect(['checkpoint.kind', a.existing.checkpoint.kind]).toEqual(['checkpoint.kind', checkpoint.kind]);
    if (checkpoint && 'resumes' in checkpoint) expect(['checkpoint.resumes', a.existing.checkpoint.resumes]).toEqual(['checkpoint.resumes', checkpoint.resumes]);
    if (checkpoint && 'library' in checkpoint) expect(['checkpoint.library', a.existing.checkpoint.library]).toEqual(['checkpoint.library', checkpoint.library]);
    if (seed && 'randomDefaultLine' in seed) {
      expect({ randomDefault: a.existing.seed.randomDefault, randomDefaultLine: a.existing.seed.randomDefaultLine }).toEqual({
        randomDefault: seed.randomDefaultLine !== null,
        randomDefaultLine: seed.randomDefaultLine,
      });
    }
  }
  if (e.distributed) {
    expect(a.distributed.present).toBe(e.distributed.present);
    expect(a.distributed.lines).toEqual(expect.arrayContaining(e.distributed.linesInclude));
  }
  if (e.parseErrors) {
    const lines = a.parseErrors.map((p) => p.line);
    if (e.parseErrors.parseErrorLines.length === 0) expect(a.parseErrors).toEqual([]);
    else expect(lines).toEqual(expect.arrayContaining(e.parseErrors.parseErrorLines));
  }
}

export function fixtureCases(analyze: (text: string, file: string) => Promise<Analysis>): void {
  describe('fixtures', () => {
    test.each(Object.keys(expected).sort())('%s', async (name) => {
      const text = readFileSync(fixturePath(name), 'utf8');
      check(await analyze(text, name), expected[name]!);
    });

    test('there are at least 15 fixtures with expectations, each file present', () => {
      const names = Object.keys(expected);
      expect(names.length).toBeGreaterThanOrEqual(15);
      for (const n of names) expect(() => readFileSync(fixturePath(n))).not.toThrow();
    });
  });
}
