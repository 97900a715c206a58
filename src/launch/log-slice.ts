/** Reading a run's log from a byte offset, for agents that poll only what is new. */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { ExitCode, ExpkitError } from '../core/errors.js';

/**
 * How many of BYTES form whole UTF-8 characters: a character still being written is left for the
 * next read, so a slice never ends in half a character (which would decode as U+FFFD twice).
 * Only the last 1-3 bytes can be an incomplete sequence; a broken one that cannot complete is kept.
 */
export function completeUtf8Length(bytes: Uint8Array): number {
  const n = bytes.length;
  for (let back = 1; back <= Math.min(3, n); back++) {
    const b = bytes[n - back];
    if ((b & 0xc0) === 0x80) continue; // a continuation byte: look further back for the lead
    const need = b >= 0xf0 && b <= 0xf4 ? 4 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xc2 && b <= 0xdf ? 2 : 1;
    return need > back ? n - back : n;
  }
  return n;
}

export interface LogSlice {
  text: string;
  /** The byte offset to pass next time. */
  nextOffset: number;
  /** Bytes in the file when it was read. */
  size: number;
}

/**
 * The log's bytes from OFFSET to its end, cut at a character boundary unless FINAL (the run has
 * ended, so nothing can complete a trailing partial character). A missing log is an empty one.
 */
export function readLogSince(path: string, offset: number, final: boolean): LogSlice {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    fd = -1;
  }
  try {
    const size = fd < 0 ? 0 : fstatSync(fd).size;
    if (offset > size) {
      throw new ExpkitError(`--since ${offset} is past the end of the log (${size} bytes)`, { exitCode: ExitCode.Usage, hint: 'pass 0, or the nextOffset a previous read returned' });
    }
    const buf = Buffer.alloc(size - offset);
    let read = 0;
    while (read < buf.length) {
      const got = readSync(fd, buf, read, buf.length - read, offset + read);
      if (got === 0) break;
      read += got;
    }
    const bytes = buf.subarray(0, read);
    const take = final ? bytes.length : completeUtf8Length(bytes);
    return { text: bytes.subarray(0, take).toString('utf8'), nextOffset: offset + take, size };
  } finally {
    if (fd >= 0) closeSync(fd);
  }
}
