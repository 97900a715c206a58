/** Hand-made edits for driving the engine without the planner. */
import { loadWasmParser } from '../../src/parser/wasm.js';
import type { PythonParser } from '../../src/parser/index.js';
import { makeSourceText, type SourceText } from '../../src/core/source-text.js';
import type { Planner } from '../../src/instrument/engine.js';
import { EXPKIT_MARKER, type PatchKind, type PatchPlan, type TextEdit } from '../../src/instrument/types.js';
import type { SourceFile } from '../../src/io/read-source.js';

/** A SourceFile from exact bytes, as readSourceFile would return it. */
export function sourceFrom(content: string | Buffer, path = 'train.py'): SourceFile {
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  return { path, bytes, ...makeSourceText(bytes.toString('utf8')) };
}

/** Insert whole lines (with the file's eol and the expkit marker) before 1-based `line`. */
export function insertLines(src: SourceText, line: number, lines: string[], kind: PatchKind = 'seed'): TextEdit {
  const start = line - 1 < src.lineStarts.length ? src.lineStarts[line - 1]! : src.text.length;
  const atEndWithoutNewline = start === src.text.length && !src.hasFinalNewline;
  const body = lines.map((l) => `${l}  # expkit`).join(src.eol);
  const text = atEndWithoutNewline ? `${src.eol}${body}` : `${body}${src.eol}`;
  return { start, end: start, text, kind, line, reason: `test insert before line ${line}` };
}

/** The same small script in every shape a file can have. */
export function script(opts: { eol?: string; indent?: string; bom?: boolean; finalNewline?: boolean; unicode?: boolean }): Buffer {
  const eol = opts.eol ?? '\n';
  const ind = opts.indent ?? '    ';
  const lines = [
    'import os',
    'import sys',
    '',
    '',
    'def main():',
    `${ind}${opts.unicode ? 'name = "données — 😀"' : 'name = "data"'}`,
    `${ind}return name`,
    '',
    '',
    'if __name__ == "__main__":',
    `${ind}main()`,
  ];
  const text = lines.join(eol) + (opts.finalNewline === false ? '' : eol);
  return Buffer.concat([opts.bom ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0), Buffer.from(text, 'utf8')]);
}

export const SHAPES: [string, Buffer][] = [
  ['LF', script({})],
  ['CRLF', script({ eol: '\r\n' })],
  ['tabs', script({ indent: '\t' })],
  ['a BOM', script({ bom: true })],
  ['non-ASCII', script({ unicode: true })],
  ['no final newline', script({ finalNewline: false })],
  ['CRLF + BOM + tabs + non-ASCII, no final newline', script({ eol: '\r\n', bom: true, indent: '\t', unicode: true, finalNewline: false })],
];

/** Three edits: top of file, inside the function (file's indentation), end of file. */
export function threeEdits(bytes: Buffer): { src: ReturnType<typeof sourceFrom>; edits: TextEdit[] } {
  const src = sourceFrom(bytes);
  const indent = src.text.includes('\t') ? '\t' : '    ';
  return {
    src,
    edits: [
      insertLines(src, 2, ['SEED = 42']),
      insertLines(src, 7, [`${indent}name = name + "!"`], 'wandb'),
      insertLines(src, 12, ['print("done")'], 'checkpoint'),
    ],
  };
}

export const planOf = (edits: TextEdit[]): PatchPlan => ({ edits, warnings: [], skipped: [] });

/**
 * The WASM parser: the native addon breaks when a second test file in the same jest worker
 * loads it again (test/analyze/analyzer.test.ts already does), and both give the same trees.
 */
export function testParser(): Promise<PythonParser> {
  return loadWasmParser();
}

/**
 * A stand-in for the real planner (tests only; the CLI always uses planPatches): `random.seed`
 * after the first line for --seed, a print for --wandb, nothing when the file already has
 * expkit lines (like the real planner, so a second apply is a no-op).
 */
export const fakePlanner: Planner = (_parser, _analysis, src, options) => {
  if (src.text.includes(EXPKIT_MARKER)) return { edits: [], warnings: [], skipped: [{ kind: 'seed', reason: 'already instrumented' }] };
  const edits: TextEdit[] = [];
  if (options.seed) edits.push({ ...insertLines(src, 2, ['import random', `random.seed(${options.seed.value})`]), reason: 'seed the script' });
  if (options.wandb) edits.push({ ...insertLines(src, 2, [`print(${JSON.stringify(options.wandb.project ?? 'wandb')})`], 'wandb'), reason: 'track with W&B' });
  return { edits, warnings: options.wandb ? ['W&B needs `wandb login` first'] : [], skipped: options.checkpoint ? [{ kind: 'checkpoint', reason: 'no training loop found' }] : [] };
};

/** A CommandIo that records what was written and answers the question as told. */
export function fakeIo(opts: { interactive?: boolean; answer?: boolean | (() => boolean); color?: boolean } = {}) {
  const io = {
    stdout: '',
    stderr: '',
    asked: [] as string[],
    out: (t: string) => void (io.stdout += t),
    err: (t: string) => void (io.stderr += t),
    color: opts.color ?? false,
    interactive: opts.interactive ?? false,
    async confirm(q: string) {
      io.asked.push(q);
      return typeof opts.answer === 'function' ? opts.answer() : Boolean(opts.answer);
    },
  };
  return io;
}
