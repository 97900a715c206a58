import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { ExitCode, ExpkitError } from '../core/errors.js';
import { makeSourceText, type SourceText } from '../core/source-text.js';

/** Python sources larger than this are refused: no training script is that big. */
export const MAX_SOURCE_BYTES = 5 * 1024 * 1024;

export interface SourceFile extends SourceText {
  readonly path: string;
  /** The bytes exactly as read. */
  readonly bytes: Buffer;
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function bad(message: string): ExpkitError {
  return new ExpkitError(message, { exitCode: ExitCode.Usage });
}

/**
 * Read a Python source exactly as it is on disk. Anything that is not a readable, non-empty
 * UTF-8 text file of sane size is a one-line usage error.
 */
export function readSourceFile(path: string): SourceFile {
  let size: number;
  try {
    const st = statSync(path);
    if (st.isDirectory()) throw bad(`${path} is a directory, not a Python file`);
    if (!st.isFile()) throw bad(`${path} is not a regular file`);
    size = st.size;
  } catch (err) {
    if (err instanceof ExpkitError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw bad(`no such file: ${path}`);
    if (code === 'EACCES') throw bad(`cannot read ${path}: permission denied`);
    throw bad(`cannot read ${path}: ${(err as Error).message}`);
  }
  if (size > MAX_SOURCE_BYTES) {
    throw bad(`${path} is ${(size / 1024 / 1024).toFixed(1)} MB; expkit reads Python sources up to ${MAX_SOURCE_BYTES / 1024 / 1024} MB`);
  }
  const bytes = readExactly(path, size);
  if (bytes.length === 0) throw bad(`${path} is empty`);
  if (bytes.includes(0)) throw bad(`${path} looks like a binary file (it contains NUL bytes), not Python source`);
  let decoded: string;
  try {
    decoded = utf8.decode(bytes);
  } catch {
    const at = firstInvalidUtf8(bytes);
    const line = bytes.subarray(0, at).filter((b) => b === 10).length + 1;
    throw bad(`${path} is not valid UTF-8 (byte ${at}, line ${line}); expkit reads UTF-8 Python sources`);
  }
  if (decoded.replace(/^\uFEFF/, '').trim() === '') throw bad(`${path} is empty (only whitespace)`);
  return { path, bytes, ...makeSourceText(decoded) };
}

function readExactly(path: string, size: number): Buffer {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw bad(code === 'EACCES' ? `cannot read ${path}: permission denied` : `cannot read ${path}: ${(err as Error).message}`);
  }
  try {
    const buf = Buffer.alloc(size);
    let off = 0;
    while (off < size) {
      const n = readSync(fd, buf, off, size - off, off);
      if (n === 0) break;
      off += n;
    }
    return buf.subarray(0, off);
  } finally {
    closeSync(fd);
  }
}

/** Byte offset of the first invalid UTF-8 sequence. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    const need = b < 0x80 ? 0 : b >> 5 === 6 ? 1 : b >> 4 === 14 ? 2 : b >> 3 === 30 ? 3 : -1;
    if (need < 0) return i;
    for (let k = 1; k <= need; k++) if (i + k >= bytes.length || bytes[i + k]! >> 6 !== 2) return i;
    i += need + 1;
  }
  return i;
}
