/**
 * Guards the hand-written expectations against drift: if a fixture is edited, the line numbers in
 * expected.ts must still point at the right kind of source line. This does not run the analyzer.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expected, type Expected } from './expected.js';

const FIXTURES = join(process.cwd(), 'fixtures');

function sourceLines(name: string): string[] {
  const text = readFileSync(join(FIXTURES, name), 'utf8').replace(/^\uFEFF/, '');
  return text.split(/\r?\n/);
}

function allNumbers(value: unknown, out: number[] = []): number[] {
  if (typeof value === 'number') out.push(value);
  else if (Array.isArray(value)) value.forEach((v) => allNumbers(v, out));
  else if (value && typeof value === 'object') Object.values(value).forEach((v) => allNumbers(v, out));
  return out;
}

const MARKER_TEXT: Record<string, RegExp> = {
  backward: /backward\(|value_and_grad\(|\bgrad\(|tape\.gradient\(/,
  'optimizer-step': /\.step\(|apply_gradients\(|apply_updates\(/,
  'framework-fit': /\.fit\(|\.train\(|LightningCLI\(/,
};

const EVAL_TEXT: Record<string, RegExp> = {
  'eval-function': /^def \w+\(/,
  'eval-mode': /\.eval\(\)/,
  'no-grad': /^(with |@)torch\.(no_grad|inference_mode)\(\)/,
  'eval-call': /\w+\(/,
  'framework-eval': /\.(evaluate|validate|test)\(/,
  'validation-step': /^def (validation_step|test_step)\(/,
};

describe('analyzer fixtures and expected.ts', () => {
  it('has exactly one expectation per fixture', () => {
    const files = readdirSync(FIXTURES).filter((f) => f.endsWith('.py')).sort();
    expect(Object.keys(expected).sort()).toEqual(files);
  });

  describe.each(Object.entries(expected))('%s', (name: string, exp: Expected) => {
    const lines = sourceLines(name);
    const at = (n: number): string => (lines[n - 1] ?? '').trim();

    it('only refers to lines that exist', () => {
      for (const n of allNumbers(exp)) {
        expect(n).toBeGreaterThanOrEqual(1);
        expect(n).toBeLessThanOrEqual(lines.length);
      }
    });

    it('points loops and step markers at matching source lines', () => {
      for (const loop of exp.trainLoops ?? []) {
        if (loop.kind === 'for' || loop.kind === 'while') expect(at(loop.line).startsWith(`${loop.kind} `)).toBe(true);
        expect(loop.endLine).toBeGreaterThanOrEqual(loop.line);
        const via = loop.via ?? [];
        for (const m of loop.stepMarkers) {
          // Markers reached through calls (`via`) are in the called functions, after their `def` lines.
          if (via.length === 0) {
            expect(m.line).toBeGreaterThanOrEqual(loop.line);
            expect(m.line).toBeLessThanOrEqual(loop.endLine);
          } else expect(m.line).toBeGreaterThan(via[0]!.line);
          expect(at(m.line)).toMatch(MARKER_TEXT[m.kind]!);
        }
        // Each call step: a `def` of that function, called on callLine (from the loop, then from the previous step).
        via.forEach((step, i) => {
          const name = step.function.split('.').pop()!;
          expect(at(step.line).startsWith(`def ${name}(`)).toBe(true);
          expect(at(step.callLine)).toMatch(new RegExp(`(^|[^\\w])${name}\\(`));
          if (i === 0) expect([step.callLine >= loop.line, step.callLine <= loop.endLine]).toEqual([true, true]);
        });
        if (loop.outer) expect(at(loop.outer.line)).toMatch(/^(for|while) /);
      }
    });

    it('points eval points and exit points at matching source lines', () => {
      for (const p of exp.evalPoints?.evalPointsInclude ?? []) expect(at(p.line)).toMatch(EVAL_TEXT[p.kind]!);
      const x = exp.exitPoints;
      if (x?.mainGuardLine) expect(at(x.mainGuardLine)).toMatch(/^if __name__ == ["']__main__["']:/);
      if (x?.mainFunction && x.mainFunctionLine) expect(at(x.mainFunctionLine).startsWith(`def ${x.mainFunction}(`)).toBe(true);
      for (const n of x?.returnLines ?? []) expect(at(n)).toMatch(/^return\b/);
      for (const n of x?.sysExitLines ?? []) expect(at(n)).toMatch(/\b(sys\.exit|exit|quit)\(/);
    });

    it('points config arguments at lines that name their first flag', () => {
      for (const a of exp.config?.arguments ?? []) {
        const first = a.flags[0]!;
        const named = at(a.line).includes(`"${first}"`) || at(a.line).includes(`'${first}'`) ||
          at(a.line).startsWith(`${first.replace(/^--/, '')}:`);
        expect(named).toBe(true);
      }
    });
  });
});
