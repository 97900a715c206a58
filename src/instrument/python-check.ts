/**
 * One CPython process checks a patched file: compile() it, then look for names the inserted code
 * reads where they are not bound (the program is in python/check-script.ts). One spawn, because
 * starting Python is most of the cost of `expkit instrument` on top of the analysis.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { PYTHON_CHECK_SCRIPT } from './python/check-script.js';

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

/** Where to look for reads: one line of the patched file, [start, end) in UTF-8 bytes as CPython's col_offset counts. */
export interface ByteSpan {
  line: number;
  start: number;
  end: number;
}

/** A name read at (line, col) of the patched file (col in UTF-8 bytes) that is not bound there on every path. */
export interface UnboundRead {
  line: number;
  col: number;
  name: string;
}

export interface PythonCheck {
  compile: CompileResult;
  /** Unbound reads inside the spans; null when the scope check could not run (with the reason). */
  unbound: UnboundRead[] | null;
  scopeError?: string;
}

type Report = { ok: false; line: number | null; message: string } | { ok: true; unbound: [number, number, string][] | null; error?: string };

/** CPython's verdict on `source` (the file's bytes) and, when it compiles, the unbound reads inside `spans`. */
export function runPythonCheck(python: string, source: Uint8Array, path: string, spans: readonly ByteSpan[] = []): PythonCheck {
  const spanArg = spans.map((s) => `${s.line}:${s.start}:${s.end}`).join(',');
  // -I: nothing from the environment or user site; -S: no site import, the check needs none (faster start).
  const r = spawnSync(python, ['-I', '-S', '-c', PYTHON_CHECK_SCRIPT, path, spanArg], { input: source, encoding: 'utf8', timeout: 30_000, maxBuffer: 1 << 22 });
  if (r.error) return skipped(`${python} did not run: ${r.error.message}`);
  let report: Report | null = null;
  if (r.status === 0 || r.status === 1) {
    try {
      report = JSON.parse(r.stdout.trim()) as Report;
    } catch {
      /* not our report: fall through */
    }
  }
  if (!report) return skipped(`${python} failed (${r.status ?? r.signal}): ${(r.stderr || r.stdout).trim().split('\n').pop() ?? ''}`);
  if (!report.ok) return { compile: { ok: false, line: report.line, message: report.message }, unbound: [] };
  if (report.unbound === null) return { compile: { ok: true }, unbound: null, scopeError: report.error ?? 'unknown error' };
  return { compile: { ok: true }, unbound: report.unbound.map(([line, col, name]) => ({ line, col, name })) };
}

function skipped(reason: string): PythonCheck {
  return { compile: { ok: null, reason }, unbound: null, scopeError: reason };
}

/** CPython's compile() verdict alone; ok: null when no Python could run. */
export function pythonCompile(python: string, source: Uint8Array, path: string): CompileResult {
  return runPythonCheck(python, source, path).compile;
}
