/**
 * Reading manifest.json defensively: one damaged record (`{}`, `null`, truncated, binary) must
 * not break `list`/`status` for the others, and must never be rewritten. Pure.
 */
import { BACKENDS, type Manifest } from './manifest.js';

export type ParsedManifest = { ok: true; manifest: Manifest } | { ok: false; reason: string };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The first field the code depends on that is missing or of the wrong kind, or null. */
function badField(m: Record<string, unknown>): string | null {
  if (m.schemaVersion !== 1) return 'schemaVersion is not 1';
  if (typeof m.name !== 'string' || m.name === '') return 'name is missing';
  if (typeof m.backend !== 'string' || !(BACKENDS as readonly string[]).includes(m.backend)) return 'backend is missing or unknown';
  if (!isObject(m.handle)) return 'handle is missing';
  if (!Array.isArray(m.command) || !m.command.every((a) => typeof a === 'string')) return 'command is not a list of strings';
  if (typeof m.cwd !== 'string') return 'cwd is missing';
  if (typeof m.createdAt !== 'string') return 'createdAt is missing';
  if (typeof m.logPath !== 'string') return 'logPath is missing';
  if (m.seed !== null && m.seed !== undefined && typeof m.seed !== 'number') return 'seed is not a number';
  if (m.slug !== null && m.slug !== undefined && typeof m.slug !== 'string') return 'slug is not a string';
  if (m.runId !== undefined && typeof m.runId !== 'string') return 'runId is not a string';
  return null;
}

export function parseManifest(text: string): ParsedManifest {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { ok: false, reason: `manifest.json is not valid JSON (${(err as Error).message.split('\n')[0]})` };
  }
  if (!isObject(value)) return { ok: false, reason: `manifest.json holds ${value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value}, not a run record` };
  const bad = badField(value);
  return bad ? { ok: false, reason: `manifest.json: ${bad}` } : { ok: true, manifest: value as unknown as Manifest };
}
