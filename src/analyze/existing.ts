/** Finding 7: tracking, seeding and checkpointing that are already there. */
import type { SyntaxNode } from '../parser/index.js';
import type { AnalysisContext } from './context.js';
import { callReceiver, dottedName, lineOf, receiverLastName, statementOf, targetNames } from './syntax.js';
import { CHECKPOINT_LOADS, checkpointKind, restoresTrainingState } from './checkpoint-kind.js';
import type { CheckpointLibrary, CheckpointPresence, Presence, SeedPresence, TrainLoop } from './types.js';

const WANDB_INTEGRATIONS = ['WandbLogger', 'WandbMetricsLogger', 'WandbModelCheckpoint', 'WandbCallback', 'WandbEvalCallback'];
const SEED_CALLS = ['manual_seed', 'manual_seed_all', 'set_seed', 'seed_everything', 'set_random_seed'];
const SEED_MODULES = new Set(['random', 'np.random', 'numpy.random', 'tf.random', 'jax.random']);
const GLOBAL_SEED_RECEIVERS = new Set(['torch', 'torch.cuda', 'th', 'th.cuda', 'cuda']);

function calleeLastName(call: SyntaxNode): string {
  const fn = call.childForFieldName('function');
  return (fn?.type === 'attribute' ? fn.childForFieldName('attribute')?.text : fn?.text) ?? '';
}
const CHECKPOINT_CALLS = ['save_pretrained', 'save_model', 'save_state', 'save_checkpoint', 'ModelCheckpoint', 'BackupAndRestore', 'save_weights'];

function presence(lines: number[]): Presence {
  const sorted = [...new Set(lines)].sort((a, b) => a - b);
  return { present: sorted.length > 0, lines: sorted };
}

/** `report_to="wandb"`, `report_to=["wandb", "tensorboard"]`, `report_to="all"`, `log_with="wandb"`. */
function namesWandb(value: SyntaxNode): boolean {
  if (value.type === 'string') return /^[rbuf]*["']{1,3}(wandb|all)["']{1,3}$/i.test(value.text);
  if (value.type === 'list' || value.type === 'tuple') return value.namedChildren.some(namesWandb);
  return false;
}

/** torch.save / model.save / fabric.save / accelerator.save — not np.save or image.save. */
function isCheckpointSave(receiver: SyntaxNode | null): boolean {
  if (dottedName(receiver) === 'torch') return true;
  return /model|net|fabric|accelerator|ckpt|checkpoint|manager|saver|trainer|module|engine/i.test(receiverLastName(receiver) ?? '');
}

/** Keyword arguments `name=` inside calls (a regex finds candidates; the tree confirms them). */
function keywordArguments(ctx: AnalysisContext, names: string): SyntaxNode[] {
  return ctx
    .nodesAtText(new RegExp(`\\b(${names})\\s*=(?!=)`), 'keyword_argument')
    .filter((kw) => kw.parent?.type === 'argument_list');
}

/**
 * `if args.seed is None: args.seed = random.randint(1, 10000)`, `seed = args.seed or int(time.time())`:
 * a name ending in `seed` assigned a fresh random draw. The text finds candidates; the tree confirms them.
 */
const SEED_DRAW = /seed\s*=(?!=)[^\n]*?(?<![\w])(randint|randrange|getrandbits|urandom|time_ns|time)\s*\(/gi;
const DRAW_RECEIVERS = new Set(['random', 'numpy.random', 'np.random', 'torch', 'time', 'os', 'secrets']);

function randomSeedDraw(ctx: AnalysisContext): SyntaxNode | null {
  for (const m of ctx.src.text.matchAll(SEED_DRAW)) {
    const start = m.index! + m[0].lastIndexOf(m[1]!);
    const id = ctx.root.descendantForIndex(start, start + m[1]!.length);
    const call = id.parent?.type === 'call' ? id.parent : id.parent?.type === 'attribute' && id.parent.parent?.type === 'call' ? id.parent.parent : null;
    if (!call || call.childForFieldName('function')?.endIndex !== id.endIndex) continue;
    const receiver = dottedName(callReceiver(call));
    if (receiver !== null ? !DRAW_RECEIVERS.has(ctx.resolve(receiver)) : !/^(random|time|os|secrets)\./.test(ctx.resolvedCallee(call) ?? '')) continue;
    const stmt = statementOf(call);
    const assign = stmt.type === 'expression_statement' ? stmt.namedChildren[0] : null;
    const left = assign?.type === 'assignment' ? assign.childForFieldName('left') : null;
    if (left && targetNames(left).some((n) => /seed$/i.test(n.split('.').pop()!))) return call;
  }
  return null;
}

/** The JAX checkpoint library the script imports. */
function checkpointLibrary(ctx: AnalysisContext): CheckpointLibrary | null {
  const imported = new Set(ctx.importedNames.values());
  if (ctx.importsModule('orbax')) return 'orbax';
  if (ctx.importsModule('flax.training.checkpoints') || imported.has('flax.training.checkpoints')) return 'flax-checkpoints';
  if (ctx.importsModule('flax.serialization') || imported.has('flax.serialization')) return 'flax-serialization';
  return null;
}

export function findExisting(ctx: AnalysisContext, trainLoops: TrainLoop[]): { wandb: Presence; seed: SeedPresence; checkpoint: CheckpointPresence } {
  const wandbImports = ctx.imports.filter((imp) => imp.modules.some((m) => m === 'wandb' || m.startsWith('wandb.'))).map((imp) => lineOf(imp.node));
  const wandbUses = ctx.nodesAtText(/\b(wandb)\s*\./, 'identifier').filter((id) => id.parent?.type === 'attribute');
  const trackers = keywordArguments(ctx, 'report_to|log_with').filter((kw) => {
    const value = kw.childForFieldName('value');
    return value !== null && namesWandb(value);
  });
  // `training_args.report_to = ["wandb"]` after HfArgumentParser parsing.
  const reportToAssignments = ctx
    .nodesAtText(/\.\s*(report_to)\s*=(?!=)/, 'identifier')
    .map((id) => id.parent?.parent)
    .filter((a): a is SyntaxNode => a?.type === 'assignment' && a.childForFieldName('right') !== null && namesWandb(a.childForFieldName('right')!));
  const seeds = [
    // `torch.manual_seed(0)` seeds the process; `torch.Generator().manual_seed(0)` or `g.manual_seed(0)`
    // seeds one local generator (data made with it), not the model's initialisation.
    ...ctx.calls(...SEED_CALLS).filter((c) => !/^manual_seed(_all)?$/.test(calleeLastName(c)) || GLOBAL_SEED_RECEIVERS.has(dottedName(callReceiver(c)) ?? '')),
    ...ctx.methodCalls('seed').filter((c) => SEED_MODULES.has(dottedName(callReceiver(c)) ?? '')),
    // A `seed=` keyword (TrainingArguments, SFTConfig) seeds the Trainer when it is built: the model made
    // before it is not seeded by it. LightningCLI's default seeds everything.
    ...keywordArguments(ctx, 'seed_everything_default'),
    // JAX: randomness flows from an explicit key.
    ...(ctx.importsModule('jax') ? ctx.calls('PRNGKey', 'key').filter((c) => /^jax\.random\.(PRNGKey|key)$/.test(ctx.resolvedCallee(c) ?? '')) : []),
  ];
  const draw = randomSeedDraw(ctx);
  // One pass over the text for the save calls and the loads checkpointKind may look for.
  ctx.calls(...CHECKPOINT_CALLS, 'save', ...CHECKPOINT_LOADS, 'resume', 'resume_from_checkpoint', 'BackupAndRestore');
  const checkpoints = [
    ...ctx.calls(...CHECKPOINT_CALLS),
    ...ctx.methodCalls('save').filter((c) => isCheckpointSave(callReceiver(c))),
    // HF Trainer's own full-state save, called from a script's TrainerCallback (`self.trainer._save_checkpoint(…)`).
    ...ctx.methodCalls('_save_checkpoint').filter((c) => /trainer$/i.test(callReceiver(c)?.text ?? '')),
    ...(ctx.importsModule('flax') ? ctx.calls('to_bytes', 'to_state_dict').filter((c) => /^flax\.serialization\./.test(ctx.resolvedCallee(c) ?? '')) : []),
  ];
  const checkpoint = presence(checkpoints.map(lineOf));
  return {
    wandb: presence([...wandbImports, ...wandbUses.map(lineOf), ...ctx.calls(...WANDB_INTEGRATIONS).map(lineOf), ...trackers.map(lineOf), ...reportToAssignments.map(lineOf)]),
    seed: { ...presence(seeds.map(lineOf)), randomDefault: draw !== null, randomDefaultLine: draw ? lineOf(draw) : null },
    checkpoint: { ...checkpoint, kind: checkpointKind(ctx, checkpoints, trainLoops), resumes: checkpoints.length > 0 && restoresTrainingState(ctx), library: checkpointLibrary(ctx) },
  };
}
