/**
 * One CPython process checks a patched file: compile() it, then look for names the inserted code
 * reads where they are not bound (the program is in python/check-script.ts). One process per
 * check, started ahead when it can be (StartedPythonCheck.start): starting Python and compiling the check
 * program then overlap the planning instead of following it.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
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

/** How CPython checked a file that compiles: whole, or only the parts the edits changed (the rest as prepared from the original). */
export type CheckMode = 'full' | 'incremental';

export interface PythonCheck {
  compile: CompileResult;
  mode?: CheckMode;
  /** Unbound reads inside the spans; null when the scope check could not run (with the reason). */
  unbound: UnboundRead[] | null;
  scopeError?: string;
}

type Report = { ok: false; line: number | null; message: string } | { ok: true; mode: CheckMode; unbound: [number, number, string][] | null; error?: string };

const TIMEOUT_MS = 30_000;
const MAX_OUTPUT = 1 << 22;

/** An edit as CPython sees it: bytes [start, end) of the original file replaced by `length` bytes. */
export interface ByteEdit {
  start: number;
  end: number;
  length: number;
}

/**
 * -I: nothing from the environment or user site; -S: no site import, the check needs none (faster start).
 * With the original file's path, the process parses and compiles the original while it waits, and
 * then only what the edits changed (see python/check-script.ts).
 */
function pythonArgs(path?: string, original?: string): string[] {
  return ['-I', '-S', '-c', PYTHON_CHECK_SCRIPT, ...(path === undefined ? [] : [path]), ...(original === undefined ? [] : [original])];
}

/** The first line a process started without a path reads: the path and the original's, as hex of their UTF-8 (any byte may be in a path). */
function namesLine(path: string, original?: string): Buffer {
  const hex = (s: string) => Buffer.from(s, 'utf8').toString('hex');
  return Buffer.from(`${hex(path)}${original === undefined ? '' : ` ${hex(original)}`}\n`, 'latin1');
}

/** A process started before the command knew its file (StartedPythonCheck.startEarly), until a check takes it. */
let early: StartedPythonCheck | null = null;
/** Whether a check has started: an early start after it would only compete with it for the CPU. */
let checkStarted = false;

/** What the check reads on stdin: the spans ("LINE:START:END,…") and the edits ("START:END:LENGTH,…") on a line each, then the file's bytes. */
function checkInput(source: Uint8Array, spans: readonly ByteSpan[], edits: readonly ByteEdit[]): Buffer {
  const spanLine = spans.map((s) => `${s.line}:${s.start}:${s.end}`).join(',');
  const editLine = edits.map((e) => `${e.start}:${e.end}:${e.length}`).join(',');
  return Buffer.concat([Buffer.from(`${spanLine}\n${editLine}\n`, 'latin1'), source]);
}

/** The check program's report, or why there is none. */
function readReport(python: string, status: number | null, signal: string | null, stdout: string, stderr: string): PythonCheck {
  let report: Report | null = null;
  if (status === 0 || status === 1) {
    try {
      report = JSON.parse(stdout.trim()) as Report;
    } catch {
      /* not our report: fall through */
    }
  }
  if (!report) return skipped(`${python} failed (${status ?? signal}): ${(stderr || stdout).trim().split('\n').pop() ?? ''}`);
  if (!report.ok) return { compile: { ok: false, line: report.line, message: report.message }, unbound: [] };
  if (report.unbound === null) return { compile: { ok: true }, mode: report.mode, unbound: null, scopeError: report.error ?? 'unknown error' };
  return { compile: { ok: true }, mode: report.mode, unbound: report.unbound.map(([line, col, name]) => ({ line, col, name })) };
}

function skipped(reason: string): PythonCheck {
  return { compile: { ok: null, reason }, unbound: null, scopeError: reason };
}

/** The file a patched file was made from, and the edits that made it: what an incremental check starts from. */
export interface PatchOrigin {
  /** The original file (an absolute path). */
  original: string;
  edits: readonly ByteEdit[];
}

/**
 * CPython's verdict on `source` (the file's bytes) and, when it compiles, the unbound reads inside
 * `spans`; blocks until it has it. With `from`, the check is incremental where it can be.
 */
export function runPythonCheck(python: string, source: Uint8Array, path: string, spans: readonly ByteSpan[] = [], from?: PatchOrigin): PythonCheck {
  const r = spawnSync(python, pythonArgs(path, from?.original), { input: checkInput(source, spans, from?.edits ?? []), encoding: 'utf8', timeout: TIMEOUT_MS, maxBuffer: MAX_OUTPUT });
  if (r.error) return skipped(`${python} did not run: ${r.error.message}`);
  return readReport(python, r.status, r.signal, r.stdout, r.stderr);
}

/** CPython's compile() verdict alone; ok: null when no Python could run. */
export function pythonCompile(python: string, source: Uint8Array, path: string): CompileResult {
  return runPythonCheck(python, source, path).compile;
}

/**
 * A CPython process started before its file is known: it starts up and compiles the check
 * program, then waits for `run`. While it waits it does not keep Node alive, so a command that
 * fails before its check leaves nothing behind (the process ends when its stdin closes).
 */
export class StartedPythonCheck {
  private used = false;
  private readonly out: Buffer[] = [];
  private readonly err: Buffer[] = [];
  private size = 0;
  private failure: string | null = null;
  /** Settles once, when the process has ended (or could not start). */
  private readonly ended: Promise<{ status: number | null; signal: string | null; error: Error | null }>;

  private constructor(
    readonly python: string,
    private named: string | null,
    private readonly child: ChildProcessWithoutNullStreams,
  ) {
    this.ended = new Promise((resolve) => {
      child.on('error', (error) => resolve({ status: null, signal: null, error }));
      child.on('close', (status, signal) => resolve({ status, signal, error: null }));
    });
    child.stdout.on('data', (chunk: Buffer) => this.collect(this.out, chunk));
    child.stderr.on('data', (chunk: Buffer) => this.collect(this.err, chunk));
    child.stdin.on('error', () => {
      /* a process that died early: its exit status says why */
    });
  }

  /**
   * `original`: the file the edits apply to (an absolute path), for an incremental check. Takes the
   * process startEarly started for this interpreter when there is one.
   */
  static start(python: string, path: string, original?: string): StartedPythonCheck {
    checkStarted = true;
    const waiting = early;
    early = null;
    if (waiting && waiting.python === python && !waiting.used && waiting.named === null) {
      waiting.named = path;
      waiting.child.stdin.write(namesLine(path, original));
      return waiting;
    }
    waiting?.cancel();
    return StartedPythonCheck.spawned(python, path, original);
  }

  /**
   * Start CPython before the file is known (the command line is still being read): its start-up,
   * the longest part of a check of a short script, then overlaps Node's. The next `start` for the
   * same interpreter takes it; unused, it ends with Node (its stdin closes). Once a check has
   * started, it does nothing (the command got there first).
   */
  static startEarly(python: string): void {
    if (early === null && !checkStarted) early = StartedPythonCheck.spawned(python);
  }

  private static spawned(python: string, path?: string, original?: string): StartedPythonCheck {
    const child = spawn(python, pythonArgs(path, original), { stdio: ['pipe', 'pipe', 'pipe'] });
    const started = new StartedPythonCheck(python, path ?? null, child);
    started.hold(false);
    return started;
  }

  /** The file name CPython reports (the path the check was started for). */
  get path(): string {
    return this.named ?? '';
  }

  /** The process id (undefined when it could not start). */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Whether `run` may still be called (each process checks one file). */
  get available(): boolean {
    return !this.used;
  }

  /**
   * Send the file's bytes, the spans and the edits that made it from the original; resolves with
   * CPython's verdict (rejects only when called twice). The edits matter only when the process was
   * started with the original; they are checked against its bytes, and a mismatch means a whole check.
   */
  run(source: Uint8Array, spans: readonly ByteSpan[] = [], edits: readonly ByteEdit[] = []): Promise<PythonCheck> {
    return this.submit(source, spans, edits).result;
  }

  /**
   * run, in two steps: `written` settles once the input is all in the pipe. A caller that goes on
   * with synchronous work should wait for it first: a pipe holds 64 KiB, and the rest would wait
   * for Node's event loop, that is, for the end of that work.
   */
  submit(source: Uint8Array, spans: readonly ByteSpan[] = [], edits: readonly ByteEdit[] = []): { written: Promise<void>; result: Promise<PythonCheck> } {
    if (this.used) {
      const misuse = Promise.reject(new Error('a started Python check runs once'));
      return { written: misuse.catch(() => undefined), result: misuse };
    }
    this.used = true;
    this.hold(true);
    const timer = setTimeout(() => this.stop(`it took longer than ${TIMEOUT_MS / 1000} s`), TIMEOUT_MS);
    const written = new Promise<void>((resolve) => this.child.stdin.end(checkInput(source, spans, edits), () => resolve()));
    const result = this.ended.then(({ status, signal, error }) => {
      clearTimeout(timer);
      const { python } = this;
      if (error) return skipped(`${python} did not run: ${error.message}`);
      if (this.failure) return skipped(`${python} failed: ${this.failure}`);
      return readReport(python, status, signal, Buffer.concat(this.out).toString('utf8'), Buffer.concat(this.err).toString('utf8'));
    });
    return { written, result };
  }

  /** End the process unused. */
  cancel(): void {
    if (this.used) return;
    this.used = true;
    this.child.kill();
  }

  private collect(into: Buffer[], chunk: Buffer): void {
    this.size += chunk.length;
    if (this.size > MAX_OUTPUT) this.stop('its output was too long');
    else into.push(chunk);
  }

  private stop(why: string): void {
    this.failure ??= why;
    this.child.kill('SIGKILL');
  }

  /** Ref or unref the process and its pipes: a process waiting for work must not keep Node running. */
  private hold(on: boolean): void {
    for (const h of [this.child, this.child.stdin, this.child.stdout, this.child.stderr] as { ref(): void; unref(): void }[]) {
      if (on) h.ref();
      else h.unref();
    }
  }
}

/** runPythonCheck without blocking: Node works on while CPython checks. */
export function pythonCheck(python: string, source: Uint8Array, path: string, spans: readonly ByteSpan[] = []): Promise<PythonCheck> {
  return StartedPythonCheck.start(python, path).run(source, spans);
}
