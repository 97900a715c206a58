/** Incremental re-parsing: the tree of an edited text, reusing the old tree, is the tree a fresh parse gives. */
import { makeSourceText } from '../../src/core/source-text.js';
import { loadNativeParser } from '../../src/parser/native.js';
import type { PythonParser, SyntaxNode, TextChange } from '../../src/parser/index.js';
import { treeEdits } from '../../src/parser/tree-edits.js';
import { loadWasmParser } from '../../src/parser/wasm.js';

/** Every node with its type, range and error flags, depth first. */
function dump(node: SyntaxNode, out: string[] = [], depth = 0): string[] {
  const p = (x: { row: number; column: number }) => `${x.row}:${x.column}`;
  out.push(`${' '.repeat(depth)}${node.type} [${node.startIndex},${node.endIndex}) ${p(node.startPosition)}-${p(node.endPosition)}${node.isError ? ' ERROR' : ''}${node.isMissing ? ' MISSING' : ''}`);
  for (const c of node.children) dump(c, out, depth + 1);
  return out;
}

const ORIGINAL = [
  '# -*- coding: utf-8 -*-\r',
  'import os  # café 🚀\r',
  '\r',
  'def train(lr):\r',
  '    """Entraîne 🧪."""\r',
  '    for step in range(3):\r',
  '        loss = lr * step\r',
  '    return loss\r',
  '',
].join('\n');

function changesFor(text: string): TextChange[] {
  const at = (s: string) => text.indexOf(s);
  return [
    // Two insertions at one point (they keep their order), one after non-BMP text, a replacement, a deletion.
    { start: at('def train'), end: at('def train'), text: 'import wandb  # expkit\r\n' },
    { start: at('def train'), end: at('def train'), text: 'wandb.init()  # expkit\r\n\r\n' },
    { start: at('\r\n\r\ndef'), end: at('\r\n\r\ndef'), text: '  # 🚀🚀' },
    { start: at('lr * step'), end: at('lr * step') + 'lr * step'.length, text: 'lr * (step + 1)' },
    { start: at('        loss = ') + 8, end: at('        loss = ') + 8, text: 'wandb.log({"loss": 1})  # expkit\r\n        ' },
    { start: at('    return loss\r\n'), end: at('    return loss\r\n') + '    return loss\r\n'.length, text: '' },
  ];
}

function applied(text: string, changes: readonly TextChange[]): string {
  const ordered = changes.map((c, i) => ({ c, i })).sort((a, b) => a.c.start - b.c.start || a.c.end - b.c.end || a.i - b.i);
  let out = '';
  let at = 0;
  for (const { c } of ordered) {
    out += text.slice(at, c.start) + c.text;
    at = c.end;
  }
  return out + text.slice(at);
}

const backends: [string, () => Promise<PythonParser>][] = [
  ['wasm', () => loadWasmParser()],
  ['native', async () => loadNativeParser()],
];

describe.each(backends)('%s parser', (_name, load) => {
  let parser: PythonParser;
  beforeAll(async () => {
    parser = await load();
  });

  test('reparse after edits gives the fresh tree (CRLF, non-BMP characters, insertions at one point, a replacement, a deletion)', () => {
    const before = makeSourceText(ORIGINAL);
    const changes = changesFor(ORIGINAL);
    const after = applied(ORIGINAL, changes);
    expect(after).toContain('import wandb  # expkit\r\nwandb.init()  # expkit\r\n\r\ndef train');
    const fresh = parser.parse(after);
    const old = parser.parse(ORIGINAL);
    const re = parser.reparse(old, before, changes, after);
    expect(dump(re.root)).toEqual(dump(fresh.root));
    expect(re.root.hasError).toBe(false);
    for (const p of [fresh, old, re]) p.dispose();
  });

  test('an edit that breaks the syntax: the re-parsed tree has the error too', () => {
    const before = makeSourceText(ORIGINAL);
    const at = ORIGINAL.indexOf('    return loss');
    const changes = [{ start: at, end: at, text: '    if True\r\n' }];
    const re = parser.reparse(parser.parse(ORIGINAL), before, changes, applied(ORIGINAL, changes));
    expect(re.root.hasError).toBe(true);
    re.dispose();
  });
});

test('tree edits come last first, in the original text\'s coordinates, with UTF-16 columns', () => {
  const src = makeSourceText('a = 1\nb = "é🚀"\n');
  const edits = treeEdits(src, [
    { start: 0, end: 0, text: 'x\ny' },
    { start: 14, end: 14, text: '!' },
  ]);
  expect(edits).toEqual([
    { startIndex: 14, oldEndIndex: 14, newEndIndex: 15, startPosition: { row: 1, column: 8 }, oldEndPosition: { row: 1, column: 8 }, newEndPosition: { row: 1, column: 9 } },
    { startIndex: 0, oldEndIndex: 0, newEndIndex: 3, startPosition: { row: 0, column: 0 }, oldEndPosition: { row: 0, column: 0 }, newEndPosition: { row: 1, column: 1 } },
  ]);
});
