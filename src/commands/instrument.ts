/**
 * `expkit instrument FILE --wandb/--seed/--checkpoint`: preview (the diff on stdout), or
 * --apply with approval, backup and record; `--status` shows what is applied.
 */
import { ExitCode, ExpkitError } from '../core/errors.js';
import { parseWholeNumber } from '../core/numbers.js';
import { basename, dirname, resolve } from 'node:path';
import type { BuiltPatch, Planner } from '../instrument/engine.js';
import { displayPathFor, findGitRoot } from '../instrument/paths.js';
import type { InstrumentOptions, WandbOptions } from '../instrument/types.js';
import { findPython, StartedPythonCheck } from '../instrument/python-check.js';
import { readSourceFile } from '../io/read-source.js';
import { getPythonParser } from '../parser/index.js';
import { formatDiff } from '../printers/diff.js';
import { formatPlanSummary } from '../printers/instrument.js';
import { patchId } from '../instrument/patch-id.js';
import { processIo, type CommandIo } from './io.js';

export interface InstrumentCliOptions {
  wandb?: boolean;
  project?: string;
  entity?: string;
  wandbMode?: string;
  seed?: boolean | string;
  deterministic?: boolean;
  checkpoint?: boolean;
  every?: string;
  checkpointDir?: string;
  apply?: boolean;
  /** The approval: the preview's patchId. --apply writes only when it still matches, and asks nothing. */
  patchId?: string;
  yes?: boolean;
  json?: boolean;
  status?: boolean;
}

export const DEFAULT_SEED = 42;
export const DEFAULT_CHECKPOINT_EVERY = 1;
export const DEFAULT_CHECKPOINT_DIR = 'checkpoints';
const WANDB_MODES = ['online', 'offline', 'disabled'] as const;

function usage(message: string): ExpkitError {
  return new ExpkitError(message, { exitCode: ExitCode.Usage });
}

/** The command line's flags as the planner's options; inconsistent flags are usage errors. */
export function toInstrumentOptions(o: InstrumentCliOptions): InstrumentOptions {
  const options: InstrumentOptions = {};
  if (o.wandb) {
    const wandb: WandbOptions = {};
    if (o.project !== undefined) wandb.project = wandbName('--project', o.project);
    if (o.entity !== undefined) wandb.entity = wandbName('--entity', o.entity);
    if (o.wandbMode !== undefined) {
      if (!(WANDB_MODES as readonly string[]).includes(o.wandbMode)) throw usage(`--wandb-mode must be one of ${WANDB_MODES.join(', ')}, not ${JSON.stringify(o.wandbMode)}`);
      wandb.mode = o.wandbMode as WandbOptions['mode'];
    }
    options.wandb = wandb;
  } else {
    for (const [flag, v] of [['--project', o.project], ['--entity', o.entity], ['--wandb-mode', o.wandbMode]] as const) {
      if (v !== undefined) throw usage(`${flag} goes with --wandb`);
    }
  }
  if (o.seed !== undefined && o.seed !== false) {
    const value = o.seed === true ? DEFAULT_SEED : parseWholeNumber('--seed', o.seed, { min: 0, max: 2 ** 32 - 1 });
    options.seed = { value, deterministic: Boolean(o.deterministic) };
  } else if (o.deterministic) {
    throw usage('--deterministic goes with --seed');
  }
  if (o.checkpoint) {
    options.checkpoint = {
      every: o.every === undefined ? DEFAULT_CHECKPOINT_EVERY : parseWholeNumber('--every', o.every, { min: 1, max: 1_000_000_000 }),
      everyGiven: o.every !== undefined,
      dir: checkpointDir(o.checkpointDir ?? DEFAULT_CHECKPOINT_DIR),
    };
  } else {
    if (o.every !== undefined) throw usage('--every goes with --checkpoint');
    if (o.checkpointDir !== undefined) throw usage('--checkpoint-dir goes with --checkpoint');
  }
  if (!options.wandb && !options.seed && !options.checkpoint) throw usage('say what to add: --wandb, --seed and/or --checkpoint');
  return options;
}

/** W&B project and entity names: no path characters, nothing that needs quoting in Python. */
function wandbName(flag: string, value: string): string {
  // eslint-disable-next-line no-control-regex
  if (value.length === 0 || value.length > 128 || /[/\\#?%:"'\u0000-\u001f\u007f]/.test(value)) {
    throw usage(`${flag} ${JSON.stringify(value)} is not a valid W&B name (1–128 characters, none of / \\ # ? % : or quotes)`);
  }
  return value;
}

/** Without --project: the project's folder name (the git root, else the script's folder). */
export function defaultProject(file: string): string {
  const dir = dirname(resolve(file));
  const name = basename(findGitRoot(dir) ?? dir).replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+|-+$/g, '');
  return name || 'expkit';
}

function checkpointDir(value: string): string {
  // eslint-disable-next-line no-control-regex
  if (value.trim() === '' || /[\u0000-\u001f\u007f"'\\]/.test(value)) throw usage(`--checkpoint-dir ${JSON.stringify(value)} is not a usable directory name`);
  return value;
}

/** `planner`: planPatches unless a test gives its own. */
export async function instrumentCommand(file: string, opts: InstrumentCliOptions, io: CommandIo = processIo(), planner?: Planner): Promise<number> {
  if (opts.status) return (await import('./patches.js')).patchesCommand(file, opts, io);
  const options = toInstrumentOptions(opts);
  if (options.wandb && options.wandb.project === undefined) options.wandb.project = defaultProject(file);
  if (opts.patchId !== undefined && !opts.apply) throw usage('--patch-id goes with --apply');
  if (opts.patchId !== undefined && !/^p1-[0-9a-f]{32}$/.test(opts.patchId)) throw usage(`--patch-id ${JSON.stringify(opts.patchId)} is not a patch id (the preview's "patchId", p1- and 32 hex digits)`);
  const approved = opts.patchId !== undefined;
  if (opts.apply && opts.json && !opts.yes && !approved) throw usage('--apply --json cannot ask for approval: add --patch-id ID (from the preview) or --yes');
  if (opts.yes && !opts.apply) throw usage('--yes goes with --apply');

  // A symlink out of the project is refused before anything else when writing.
  const apply = opts.apply ? await import('../instrument/apply.js') : null;
  const target = apply ? (await import('../instrument/state.js')).resolveTarget(file) : null;
  const src = readSourceFile(file);
  if (apply && target) apply.checkWritable(target);
  const displayPath = displayPathFor(file);
  const python = findPython();
  // CPython starts up, and prepares the original, while the planner and the checks load (they
  // are imported only now for that) and the script is analysed and planned.
  const started = python === null ? undefined : StartedPythonCheck.start(python, displayPath, resolve(file));
  let built: BuiltPatch;
  let engine: typeof import('../instrument/engine.js');
  try {
    engine = await import('../instrument/engine.js');
    const plan = planner ?? (await import('../instrument/plan.js')).planPatches;
    const parser = await getPythonParser();
    built = await engine.instrumentWithPlanner(src, options, { parser, displayPath, python, started }, plan);
  } finally {
    started?.cancel();
  }
  const id = patchId(built.file.bytes, options, built.diff);
  const jsonReport = (extra: Record<string, unknown> = {}): string => {
    const { warnings, skipped } = built.plan;
    return `${JSON.stringify({ diff: built.diff, patchId: id, edits: engine.editSummaries(built.plan), warnings, skipped, ...extra }, null, 2)}\n`;
  };
  // Checked before anything is printed (a refusal is one line), and even when there is now nothing to change.
  if (approved && opts.patchId !== id) {
    throw new ExpkitError(`${file} or the options changed since the preview (patch id ${opts.patchId} is not this patch's ${id}); nothing was changed`, {
      exitCode: ExitCode.Refused,
      hint: `preview again (\`expkit instrument ${file} …\` without --apply), review the diff, and apply with its patch id`,
    });
  }
  io.err(formatPlanSummary(built, file));

  if (built.diff === '') {
    const why = built.plan.skipped.length > 0 ? '' : ': the planner proposed no edits for it';
    io.err(`expkit: nothing to change in ${file}${await alreadyPatched(file)}${why}\n`);
    if (opts.json) io.out(jsonReport());
    return ExitCode.Ok;
  }
  if (!apply || !target) {
    io.out(opts.json ? jsonReport() : formatDiff(built.diff, io.color));
    if (!opts.json) io.err(`expkit: patch id ${id} (apply exactly this diff with \`--apply --patch-id ${id}\`)\n`);
    return ExitCode.Ok;
  }

  apply.checkCanApply(target);
  if (approved) {
    // The id is the approval: the diff it names is the one the user reviewed.
    if (!opts.json) io.out(formatDiff(built.diff, io.color));
  } else if (!opts.yes) {
    if (!io.interactive) {
      throw new ExpkitError(`--apply asks for approval on a terminal, and there is none; nothing was changed`, {
        exitCode: ExitCode.Refused,
        hint: `review the diff (\`expkit instrument ${file} …\` without --apply), then add --yes`,
      });
    }
    io.out(formatDiff(built.diff, io.color));
    if (!(await io.confirm(`Apply this patch to ${file}? [y/N] `))) {
      io.err('expkit: not applied; nothing was changed\n');
      return ExitCode.Failure;
    }
  } else if (!opts.json) {
    io.out(formatDiff(built.diff, io.color));
  }
  const applied = apply.applyBuiltPatch(target, built, options);
  const { layer } = applied;
  if (opts.json) io.out(jsonReport({ applied: true, record: applied.recordPath, backup: applied.backupPath, layer: layer.layer }));
  if (layer.layer === 1) {
    io.err(`expkit: patched ${file} (${layer.kinds.join(', ')}); original kept at ${applied.backupPath}\n`);
    io.err(`expkit: undo with \`expkit revert ${file}\`\n`);
  } else {
    io.err(`expkit: patched ${file} (${layer.kinds.join(', ')}) as layer ${layer.layer}; the file before it is kept at ${applied.backupPath}\n`);
    io.err(`expkit: undo this layer with \`expkit revert ${file}\`, every layer with \`expkit revert --all ${file}\`\n`);
  }
  return ExitCode.Ok;
}

/** " (expkit patched it on …)" when a record says so (for the empty-plan message). */
async function alreadyPatched(file: string): Promise<string> {
  const { readRecord, recordKinds, resolveTarget, topLayer } = await import('../instrument/state.js');
  try {
    const record = readRecord(resolveTarget(file));
    if (!record) return '';
    const layers = record.layers.length === 1 ? '' : ` in ${record.layers.length} layers, the last`;
    return ` (expkit patched it${layers} on ${topLayer(record).appliedAt}: ${recordKinds(record).join(', ')})`;
  } catch {
    return '';
  }
}
