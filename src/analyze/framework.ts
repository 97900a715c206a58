/** Finding 6: which framework trains the model, with evidence lines. */
import type { AnalysisContext } from './context.js';
import { frameworkCalls, HF_TRAINERS, importsKeras, isHfTrainerCallee } from './framework-calls.js';
import { findFrameworkObjects, findLibraryTrainer } from './framework-objects.js';
import { lineOf } from './syntax.js';
import type { FrameworkFinding, FrameworkName, FrameworkVariant, StepMarker, TrainLoop } from './types.js';

/** Objects a framework script constructs. */
const FRAMEWORK_CONSTRUCTORS = [...HF_TRAINERS, 'Accelerator', 'Fabric', 'GradientTape'];
const JAX_MODULES = ['jax', 'flax', 'optax', 'equinox'];

function importLines(ctx: AnalysisContext, ...prefixes: string[]): number[] {
  return ctx.imports
    .filter((imp) => imp.modules.some((m) => prefixes.some((p) => m === p || m.startsWith(`${p}.`))))
    .map((imp) => lineOf(imp.node));
}

function constructorLines(ctx: AnalysisContext, test: (resolved: string) => boolean): number[] {
  return ctx
    .calls(...FRAMEWORK_CONSTRUCTORS)
    .filter((call) => test(ctx.resolvedCallee(call) ?? ''))
    .map(lineOf);
}

function kerasVariant(ctx: AnalysisContext): FrameworkVariant {
  const usesTfKeras =
    ctx.importsModule('tensorflow.keras', 'tf_keras') ||
    ctx.imports.some((imp) => imp.node.type === 'import_from_statement' && imp.modules.includes('tensorflow') && /\bkeras\b/.test(imp.node.text)) ||
    [...ctx.importedNames.keys()].some((alias) => ctx.importedNames.get(alias) === 'tensorflow') && /\btf\.keras\b/.test(ctx.src.text);
  if (usesTfKeras) return 'tf.keras';
  if (!ctx.importsModule('keras')) return null;
  if (ctx.importsModule('keras.engine', 'keras.wrappers', 'keras.backend.tensorflow_backend') || /\.fit_generator\(/.test(ctx.src.text)) return 'keras2';
  return 'keras3';
}

/** flax's TrainState: `train_state.TrainState.create(...)`, `TrainState(...)`, a subclass of it. */
function trainStateLines(ctx: AnalysisContext): number[] {
  const creates = ctx.methodCalls('create').filter((c) => /(^|\.)TrainState$/.test(c.childForFieldName('function')?.childForFieldName('object')?.text ?? ''));
  const bases = ctx.captured('framework.base_class').filter((b) => /(^|\.)TrainState$/.test(b.text));
  return [...creates, ...bases].map(lineOf);
}

/** JAX markers: `jax.value_and_grad`, `state.apply_gradients`, `optax.apply_updates` (found by the loop finder). */
function jaxMarkerLines(trainLoops: TrainLoop[]): number[] {
  const isJax = (m: StepMarker) => /\b(value_and_grad|grad|apply_gradients|apply_updates)\b/.test(m.text) && !/\bbackward\(|tape\./.test(m.text);
  return trainLoops.flatMap((l) => l.stepMarkers.filter(isJax).map((m) => m.line));
}

export function findFramework(ctx: AnalysisContext, trainLoops: TrainLoop[]): FrameworkFinding {
  const calls = frameworkCalls(ctx);
  const callLines = (kinds: string[]) => calls.filter((c) => kinds.includes(c.kind)).map((c) => lineOf(c.call));
  const objects = findFrameworkObjects(ctx);
  const libraryTrainer = findLibraryTrainer(ctx);
  const make = (name: FrameworkName, variant: FrameworkVariant, lines: number[]): FrameworkFinding => ({
    name,
    variant,
    evidence: [...new Set(lines)].sort((a, b) => a - b).map((l) => ctx.evidence(l)),
    objects,
    libraryTrainer,
  });

  const hfTrainers = constructorLines(ctx, (c) => isHfTrainerCallee(ctx, c));
  if (hfTrainers.length > 0 || callLines(['hf-train']).length > 0) {
    const trl = ctx.importsModule('trl');
    return make('hf-trainer', trl ? 'trl' : null, [...importLines(ctx, 'transformers', 'trl'), ...hfTrainers, ...callLines(['hf-train'])]);
  }

  const lightningVariant: FrameworkVariant = ctx.importsModule('pytorch_lightning') ? 'pytorch_lightning' : ctx.importsModule('lightning') ? 'lightning' : null;
  const fabric = constructorLines(ctx, (c) => /(^|\.)Fabric$/.test(c) && /^(lightning|lightning_fabric)\b/.test(c));
  const lightningModules = ctx
    .captured('framework.base_class')
    .filter((b) => /(^|\.)LightningModule$/.test(ctx.resolve(b.text)))
    .map(lineOf);
  const lightningCalls = callLines(['lightning-fit', 'lightning-cli']);
  if (lightningVariant && (lightningCalls.length > 0 || (lightningModules.length > 0 && fabric.length === 0))) {
    return make('lightning', lightningVariant, [...importLines(ctx, 'lightning', 'pytorch_lightning'), ...lightningModules, ...lightningCalls]);
  }
  if (fabric.length > 0) return make('fabric', null, [...importLines(ctx, 'lightning.fabric', 'lightning_fabric', 'lightning'), ...fabric]);

  const accelerators = constructorLines(ctx, (c) => /(^|\.)Accelerator$/.test(c) && c.startsWith('accelerate'));
  if (accelerators.length > 0) return make('accelerate', null, [...importLines(ctx, 'accelerate'), ...accelerators]);

  if (ctx.importsModule(...JAX_MODULES)) {
    const jax = [...jaxMarkerLines(trainLoops), ...trainStateLines(ctx)];
    if (jax.length > 0) return make('jax', null, [...importLines(ctx, ...JAX_MODULES), ...jax]);
  }

  if (importsKeras(ctx) && (callLines(['keras-fit']).length > 0 || /\bkeras\b/.test(ctx.src.text))) {
    const tape = constructorLines(ctx, (c) => /GradientTape$/.test(c));
    return make('keras', kerasVariant(ctx), [...importLines(ctx, 'keras', 'tensorflow', 'tf_keras'), ...callLines(['keras-fit']), ...tape]);
  }

  if (ctx.importsModule('torch')) {
    const markers = trainLoops.filter((l) => l.kind !== 'framework-call').flatMap((l) => l.stepMarkers.map((m) => m.line));
    return make('pytorch', null, [...importLines(ctx, 'torch').slice(0, 1), ...markers]);
  }
  return make('unknown', null, []);
}
