/** Analyze source text with a chosen parser backend, for tests that run under both. */
import { analyzeSource, type Analysis } from '../../src/analyze/index.js';
import { makeSourceText } from '../../src/core/source-text.js';
import { loadNativeParser } from '../../src/parser/native.js';
import { loadWasmParser } from '../../src/parser/wasm.js';
import type { ParserBackend, PythonParser } from '../../src/parser/index.js';

const parsers = new Map<ParserBackend, Promise<PythonParser>>();

export function parserFor(backend: ParserBackend): Promise<PythonParser> {
  let p = parsers.get(backend);
  if (!p) {
    p = backend === 'native' ? Promise.resolve().then(loadNativeParser) : loadWasmParser();
    parsers.set(backend, p);
  }
  return p;
}

export function nativeLoads(): boolean {
  try {
    loadNativeParser();
    return true;
  } catch {
    return false;
  }
}

export async function analyzeText(text: string, backend: ParserBackend, file = 'train.py'): Promise<Analysis> {
  return analyzeSource(await parserFor(backend), makeSourceText(text), file);
}

/** Python source from an indented template literal: strips the common indentation. */
export function py(strings: TemplateStringsArray, ...values: unknown[]): string {
  const raw = String.raw({ raw: strings }, ...values).replace(/^\n/, '');
  const indent = Math.min(...raw.split('\n').filter((l) => l.trim()).map((l) => l.match(/^ */)![0].length));
  return raw.split('\n').map((l) => l.slice(indent)).join('\n');
}

/** Backends the analyzer tests run under: both, native only when its addon loads (required in CI). */
export const BACKENDS: ParserBackend[] = ['native', 'wasm'];
