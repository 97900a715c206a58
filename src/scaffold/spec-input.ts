/**
 * Reading the spec scaffold works from, defensively: it may be anything a path can name.
 * Only a regular file of sane size is read (a FIFO or /dev/zero would block or never end),
 * and whatever the YAML parser throws on hostile input (alias bombs) is a usage error.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { ExitCode, ExpkitError } from '../core/errors.js';
import { parseSpecText, type ExperimentSpec } from '../spec/frontmatter.js';

/** No experiment spec is this big; a larger one is a mistake (or an attack). */
export const MAX_SPEC_BYTES = 8 * 1024 * 1024;

const utf8 = new TextDecoder('utf-8', { fatal: true });

function bad(message: string): ExpkitError {
  return new ExpkitError(message, { exitCode: ExitCode.Usage });
}

export function readScaffoldSpec(path: string): ExperimentSpec {
  let size: number;
  try {
    const st = statSync(path);
    if (st.isDirectory()) throw bad(`the spec ${path} is a directory, not a Markdown file`);
    if (!st.isFile()) throw bad(`the spec ${path} is not a regular file (a pipe, device or socket); give a Markdown file`);
    size = st.size;
  } catch (err) {
    if (err instanceof ExpkitError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw bad(code === 'ENOENT' ? `spec file not found: ${path}` : `cannot read the spec ${path}: ${(err as Error).message}`);
  }
  if (size > MAX_SPEC_BYTES) throw bad(`the spec ${path} is ${(size / 1024 / 1024).toFixed(1)} MB; specs are read up to ${MAX_SPEC_BYTES / 1024 / 1024} MB`);
  const bytes = readAtMost(path, MAX_SPEC_BYTES + 1);
  // The file grew between the stat and the read.
  if (bytes.length > MAX_SPEC_BYTES) throw bad(`the spec ${path} is over ${MAX_SPEC_BYTES / 1024 / 1024} MB`);
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw bad(`the spec ${path} is not valid UTF-8`);
  }
  try {
    return parseSpecText(text, path);
  } catch (err) {
    if (err instanceof ExpkitError) throw err;
    // The YAML library's guards (e.g. "Excessive alias count indicates a resource exhaustion attack").
    throw bad(`malformed frontmatter in ${path}: ${(err as Error).message.split('\n')[0]}`);
  }
}

function readAtMost(path: string, limit: number): Buffer {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    throw bad(`cannot read the spec ${path}: ${(err as Error).message}`);
  }
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buf = Buffer.alloc(Math.min(1 << 20, limit - total));
      if (buf.length === 0) break;
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      chunks.push(buf.subarray(0, n));
      total += n;
    }
    return Buffer.concat(chunks);
  } finally {
    closeSync(fd);
  }
}
