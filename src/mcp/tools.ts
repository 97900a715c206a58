/**
 * The tools: each is one expkit command, its input schema (zod: validated here, and listed as
 * JSON Schema), its annotations, and how its arguments become the command line. The result is the
 * command's own --json object (see cli-runner.ts for why the CLI runs as a child).
 *
 * `wait` is the one tool that runs in this process (wait-tool.ts says why).
 *
 * Approval: instrument_apply needs the preview's patchId; a writing `scaffold` needs the dry run's
 * planId, and `launch` of an experiment slug the dry run's specHash. Without them the tool refuses
 * (exitCode 3) and says to preview first, so an agent starts or writes only what the user was shown.
 * `launch` of a plain command stays allowed: the command is the agent's own, in full, in the call.
 */
import { z } from 'zod';
import type { ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';
import { ExitCode, ExpkitError } from '../core/errors.js';
import type { CliOutcome } from './cli-runner.js';
import { insideProject } from './project.js';
import type { SchemaName } from './schemas.js';
import { waitTool, type Progress } from './wait-tool.js';

export interface ToolContext {
  root: string;
}

export interface InvokeContext extends ToolContext {
  signal?: AbortSignal;
  /** Present when the client asked for progress (a progressToken). */
  notify?: (p: Progress) => Promise<void>;
}

export interface CommandLine {
  args: string[];
  after?: string[];
}

export interface ToolDef<S extends z.ZodObject = z.ZodObject> {
  name: string;
  title: string;
  description: string;
  input: S;
  annotations: ToolAnnotations;
  /** The schemas in schemas/ its structured output follows (one of them, or a failure). */
  output: SchemaName | SchemaName[];
  /** How its arguments become the CLI's command line (run as a child by the server)… */
  commandLine?(args: z.infer<S>, ctx: ToolContext): CommandLine;
  /** …or, for the one tool that cannot be a child, the call itself. */
  invoke?(args: z.infer<S>, ctx: InvokeContext): Promise<CliOutcome>;
}

/** A refusal that names the step the agent skipped. */
function previewFirst(message: string, hint: string): never {
  throw new ExpkitError(message, { exitCode: ExitCode.Refused, hint });
}

/** `wait` never holds a call longer than this. */
export const MAX_WAIT_SECONDS = 600;

const readOnly: ToolAnnotations = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false };
const additive: ToolAnnotations = { readOnlyHint: false, destructiveHint: false, openWorldHint: false };
const destructive: ToolAnnotations = { readOnlyHint: false, destructiveHint: true, openWorldHint: false };

const runName = z.string().min(1).describe('run name (see status)');
const path = (what: string) => z.string().min(1).describe(`${what}, relative to the project (paths outside it are refused)`);

const instrumentInput = {
  file: path('the Python training script'),
  wandb: z.boolean().optional().describe('track the run with Weights & Biases'),
  project: z.string().optional().describe('W&B project (with wandb)'),
  entity: z.string().optional().describe('W&B entity (with wandb)'),
  wandb_mode: z.enum(['online', 'offline', 'disabled']).optional().describe('W&B mode (with wandb)'),
  seed: z.union([z.boolean(), z.int().min(0).max(2 ** 32 - 1)]).optional().describe('seed Python, NumPy and torch: true for the default (42, or the script\'s own seed argument), or a number'),
  deterministic: z.boolean().optional().describe('also make cuDNN and torch deterministic (with seed)'),
  checkpoint: z.boolean().optional().describe('save checkpoints and resume from the latest one'),
  every: z.int().min(1).optional().describe('checkpoint every N epochs or steps (with checkpoint)'),
  checkpoint_dir: z.string().optional().describe('where checkpoints go (with checkpoint)'),
};

function instrumentFlags(a: z.infer<z.ZodObject<typeof instrumentInput>>): string[] {
  const flags: string[] = [];
  if (a.wandb) flags.push('--wandb');
  if (a.project !== undefined) flags.push('--project', a.project);
  if (a.entity !== undefined) flags.push('--entity', a.entity);
  if (a.wandb_mode !== undefined) flags.push('--wandb-mode', a.wandb_mode);
  if (a.seed === true) flags.push('--seed');
  else if (typeof a.seed === 'number') flags.push(`--seed=${a.seed}`);
  if (a.deterministic) flags.push('--deterministic');
  if (a.checkpoint) flags.push('--checkpoint');
  if (a.every !== undefined) flags.push('--every', String(a.every));
  if (a.checkpoint_dir !== undefined) flags.push('--checkpoint-dir', a.checkpoint_dir);
  return flags;
}

const tool = <S extends z.ZodObject>(def: ToolDef<S>): ToolDef => def as unknown as ToolDef;

export const TOOLS: ToolDef[] = [
  tool({
    name: 'analyze',
    title: 'Analyze a training script',
    description: 'Statically analyze one Python training script (never runs it): imports, config, training loops, eval and exit points, framework, existing instrumentation, distributed setup.',
    input: z.object({ path: path('the Python file') }),
    annotations: readOnly,
    output: 'analysis',
    commandLine: (a, { root }) => ({ args: ['analyze'], after: [insideProject(root, a.path)] }),
  }),
  tool({
    name: 'instrument_preview',
    title: 'Preview instrumentation',
    description: 'The unified diff that adds W&B tracking, seeding and/or checkpointing to a script, and its patchId. Changes nothing. Show the diff to the user; instrument_apply needs the patchId.',
    input: z.object(instrumentInput),
    annotations: readOnly,
    output: 'instrument',
    commandLine: (a, { root }) => ({ args: ['instrument', ...instrumentFlags(a)], after: [insideProject(root, a.file)] }),
  }),
  tool({
    name: 'instrument_apply',
    title: 'Apply an approved instrumentation patch',
    description: "Write exactly the patch instrument_preview showed, identified by its patchId, with the same options. Refused (exitCode 3, file untouched) when the file or the options changed since. Keeps a backup; undo with revert.",
    input: z.object({ ...instrumentInput, patch_id: z.string().regex(/^p1-[0-9a-f]{32}$/).describe("the preview's patchId") }),
    annotations: destructive,
    output: 'instrument',
    commandLine: (a, { root }) => ({ args: ['instrument', ...instrumentFlags(a), '--apply', '--patch-id', a.patch_id], after: [insideProject(root, a.file)] }),
  }),
  tool({
    name: 'revert',
    title: 'Revert an expkit patch',
    description: 'Take the newest expkit patch layer (all: every layer) out of a file.',
    input: z.object({ file: path('the patched file'), all: z.boolean().optional(), force: z.boolean().optional().describe('restore the backup even when your edits overlap the patch') }),
    annotations: destructive,
    output: 'revert',
    commandLine: (a, { root }) => ({ args: ['revert', ...(a.all ? ['--all'] : []), ...(a.force ? ['--force'] : [])], after: [insideProject(root, a.file)] }),
  }),
  tool({
    name: 'patches',
    title: 'List expkit patches',
    description: 'The expkit patches applied in the project (or to one file or folder), layer by layer, and whether each file still matches.',
    input: z.object({ path: path('a file or folder').optional() }),
    annotations: readOnly,
    output: 'patches',
    commandLine: (a, { root }) => ({ args: ['patches'], after: [a.path === undefined ? '.' : insideProject(root, a.path)] }),
  }),
  tool({
    name: 'scaffold',
    title: 'Scaffold an experiment',
    description: 'Write a ready experiment into experiments/code/SLUG/ (train.py, config.yaml, run.sh, requirements.txt) from its spec. First dry_run: it lists the files and a planId, writing nothing; show it to the user, then call again with plan_id to write exactly that plan (refused, nothing written, when the spec, options or files changed since). Never replaces files that differ.',
    input: z.object({
      slug: z.string().min(1).describe('experiment name: letters, digits, "-", "_", "."'),
      framework: z.enum(['pytorch', 'hf-trainer', 'lightning']).optional(),
      spec: path('the experiment spec (default experiments/SLUG.md)').optional(),
      dry_run: z.boolean().optional().describe('list the files and the planId; write nothing'),
      plan_id: z.string().min(1).optional().describe("the dry run's planId: write exactly that plan"),
      conda_env: z.string().optional(),
      venv: z.string().optional(),
      python: z.string().optional(),
    }),
    annotations: additive,
    output: 'scaffold',
    commandLine: (a, { root }) => ({
      args: [
        ...(a.dry_run || a.plan_id !== undefined ? [] : previewFirst(`scaffold ${a.slug} needs the plan_id of a dry run; nothing written`, 'call scaffold with dry_run: true, show the files to the user, then call it again with plan_id set to its planId')),
        'scaffold', '--dir', root,
        ...(a.framework ? ['--framework', a.framework] : []),
        ...(a.spec !== undefined ? ['--spec', insideProject(root, a.spec)] : []),
        ...(a.dry_run ? ['--dry-run'] : []),
        ...(a.plan_id !== undefined ? ['--plan-id', a.plan_id] : []),
        ...(a.conda_env !== undefined ? ['--conda-env', a.conda_env] : []),
        ...(a.venv !== undefined ? ['--venv', a.venv] : []),
        ...(a.python !== undefined ? ['--python', a.python] : []),
      ],
      after: [a.slug],
    }),
  }),
  tool({
    name: 'launch',
    title: 'Launch a run',
    description: 'Start a run that survives the session and records what reproduces it: `command` (an argv, run in the project folder) or an experiment `slug` (experiments/code/SLUG/run.sh). An experiment is launched only with spec_hash, the specHash of a dry_run of the same launch (show the dry run to the user first); a changed spec, files or options are refused and nothing starts. Returns at once; follow it with status, logs (since) and wait.',
    input: z.object({
      command: z.array(z.string()).min(1).optional().describe('the command and its arguments, e.g. ["python", "train.py"]'),
      slug: z.string().min(1).optional().describe('an experiment slug instead of a command'),
      name: z.string().optional(),
      backend: z.enum(['auto', 'process', 'tmux', 'screen', 'slurm']).optional(),
      gpus: z.string().optional().describe('auto, none, or a list like 0,1'),
      seeds: z.string().optional().describe('one run per seed, e.g. 1,2,3'),
      after: z.string().optional().describe('start only after this run succeeded'),
      smoke: z.boolean().optional().describe('first run the command with --smoke; launch only if it passes'),
      stop_on: z.enum(['nan']).optional(),
      dry_run: z.boolean().optional().describe('show what would start and its specHash; start nothing'),
      spec_hash: z.string().min(1).optional().describe("with slug: the dry run's specHash; starts exactly that launch"),
    }).refine((a) => (a.command === undefined) !== (a.slug === undefined), 'give exactly one of command and slug'),
    annotations: additive,
    output: 'launch',
    commandLine: (a) => {
      if (a.slug !== undefined && !a.dry_run && a.spec_hash === undefined) {
        previewFirst(`launching the experiment ${a.slug} needs the spec_hash of a dry run; nothing started`, `call launch with slug and dry_run: true, show it to the user, then call it again with the same options and spec_hash set to its specHash`);
      }
      const flags = [
        ...(a.name !== undefined ? ['--name', a.name] : []),
        ...(a.backend ? ['--backend', a.backend] : []),
        ...(a.gpus !== undefined ? ['--gpus', a.gpus] : []),
        ...(a.seeds !== undefined ? ['--seeds', a.seeds] : []),
        ...(a.after !== undefined ? ['--after', a.after] : []),
        ...(a.smoke ? ['--smoke'] : []),
        ...(a.stop_on ? ['--stop-on', a.stop_on] : []),
        ...(a.dry_run ? ['--dry-run'] : []),
        ...(a.spec_hash !== undefined ? ['--spec-hash', a.spec_hash] : []),
      ];
      // `launch -- CMD` is a command, `launch SLUG` (no `--`) an experiment: the slug goes before --json.
      return a.command ? { args: ['launch', ...flags], after: a.command } : { args: ['launch', ...flags, a.slug ?? ''] };
    },
  }),
  tool({
    name: 'status',
    title: 'Run status',
    description: 'State of one run (queued|running|succeeded|failed|stopped|lost|not_started, with log anomalies, progressNumbers {epoch, step, totals, loss, metrics} and eta in seconds), or of all runs without `run`.',
    input: z.object({ run: runName.optional() }),
    annotations: readOnly,
    output: ['status', 'list'],
    commandLine: (a) => ({ args: ['status'], after: a.run === undefined ? [] : [a.run] }),
  }),
  tool({
    name: 'logs',
    title: 'Run log',
    description: "A run's output log. With `since` (a byte offset: 0, then each answer's nextOffset) only what it gained since, as {text, nextOffset, ended, state}: poll this way instead of re-reading the log. Without it, the log as lines (the last `lines` of them when given).",
    input: z.object({
      run: runName,
      lines: z.int().min(0).max(1_000_000).optional(),
      since: z.int().min(0).max(Number.MAX_SAFE_INTEGER).optional().describe('byte offset: 0 for the whole log, then the previous nextOffset'),
    }).refine((a) => a.lines === undefined || a.since === undefined, 'give lines or since, not both'),
    annotations: readOnly,
    output: ['logs', 'logs-since'],
    commandLine: (a) => ({
      args: ['logs', ...(a.lines !== undefined ? ['-n', String(a.lines)] : []), ...(a.since !== undefined ? ['--since', String(a.since)] : [])],
      after: [a.run],
    }),
  }),
  tool({
    name: 'wait',
    title: 'Wait for runs to end',
    description: `Block until any or all of the runs ended (mode, default all), at most timeout_s seconds (up to ${MAX_WAIT_SECONDS}; call again to wait longer). Returns {ended (in the order they ended), pending, timedOut}. With a progressToken, sends a progress notification as each run ends and a heartbeat while it waits.`,
    input: z.object({
      runs: z.array(runName).min(1).max(1000).describe('run names'),
      mode: z.enum(['any', 'all']).default('all').describe('any: return when the first run ends; all: when every one has'),
      timeout_s: z.number().min(0).max(MAX_WAIT_SECONDS).default(MAX_WAIT_SECONDS),
    }),
    annotations: readOnly,
    output: 'wait',
    invoke: (a, ctx) => waitTool(a, ctx),
  }),
  tool({
    name: 'stop',
    title: 'Stop a run',
    description: 'Stop a run: SIGTERM to its process group, SIGKILL after the grace period; scancel on SLURM.',
    input: z.object({ run: runName, grace: z.number().min(0).max(86_400).optional().describe('seconds between SIGTERM and SIGKILL') }),
    annotations: destructive,
    output: 'stop',
    commandLine: (a) => ({ args: ['stop', ...(a.grace !== undefined ? ['--grace', String(a.grace)] : [])], after: [a.run] }),
  }),
  tool({
    name: 'collect',
    title: "Collect a sweep's results",
    description: "Summarise a seed sweep's results (mean ± std per metric, delta to the baseline, outcome) for an experiment slug or one run.",
    input: z.object({ target: z.string().min(1).describe('experiment slug or run name') }),
    annotations: additive,
    output: 'collect',
    commandLine: (a) => ({ args: ['collect'], after: [a.target] }),
  }),
  tool({
    name: 'doctor',
    title: 'Check the environment',
    description: 'What a launch will meet: Python, torch/CUDA, wandb, backends, GPUs, disk space; each problem with its fix.',
    input: z.object({ python: z.string().optional().describe('the interpreter to check (default python3 on PATH)') }),
    annotations: readOnly,
    output: 'doctor',
    commandLine: (a) => ({ args: ['doctor', ...(a.python !== undefined ? ['--python', a.python] : [])] }),
  }),
];
