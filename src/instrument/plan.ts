/** Patch planning: which edits turn the analysed script into a tracked, seeded, resumable one. */
import type { Analysis } from '../analyze/types.js';
import type { SourceText } from '../core/source-text.js';
import type { InstrumentOptions, PatchPlan } from './types.js';

export function planPatches(_analysis: Analysis, _src: SourceText, _options: InstrumentOptions): PatchPlan {
  return { edits: [], warnings: [], skipped: [] };
}
