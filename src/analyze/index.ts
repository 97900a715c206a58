/**
 * The static analyzer: a pure function from source text to findings. It never imports or
 * runs the script.
 */
import type { ParsedSource, PythonParser } from '../parser/index.js';
import type { SourceText } from '../core/source-text.js';
import { AnalysisContext } from './context.js';
import { findConfig } from './config.js';
import { findDistributed } from './distributed.js';
import { findEvalPoints } from './eval.js';
import { findExisting } from './existing.js';
import { findExitPoints } from './exits.js';
import { findFramework } from './framework.js';
import { findImports } from './imports.js';
import { findTrainLoops } from './loops.js';
import { findParseErrors } from './parse-errors.js';
import type { Analysis } from './types.js';

export type { Analysis } from './types.js';

export function analyzeSource(parser: PythonParser, src: SourceText, file: string): Analysis {
  const parsed = parser.parse(src.text);
  try {
    return analyzeParsed(parsed, src, file);
  } finally {
    parsed.dispose();
  }
}

/** The analysis of an already parsed file (the caller owns and disposes the tree). */
export function analyzeParsed(parsed: ParsedSource, src: SourceText, file: string): Analysis {
  const ctx = new AnalysisContext(src, parsed.root, parsed.captures());
  const trainLoops = findTrainLoops(ctx);
  const framework = findFramework(ctx, trainLoops);
  return {
    schemaVersion: 1,
    file,
    parseErrors: findParseErrors(parsed.root, src),
    framework,
    imports: findImports(ctx),
    config: findConfig(ctx),
    trainLoops,
    evalPoints: findEvalPoints(ctx),
    exitPoints: findExitPoints(ctx, trainLoops, framework.libraryTrainer),
    existing: findExisting(ctx, trainLoops),
    distributed: findDistributed(ctx),
  };
}
