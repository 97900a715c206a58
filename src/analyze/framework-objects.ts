/**
 * The objects a framework trains with (TrainingArguments-like configs, trainer objects) and
 * trainers from other modules driven by callbacks: where planners edit a framework script.
 */
import type { SyntaxNode } from '../parser/index.js';
import type { AnalysisContext } from './context.js';
import { frameworkCalls, isHfTrainerCallee, HF_MODULES, HF_TRAINERS } from './framework-calls.js';
import {
  assignedNames,
  callArguments,
  callReceiver,
  calleeLastName,
  calleeName,
  dottedName,
  endLineOf,
  functionName,
  lineOf,
  positionalArguments,
  stringValue,
} from './syntax.js';
import type { CallbackRegistration, FrameworkObject, LibraryTrainer } from './types.js';

/** transformers' TrainingArguments and its subclasses in transformers and TRL. */
export const TRAINING_ARGUMENTS = [
  'TrainingArguments', 'Seq2SeqTrainingArguments', 'SFTConfig', 'DPOConfig', 'GRPOConfig', 'RewardConfig', 'PPOConfig',
  'ORPOConfig', 'KTOConfig', 'CPOConfig', 'RLOOConfig', 'OnlineDPOConfig', 'GKDConfig', 'PRMConfig', 'BCOConfig', 'XPOConfig', 'NashMDConfig',
];
const TRAINING_ARGUMENTS_SET = new Set(TRAINING_ARGUMENTS);

function isTrainingArgumentsCallee(ctx: AnalysisContext, callee: string): boolean {
  const last = callee.split('.').pop() ?? '';
  if (!TRAINING_ARGUMENTS_SET.has(last) || ctx.classNames.has(last)) return false;
  return callee.includes('.') ? HF_MODULES.some((m) => callee.startsWith(`${m}.`)) : ctx.importsModule(...HF_MODULES);
}

function objectAt(ctx: AnalysisContext, role: FrameworkObject['role'], call: SyntaxNode, callee: string): FrameworkObject {
  return {
    role,
    callee,
    line: lineOf(call),
    endLine: endLineOf(call),
    variable: assignedNames(call)[0] ?? null,
    function: functionName(ctx.functionAt(call.startIndex)),
  };
}

/** `HfArgumentParser((ModelArguments, TrainingArguments))` / `TrlParser((ScriptArguments, SFTConfig, ModelConfig))`. */
function parsedTrainingArguments(ctx: AnalysisContext): FrameworkObject[] {
  const out: FrameworkObject[] = [];
  for (const creation of ctx.calls('HfArgumentParser', 'TrlParser')) {
    const first = positionalArguments(creation)[0];
    const classes = first ? (first.type === 'tuple' || first.type === 'list' ? first.namedChildren : [first]) : [];
    const index = classes.findIndex((c) => isTrainingArgumentsCallee(ctx, ctx.resolve(dottedName(c) ?? '')));
    const parser = assignedNames(creation)[0];
    if (index < 0 || !parser) continue;
    const parse = ctx
      .methodCalls('parse_args_into_dataclasses', 'parse_args_and_config', 'parse_json_file', 'parse_yaml_file', 'parse_dict')
      .find((p) => callReceiver(p)?.text === parser);
    if (!parse) continue;
    const names = assignedNames(parse);
    const obj = objectAt(ctx, 'training-arguments', parse, ctx.resolve(dottedName(classes[index]!)!));
    out.push({ ...obj, variable: names.length === 1 && classes.length > 1 ? null : (names[index] ?? null) });
  }
  return out;
}

export function findFrameworkObjects(ctx: AnalysisContext): FrameworkObject[] {
  const out: FrameworkObject[] = [];
  const trainers = new Map<number, FrameworkObject>();
  // HF/TRL classes resolve to an HF module only in a file that imports one.
  if (ctx.importsModule(...HF_MODULES)) {
    for (const call of ctx.calls(...TRAINING_ARGUMENTS)) {
      const callee = ctx.resolvedCallee(call) ?? '';
      if (isTrainingArgumentsCallee(ctx, callee)) out.push(objectAt(ctx, 'training-arguments', call, callee));
    }
    out.push(...parsedTrainingArguments(ctx));
    for (const call of ctx.calls(...HF_TRAINERS)) {
      const callee = ctx.resolvedCallee(call) ?? '';
      if (isHfTrainerCallee(ctx, callee)) trainers.set(call.id, objectAt(ctx, 'trainer', call, callee));
    }
  }
  // Whatever a framework call's receiver was built by: Lightning's Trainer(...), hydra.utils.instantiate(cfg.trainer).
  for (const { call, kind } of frameworkCalls(ctx)) {
    if (kind === 'keras-fit' || kind === 'lightning-cli') continue;
    const receiver = dottedName(callReceiver(call));
    if (!receiver) continue;
    for (const b of ctx.bindingsOf(receiver)) if (!trainers.has(b.call.id)) trainers.set(b.call.id, objectAt(ctx, 'trainer', b.call, b.callee));
  }
  out.push(...trainers.values());
  return out.sort((a, b) => a.line - b.line);
}

const CALLBACK_METHODS = ['set_callback', 'add_callback', 'add_event_handler', 'register_callback'];

function registration(ctx: AnalysisContext, method: string, eventNode: SyntaxNode | undefined, callbackNode: SyntaxNode | undefined | null, line: number): CallbackRegistration {
  return {
    method,
    event: eventNode ? (stringValue(eventNode) ?? ctx.textOf(eventNode)) : null,
    callback: callbackNode ? dottedName(callbackNode) : null,
    line,
  };
}

/** mingpt's `trainer.set_callback("on_batch_end", cb)` + `trainer.run()`, ignite's `add_event_handler` / `@trainer.on(...)`. */
export function findLibraryTrainer(ctx: AnalysisContext): LibraryTrainer | null {
  const registrations = ctx.methodCalls(...CALLBACK_METHODS);
  const decorators = ctx.captured('definition.decorator').filter((d) => {
    const call = d.namedChildren[0];
    return call?.type === 'call' && calleeLastName(call) === 'on';
  });
  if (registrations.length === 0 && decorators.length === 0) return null;
  for (const run of ctx.methodCalls('run')) {
    const variable = dottedName(callReceiver(run));
    if (!variable) continue;
    const binding = ctx.bindingsOf(variable)[0];
    if (!binding) continue;
    const head = (calleeName(binding.call) ?? '').split('.')[0]!;
    const last = binding.callee.split('.').pop()!;
    // From another module: bound through an import, not a class this file defines.
    if (!ctx.importedNames.has(head) || ctx.classNames.has(last) || !binding.callee.includes('.')) continue;
    const callbacks: CallbackRegistration[] = [];
    for (const reg of registrations) {
      if (dottedName(callReceiver(reg)) !== variable) continue;
      const [event, callback] = callArguments(reg);
      callbacks.push(registration(ctx, calleeLastName(reg)!, event, callback?.type === 'keyword_argument' ? null : callback, lineOf(reg)));
    }
    for (const d of decorators) {
      const call = d.namedChildren[0]!;
      if (dottedName(callReceiver(call)) !== variable) continue;
      const def = d.parent?.type === 'decorated_definition' ? d.parent.childForFieldName('definition') : null;
      callbacks.push(registration(ctx, 'on', positionalArguments(call)[0], def?.childForFieldName('name') ?? null, lineOf(d)));
    }
    if (callbacks.length === 0) continue;
    callbacks.sort((a, b) => a.line - b.line);
    return {
      variable,
      callee: binding.callee,
      module: binding.callee.slice(0, binding.callee.lastIndexOf('.')),
      line: lineOf(binding.call),
      runLine: lineOf(run),
      function: functionName(ctx.functionAt(run.startIndex)),
      callbacks,
    };
  }
  return null;
}
