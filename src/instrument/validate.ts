/**
 * Check a patched text before it is offered: tree-sitter must find no syntax error the
 * original did not have, and CPython (when there is one) must compile it. A patch that fails
 * is refused with the line, never written.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { lineAt, makeSourceText, type SourceText } from '../core/source-text.js';
import { ExitCode, ExpkitError } from '../core/errors.js';
import type { PythonParser, SyntaxNode } from '../parser/index.js';
import { insertedRanges } from './splice.js';
import type { TextEdit } from './types.js';

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
 * Returns its 1-based line in the patched text, or null.
 */
export function newSyntaxErrorLine(parser: PythonParser, original: SourceText, edits: readonly TextEdit[], patched: string): number | null {
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

/** `/usr/bin/python3` when present (Debian's, the one with torch), else `python3` on PATH. */
export function findPython(env: NodeJS.ProcessEnv = process.env): string | null {
  const candidates = ['/usr/bin/python3', ...(env.PATH ?? '').split(delimiter).filter(Boolean).map((d) => join(d, 'python3'))];
  for (const c of candidates) {
    try {
      accessSync(c, constants.X_OK);
      return c;
    } catch {
      /* next */
    }
  }
  return null;
}

export type CompileResult = { ok: true } | { ok: false; line: number | null; message: string } | { ok: null; reason: string };

// Reads the source bytes from stdin (so a BOM or coding cookie is honoured) and compiles them.
const COMPILE_SCRIPT = `import json, sys
src = sys.stdin.buffer.read()
try:
    compile(src, sys.argv[1], "exec", dont_inherit=True)
except (SyntaxError, ValueError) as e:
    print(json.dumps({"line": getattr(e, "lineno", None), "message": getattr(e, "msg", None) or str(e)}))
    sys.exit(1)
`;

/** CPython's verdict on `source` (the file's bytes); ok: null when no Python could run. */
export function pythonCompile(python: string, source: Uint8Array, path: string): CompileResult {
  // -I: nothing from the environment or user site; -S: no site import, compile() needs none (faster start).
  const r = spawnSync(python, ['-I', '-S', '-c', COMPILE_SCRIPT, path], { input: source, encoding: 'utf8', timeout: 30_000, maxBuffer: 1 << 20 });
  if (r.error) return { ok: null, reason: `${python} did not run: ${r.error.message}` };
  if (r.status === 0) return { ok: true };
  if (r.status === 1) {
    try {
      const e = JSON.parse(r.stdout.trim()) as { line: number | null; message: string };
      return { ok: false, line: e.line, message: e.message };
    } catch {
      /* not our report: fall through */
    }
  }
  return { ok: null, reason: `${python} failed (${r.status ?? r.signal}): ${(r.stderr || r.stdout).trim().split('\n').pop() ?? ''}` };
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
}

/**
 * Throws a Refused ExpkitError naming the line when the patched text does not parse; returns
 * notes for the user (e.g. that CPython was not available for the check).
 */
export function validatePatched(v: ValidateInput): string[] {
  const notes: string[] = [];
  const tsLine = newSyntaxErrorLine(v.parser, v.original, v.edits, v.patchedText);
  if (tsLine !== null) throw brokenPatch(v.path, tsLine, 'syntax error');
  if (v.python === null) {
    notes.push('no python3 found: the patched file was checked with tree-sitter only');
    return notes;
  }
  const after = pythonCompile(v.python, v.patchedBytes, v.path);
  if (after.ok === true) return notes;
  if (after.ok === null) {
    notes.push(`the CPython compile check was skipped: ${after.reason}`);
    return notes;
  }
  // A script this Python cannot compile as it is (newer syntax, existing errors) says nothing about the patch.
  const before = pythonCompile(v.python, v.original.bytes, v.path);
  if (before.ok === false) {
    notes.push(`${v.python} cannot compile the original either (line ${before.line ?? '?'}: ${before.message}); checked with tree-sitter only`);
    return notes;
  }
  throw brokenPatch(v.path, after.line, after.message);
}

function brokenPatch(path: string, line: number | null, message: string): ExpkitError {
  return new ExpkitError(`the patched ${path} would not compile (line ${line ?? '?'} of the patched file: ${message}); nothing was changed`, {
    exitCode: ExitCode.Refused,
    hint: 'this is a bug in expkit\'s patch planning: please report it with the script',
  });
}
