/** The JSON form of `expkit attach --json`: what to run to attach (documented in docs/json-output.md). */
import { shJoin } from '../core/quote.js';
import type { Manifest, RunState } from '../launch/manifest.js';

export function attachJson(manifest: Manifest, state: RunState, argv: string[]) {
  return { schemaVersion: 1, name: manifest.name, backend: manifest.backend, state, argv, command: shJoin(argv) };
}
