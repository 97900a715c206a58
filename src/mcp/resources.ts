/**
 * Resources: each run's manifest and log, `expkit://runs/NAME/manifest` and `expkit://runs/NAME/log`,
 * read from the project's run registry (`.expkit/runs/`, or $EXPKIT_HOME) without a child process:
 * reading files never writes to stdout.
 */
import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ExitCode, ExpkitError } from '../core/errors.js';
import { RUN_FILES, runsDir } from '../launch/paths.js';
import { listRunEntries, loadRunEntry } from '../launch/registry.js';

export interface ResourceText {
  uri: string;
  mimeType: string;
  text: string;
}

export interface ResourceEntry {
  uri: string;
  name: string;
  title: string;
  mimeType: string;
}

/** A log larger than this is read from its end: a resource is read whole into a client's context. */
export const MAX_LOG_BYTES = 1024 * 1024;

const KINDS = {
  manifest: { file: RUN_FILES.manifest, mimeType: 'application/json' },
  log: { file: RUN_FILES.log, mimeType: 'text/plain' },
} as const;
type Kind = keyof typeof KINDS;

export const RESOURCE_TEMPLATES = (Object.keys(KINDS) as Kind[]).map((kind) => ({
  uriTemplate: `expkit://runs/{name}/${kind}`,
  name: `run-${kind}`,
  title: `A run's ${kind === 'log' ? 'output log' : 'manifest'}`,
  mimeType: KINDS[kind].mimeType,
}));

export function listRunResources(root: string): ResourceEntry[] {
  return listRunEntries(runsDir(root)).flatMap((run) =>
    (Object.keys(KINDS) as Kind[]).map((kind) => ({ uri: runUri(run.name, kind), name: `${run.name} ${kind}`, title: `${run.name}: ${kind === 'log' ? 'output log' : 'manifest'}`, mimeType: KINDS[kind].mimeType })),
  );
}

export function runUri(name: string, kind: Kind): string {
  return `expkit://runs/${encodeURIComponent(name)}/${kind}`;
}

/** Parse `expkit://runs/NAME/KIND`; null for any other URI. */
export function parseRunUri(uri: string): { name: string; kind: Kind } | null {
  const m = /^expkit:\/\/runs\/([^/]+)\/(manifest|log)$/.exec(uri);
  if (!m) return null;
  try {
    return { name: decodeURIComponent(m[1]), kind: m[2] as Kind };
  } catch {
    return null;
  }
}

export function readRunResource(root: string, uri: string): ResourceText {
  const parsed = parseRunUri(uri);
  if (!parsed) throw new ExpkitError(`no such resource: ${uri}`, { exitCode: ExitCode.Usage, hint: 'resources are expkit://runs/NAME/manifest and expkit://runs/NAME/log' });
  // loadRunEntry checks the name (no path tricks) and that the run exists.
  const run = loadRunEntry(runsDir(root), parsed.name);
  const path = join(run.dir, KINDS[parsed.kind].file);
  const text = parsed.kind === 'log' ? readTail(path) : readFileSync(path, 'utf8');
  return { uri, mimeType: KINDS[parsed.kind].mimeType, text };
}

/** The log's last MAX_LOG_BYTES ('' before the run wrote any). */
function readTail(path: string): string {
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    return '';
  }
  const start = Math.max(0, size - MAX_LOG_BYTES);
  const buf = Buffer.alloc(size - start);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, buf, 0, buf.length, start);
  } finally {
    closeSync(fd);
  }
  return buf.toString('utf8');
}
