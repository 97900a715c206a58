/**
 * Resources for expkit's patch records: `expkit://patches/PATH`, one per patched file (PATH relative
 * to the project root, URI-encoded as one segment), whose text is that file's entry of
 * `expkit patches --json`: its layers' kinds, when, and whether the file still matches. Read
 * in-process: the records are files, and reading them writes nothing to stdout.
 */
import { ExitCode, ExpkitError } from '../core/errors.js';
import { realOr } from '../instrument/paths.js';
import { projectRootFor } from '../instrument/state.js';
import { projectStatus, type PatchStatus } from '../instrument/status.js';
import type { ResourceEntry, ResourceText } from './resources.js';

const PREFIX = 'expkit://patches/';

export const PATCH_TEMPLATE = { uriTemplate: `${PREFIX}{path}`, name: 'patch-record', title: "A patched file's expkit patch record", mimeType: 'application/json' };

export function patchUri(file: string): string {
  return PREFIX + encodeURIComponent(file);
}

export function isPatchUri(uri: string): boolean {
  return uri.startsWith(PREFIX);
}

/** The same records `expkit patches` lists for the server's project. */
function records(root: string): PatchStatus[] {
  return projectStatus(realOr(projectRootFor(root)));
}

export function listPatchResources(root: string): ResourceEntry[] {
  return records(root).map((p) => ({ uri: patchUri(p.file), name: `${p.file} patches`, title: `${p.file}: expkit patches (${p.kinds.join(', ')}; ${p.state})`, mimeType: 'application/json' }));
}

export function readPatchResource(root: string, uri: string): ResourceText {
  let file: string;
  try {
    file = decodeURIComponent(uri.slice(PREFIX.length));
  } catch {
    file = '';
  }
  // Looked up among the project's records, never opened by the given path: nothing outside is reachable.
  const record = records(root).find((p) => p.file === file);
  if (!record) throw new ExpkitError(`no expkit patch record for ${file || uri}`, { exitCode: ExitCode.Usage, hint: 'resources/list (or the patches tool) shows the patched files' });
  return { uri, mimeType: 'application/json', text: JSON.stringify(record, null, 2) };
}
