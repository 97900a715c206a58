/**
 * tree-sitter reads only what a patch changed: the verdict must be the whole parse's. Real plans on
 * every fixture, and hand-made edits where a piece does not stand alone.
 */
import { readFileSync } from 'node:fs';
import { makeSourceText } from '../../src/core/source-text.js';
import { changedPieces, standsAlone, topLevelUnits } from '../../src/instrument/changed-pieces.js';
import { spliceEdits } from '../../src/instrument/splice.js';
import type { TextEdit } from '../../src/instrument/types.js';
import { errorIndices, newSyntaxErrorLine, piecesParseClean } from '../../src/instrument/validate.js';
import type { PythonParser } from '../../src/parser/index.js';
import { loadWasmParser } from '../../src/parser/wasm.js';
import { bigInstrumentableScript } from '../../bench/corpus.js';
import { fixtureNames, fixturePath } from '../support/fixtures.js';
import { instrumentText } from '../support/instrument.js';
import { editsFromMarked } from './scope-check-support.js';

let parser: PythonParser;
beforeAll(async () => {
  parser = await loadWasmParser();
});

const OPTIONS = { wandb: { project: 'p' }, seed: { value: 0, deterministic: false }, checkpoint: { every: 1, dir: 'checkpoints' } };

/** The verdict with the original's tree (pieces) and without it (the whole text): they must agree. */
function bothWays(original: string, edits: TextEdit[]): { pieces: number | null; whole: number | null; clean: boolean } {
  const src = makeSourceText(original);
  const patched = spliceEdits(src, edits);
  const tree = parser.parse(src.text);
  try {
    return {
      pieces: newSyntaxErrorLine(parser, src, edits, patched, tree.root),
      whole: newSyntaxErrorLine(parser, src, edits, patched),
      clean: piecesParseClean(parser, src, tree.root, edits, patched),
    };
  } finally {
    tree.dispose();
  }
}

test.each(fixtureNames().filter((f) => f !== 'syntax_error.py'))('%s: the planner\'s patch is clean read in pieces, as it is whole', async (name) => {
  const text = readFileSync(fixturePath(name), 'utf8').replace(/^\uFEFF/, '');
  const { plan } = await instrumentText(text, OPTIONS, name);
  const src = makeSourceText(text);
  const patched = spliceEdits(src, plan.edits);
  expect(errorIndices(parser, patched)).toEqual([]);
  const tree = parser.parse(text);
  try {
    expect(piecesParseClean(parser, src, tree.root, plan.edits, patched)).toBe(true);
  } finally {
    tree.dispose();
  }
});

test('on a 3,000-line script, the pieces are a small part of the patched text', async () => {
  const text = bigInstrumentableScript();
  const { plan } = await instrumentText(text, OPTIONS, 'big_train.py');
  const src = makeSourceText(text);
  const patched = spliceEdits(src, plan.edits);
  const tree = parser.parse(text);
  try {
    const pieces = changedPieces(src, topLevelUnits(src, tree.root), plan.edits, patched);
    const read = pieces.reduce((n, p) => n + p.end - p.start, 0);
    expect(read).toBeGreaterThan(0);
    expect(read / patched.length).toBeLessThan(0.2);
    // Every inserted character is in a piece.
    const inserted = plan.edits.reduce((n, e) => n + e.text.length, 0);
    expect(read).toBeGreaterThanOrEqual(inserted);
  } finally {
    tree.dispose();
  }
});

describe('pieces that do not stand alone: the whole text decides', () => {
  const BASE = ['import os', '', '', 'def main():', '    x = 1', '    return x', '', '', 'if os.sep:', '    main()', ''].join('\n');
  const marked = (patched: string) => editsFromMarked(patched);

  test.each([
    ['an indented line right after a def', BASE.replace('    return x\n', '    return x\n    print(x)  # expkit\n'), null],
    ['an else: for the untouched if above it', `${BASE}else:  # expkit\n    pass  # expkit\n`, null],
    ['a decorator for the untouched def below it', BASE.replace('def main', '@staticmethod  # expkit\ndef main'), null],
    ['a backslash continuation into the untouched statement below', BASE.replace('\n\ndef main', '\nx = 1 + \\  # expkit\n\ndef main'), 'error'],
    ['an open bracket closed nowhere', BASE.replace('\n\ndef main', '\nx = (1,  # expkit\n\ndef main'), 'error'],
    // tree-sitter recovers from these two without an error node (CPython does not accept them).
    ['a block header with no body before an untouched def', BASE.replace('\n\ndef main', '\nif True:  # expkit\n\ndef main'), 'accepted'],
    ['an indented line after a plain statement', BASE.replace('import os\n', 'import os\n    y = 2  # expkit\n'), 'accepted'],
  ])('%s', (_what, patched, expected) => {
    const { original, edits } = marked(patched);
    const r = bothWays(original, edits);
    expect(r.pieces).toBe(r.whole);
    if (expected === 'error') expect(r.whole).not.toBeNull();
    else expect(r.whole).toBeNull();
  });

  test('the original has a syntax error: the whole text decides', () => {
    const original = 'import os\n\ndef f(:\n    pass\n';
    const src = makeSourceText(original);
    const edits = [{ start: 0, end: 0, text: 'import sys  # expkit\n', kind: 'seed' as const, line: 1, reason: 't' }];
    const tree = parser.parse(original);
    expect(piecesParseClean(parser, src, tree.root, edits, spliceEdits(src, edits))).toBe(false);
    tree.dispose();
  });

  test('random lines inserted or spliced into every fixture: when the pieces read clean, so does the whole text', () => {
    const texts = fixtureNames()
      .filter((f) => f !== 'syntax_error.py')
      .map((f) => readFileSync(fixturePath(f), 'utf8').replace(/^\uFEFF/, ''));
    const lines = texts.flatMap((t) => t.split('\n'));
    let seed = 12345;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    let clean = 0;
    for (let i = 0; i < 1500; i++) {
      const text = texts[rnd(texts.length)]!;
      const src = makeSourceText(text);
      const at = src.lineStarts[rnd(src.lineStarts.length)]!;
      const lineEnd = text.indexOf('\n', at) < 0 ? text.length : text.indexOf('\n', at);
      let edit: TextEdit;
      if (rnd(2) && lineEnd > at) {
        // Part of a user line replaced.
        const start = at + rnd(lineEnd - at);
        const end = start + rnd(lineEnd - start + 1);
        edit = { start, end, text: lines[rnd(lines.length)]!.trim().slice(0, 1 + rnd(20)), kind: 'seed', line: 1, reason: 't' };
      } else {
        // One to three lines from anywhere, indented as they were or not at all.
        const inserted = Array.from({ length: 1 + rnd(3) }, () => (rnd(2) ? lines[rnd(lines.length)]!.trimStart() : lines[rnd(lines.length)]!));
        edit = { start: at, end: at, text: `${inserted.join('\n')}\n`, kind: 'seed', line: 1, reason: 't' };
      }
      const patched = spliceEdits(src, [edit]);
      const tree = parser.parse(text);
      try {
        if (piecesParseClean(parser, src, tree.root, [edit], patched)) {
          clean++;
          expect(errorIndices(parser, patched)).toEqual([]);
        }
      } finally {
        tree.dispose();
      }
    }
    expect(clean).toBeGreaterThan(500);
  });

  test('standsAlone looks at the first line with code', () => {
    expect(standsAlone('\n# a comment\r\nx = 1\n')).toBe(true);
    expect(standsAlone('\n   # an indented comment\n    x = 1\n')).toBe(false);
    expect(standsAlone('\n\n')).toBe(true);
    expect(standsAlone('\tx = 1\n')).toBe(false);
  });
});
