import { ExitCode, ExpkitError } from '../core/errors.js';
import type { PythonParser } from './types.js';

export type { Capture, ParsedSource, ParserBackend, PythonParser, SyntaxNode } from './types.js';

let cached: Promise<PythonParser> | undefined;

/**
 * The Python parser: native when it loads (much faster to start), else WASM.
 * `EXPKIT_PARSER=native|wasm` forces one.
 */
export function getPythonParser(forced: string | undefined = process.env.EXPKIT_PARSER): Promise<PythonParser> {
  cached ??= loadParser(forced);
  return cached;
}

async function loadParser(forced: string | undefined): Promise<PythonParser> {
  const choice = (forced ?? '').trim().toLowerCase();
  if (choice !== '' && choice !== 'native' && choice !== 'wasm') {
    throw new ExpkitError(`EXPKIT_PARSER must be "native" or "wasm", not ${JSON.stringify(forced)}`, { exitCode: ExitCode.Usage });
  }
  if (choice === 'wasm') return (await import('./wasm.js')).loadWasmParser();
  try {
    return (await import('./native.js')).loadNativeParser();
  } catch (err) {
    if (choice === 'native') {
      throw new ExpkitError(`the native tree-sitter binding does not load: ${(err as Error).message.split('\n')[0]}`, {
        exitCode: ExitCode.Unavailable,
        hint: 'rebuild it with `npm rebuild tree-sitter tree-sitter-python` (needs g++), or use EXPKIT_PARSER=wasm',
      });
    }
    return (await import('./wasm.js')).loadWasmParser();
  }
}
