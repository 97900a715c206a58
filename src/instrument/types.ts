/**
 * The contract between patch planning (pure: analysis + source → edits) and the patch engine
 * (splices edits, validates, prints the diff, applies with backup, reverts).
 */

export type PatchKind = 'wandb' | 'seed' | 'checkpoint';

/** The kinds in the order users name them (flags, summaries). */
export const PATCH_KINDS: readonly PatchKind[] = ['wandb', 'seed', 'checkpoint'];

export interface WandbOptions {
  project?: string;
  entity?: string;
  mode?: 'online' | 'offline' | 'disabled';
}

export interface SeedOptions {
  /** The seed to use when the script has no seed argument of its own. */
  value: number;
  /** Also make cuDNN and torch deterministic (slower). */
  deterministic: boolean;
}

export interface CheckpointOptions {
  /** Save every N epochs (or steps, for step-based loops). */
  every: number;
  /**
   * Whether `every` was asked for (`--every N`). Without it, a loop whose iterations are single
   * optimizer steps saves every few minutes (EXPKIT_CHECKPOINT_SECONDS, default 300) rather than
   * after every step.
   */
  everyGiven?: boolean;
  /** Where checkpoints go, relative to the working directory the script runs in. */
  dir: string;
}

export interface InstrumentOptions {
  wandb?: WandbOptions;
  seed?: SeedOptions;
  checkpoint?: CheckpointOptions;
}

/**
 * One change to the original text: replace [start, end) with `text` (an insertion when
 * start === end). Offsets are UTF-16 indices into SourceText.text (the text without a BOM).
 * `text` already uses the file's line ending and indentation; every inserted line ends with
 * the `# expkit` marker so expkit recognises its own code.
 */
export interface TextEdit {
  start: number;
  end: number;
  text: string;
  kind: PatchKind;
  /** 1-based line of the original where the edit lands, for messages. */
  line: number;
  reason: string;
}

export interface PatchPlan {
  edits: TextEdit[];
  /** Things the user should know: parts not placed, assumptions made. */
  warnings: string[];
  /** Requested patches that produce nothing, and why (already instrumented, no loop found). */
  skipped: { kind: PatchKind; reason: string }[];
}

/** Marks every line expkit inserts. */
export const EXPKIT_MARKER = '# expkit';
