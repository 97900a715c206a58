/**
 * Check a patched text before it is offered: tree-sitter must find no syntax error the
 * original did not have, CPython (when there is one) must compile it, and every name the
 * inserted code reads must be bound where it is read. A patch that does not compile is
 * refused with the line, never written; unbound reads go back to the engine, which drops
 * the kinds that made them.
 */
import { lineAt, makeSourceText, type SourceText } from '../core/source-text.js';
import { ExitCode, ExpkitError } from '../core/errors.js';
import type { PythonParser, SyntaxNode } from '../parser/index.js';
import { pythonCheck, StartedPythonCheck, type PythonCheck } from './python-check.js';
import { attributeReads, insertedSpans, type EditSpan, type UnboundInsertedRead } from './scope-check.js';
import { changedPieces, standsAlone, topLevelUnits } from './changed-pieces.js';
import { byteEdits, insertedRanges } from './splice.js';
import type { TextEdit } from './types.js';

export { findPython, pythonCompile, StartedPythonCheck, type CompileResult } from './python-check.js';

/** Start indices of the outermost ERROR and MISSING nodes. */
export function errorIndices(parser: PythonParser, text: string): number[] {
  const parsed = parser.parse(text);
  try {
    const out: number[] = [];
    const visit = (node: SyntaxNode) => {
      if (node.isError || node.isMissing) {
        out.push(node.startIndex);
        return;
      }
      for (const child of node.children) if (child.hasError || child.isMissing) visit(child);
    };
    if (parsed.root.hasError) visit(parsed.root);
    return out;
  } finally {
    parsed.dispose();
  }
}

/**
 * The first syntax error tree-sitter finds in the patched text that the patch introduced:
 * one inside (or right after) inserted text, or any error beyond the original's count.
 * Returns its 1-based line in the patched text, or null. With the original's tree
 * (`originalRoot`), a patch whose changed pieces parse cleanly on their own is clean without a
 * parse of the whole text (see changed-pieces.ts); otherwise the whole text says where.
 */
export function newSyntaxErrorLine(parser: PythonParser, original: SourceText, edits: readonly TextEdit[], patched: string, originalRoot?: SyntaxNode): number | null {
  if (originalRoot && piecesParseClean(parser, original, originalRoot, edits, patched)) return null;
  const after = errorIndices(parser, patched);
  if (after.length === 0) return null;
  const before = errorIndices(parser, original.text);
  const ranges = insertedRanges(edits);
  const patchedSrc = makeSourceText(patched);
  const inEdit = after.find((i) => ranges.some((r) => i >= r.start && i <= r.end));
  if (inEdit !== undefined) return lineAt(patchedSrc, inEdit);
  if (after.length > before.length) return lineAt(patchedSrc, after[0]!);
  return null;
}

/** Whether tree-sitter finds no error in the original, and none in the patched text's changed pieces, each read on its own. */
export function piecesParseClean(parser: PythonParser, original: SourceText, originalRoot: SyntaxNode, edits: readonly TextEdit[], patched: string): boolean {
  if (originalRoot.hasError) return false;
  for (const piece of changedPieces(original, topLevelUnits(original, originalRoot), edits, patched)) {
    const text = patched.slice(piece.start, piece.end);
    if (!standsAlone(text) || errorIndices(parser, text).length > 0) return false;
  }
  return true;
}

export interface ValidateInput {
  parser: PythonParser;
  original: SourceText & { bytes: Uint8Array };
  edits: readonly TextEdit[];
  patchedText: string;
  patchedBytes: Uint8Array;
  /** Shown in messages and passed to compile(). */
  path: string;
  /** The interpreter for the compile check; null skips it. */
  python: string | null;
  /** A process started ahead for this interpreter and path (StartedPythonCheck.start); used when it is still available. */
  started?: StartedPythonCheck;
  /** The original's syntax tree, when the caller has it: tree-sitter then reads only the changed pieces. */
  originalRoot?: SyntaxNode;
}

export interface Validated {
  /** Things the user should know about the checks (e.g. no Python to compile with). */
  notes: string[];
  /** Inserted reads of names that are not bound there (empty when the scope check could not run). */
  unbound: UnboundInsertedRead[];
}

/** CPython at work on a patched file: what it was asked to look at, and its verdict to come. */
export interface CpythonCheck {
  python: string;
  spans: EditSpan[];
  verdict: Promise<PythonCheck>;
}

/**
 * Hand CPython the patched file (null without an interpreter); resolves once CPython has all of
 * it, so the caller can work on synchronously (tree-sitter, the diff) while CPython checks.
 */
export async function startCpythonCheck(v: ValidateInput): Promise<CpythonCheck | null> {
  if (v.python === null) return null;
  const spans = insertedSpans(v.patchedText, v.edits);
  const { written, result } = pythonProcess(v.python, v.path, v.started).submit(v.patchedBytes, spans, byteEdits(v.original, v.edits));
  await written;
  return { python: v.python, spans, verdict: result };
}

/**
 * Rejects with a Refused ExpkitError naming the line when the patched text does not parse or
 * compile; resolves to notes for the user and the inserted reads of unbound names.
 */
export async function validatePatched(v: ValidateInput): Promise<Validated> {
  return finishValidation(v, await startCpythonCheck(v));
}

/** validatePatched once CPython has the file: tree-sitter's check, then CPython's verdict. */
export async function finishValidation(v: ValidateInput, cpython: CpythonCheck | null): Promise<Validated> {
  const tsLine = newSyntaxErrorLine(v.parser, v.original, v.edits, v.patchedText, v.originalRoot);
  if (tsLine !== null) throw brokenPatch(v.path, tsLine, 'syntax error');
  if (cpython === null) {
    return { notes: ['no python3 found: the patched file was checked with tree-sitter only, and the names it reads were not checked'], unbound: [] };
  }
  const { python, spans } = cpython;
  const after = await cpython.verdict;
  if (after.compile.ok === null) return { notes: [`the CPython compile check was skipped: ${after.compile.reason}`], unbound: [] };
  if (after.compile.ok === false) {
    // A script this Python cannot compile as it is (newer syntax, existing errors) says nothing about the patch.
    const before = (await pythonCheck(python, v.original.bytes, v.path)).compile;
    if (before.ok === false) {
      return { notes: [`${python} cannot compile the original either (line ${before.line ?? '?'}: ${before.message}); checked with tree-sitter only`], unbound: [] };
    }
    throw brokenPatch(v.path, after.compile.line, after.compile.message);
  }
  if (after.unbound === null) return { notes: [`the check of the names the patch reads was skipped: ${after.scopeError ?? 'unknown error'}`], unbound: [] };
  return { notes: [], unbound: attributeReads(after.unbound, spans) };
}

/** The started process when it fits (same interpreter and path, not used yet), else a new one. */
function pythonProcess(python: string, path: string, started: StartedPythonCheck | undefined): StartedPythonCheck {
  if (started && started.available && started.python === python && started.path === path) return started;
  return StartedPythonCheck.start(python, path);
}

function brokenPatch(path: string, line: number | null, message: string): ExpkitError {
  return new ExpkitError(`the patched ${path} would not compile (line ${line ?? '?'} of the patched file: ${message}); nothing was changed`, {
    exitCode: ExitCode.Refused,
    hint: 'this is a bug in expkit\'s patch planning: please report it with the script',
  });
}
