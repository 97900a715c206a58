/** Finding 2: how the script is configured from the command line. */
import type { SyntaxNode } from '../parser/index.js';
import type { AnalysisContext } from './context.js';
import {
  assignedNames,
  callReceiver,
  calleeLastName,
  keywordArgument,
  lineOf,
  parameterNames,
  positionalArguments,
  receiverLastName,
  statementOf,
  stringValue,
} from './syntax.js';
import type { ConfigArgument, ConfigFinding } from './types.js';

const PARSE_METHODS = ['parse_args', 'parse_known_args', 'parse_intermixed_args', 'parse_args_into_dataclasses', 'parse_args_and_config', 'parse_dict', 'parse_yaml_file', 'parse_json_file'];
/** HfArgumentParser and TRL's subclass of it: command-line flags from dataclass fields. */
const DATACLASS_PARSERS = new Set(['HfArgumentParser', 'TrlParser']);
const CONFIG_FILE_LOADERS = new Set(['yaml', 'json', 'toml', 'tomllib', 'OmegaConf']);

/** Method calls `receiver.method(...)` whose receiver is written as one of `receivers`. */
function callsOn(ctx: AnalysisContext, receivers: ReadonlySet<string>, ...methods: string[]): SyntaxNode[] {
  return ctx.methodCalls(...methods).filter((c) => receivers.has(callReceiver(c)?.text ?? ''));
}

/** Parse calls: `parser.parse_args()` and friends. */
export function parseCalls(ctx: AnalysisContext): SyntaxNode[] {
  return ctx.methodCalls(...PARSE_METHODS);
}

/** Parser constructions: `ArgumentParser(...)`, `argparse.ArgumentParser(...)`, `HfArgumentParser(...)`, `TrlParser(...)`. */
export function parserCreations(ctx: AnalysisContext): SyntaxNode[] {
  return ctx.calls('ArgumentParser', 'HfArgumentParser', 'TrlParser');
}

/** `fire.Fire(main)` and absl's `app.run(main)`: calls that hand the entry function to a CLI library. */
export function cliRunnerCalls(ctx: AnalysisContext): SyntaxNode[] {
  return [...callsOn(ctx, new Set(['fire']), 'Fire'), ...callsOn(ctx, new Set(['app']), 'run')];
}

const NONE: ConfigFinding = { kind: 'none', parserVar: null, createdLine: null, parseLine: null, argsVar: null, argsVars: [], arguments: [] };

export function findConfig(ctx: AnalysisContext): ConfigFinding {
  return (
    findArgparse(ctx) ??
    findLightningCli(ctx) ??
    findHydra(ctx) ??
    findClick(ctx) ??
    findAbsl(ctx) ??
    findFire(ctx) ??
    findOther(ctx) ??
    NONE
  );
}

function findArgparse(ctx: AnalysisContext): ConfigFinding | null {
  const creations = parserCreations(ctx);
  const parses = parseCalls(ctx);
  if (creations.length === 0 && parses.length === 0) return null;
  // The first parser created is the script's own; subparsers come through add_parser.
  const creation = creations[0] ?? null;
  const isHf = creation !== null && DATACLASS_PARSERS.has(calleeLastName(creation) ?? '');
  const parserNames = creation ? assignedNames(creation) : [];
  const parse = pickParseCall(parses, parserNames);
  if (!creation && !parse) return null;
  const argsVars = parse ? boundNames(ctx, parse) : [];
  const args = isHf && creation ? dataclassArguments(ctx, creation) : ctx.methodCalls('add_argument').map((call) => argparseArgument(ctx, call));
  return {
    kind: isHf ? 'hf-argparser' : 'argparse',
    parserVar: parserNames[0] ?? (parse ? receiverLastName(callReceiver(parse)) : null),
    createdLine: creation ? lineOf(creation) : null,
    parseLine: parse ? lineOf(parse) : null,
    argsVar: argsVars[0] ?? null,
    argsVars,
    arguments: args,
  };
}

/** Prefer the parse call on the script's parser; `parser.parse_args()` over `cfg.parse_known_args()` of a helper. */
function pickParseCall(parses: SyntaxNode[], parserNames: string[]): SyntaxNode | null {
  const onParser = parses.find((p) => parserNames.includes(receiverLastName(callReceiver(p)) ?? ''));
  return onParser ?? parses[0] ?? null;
}

/**
 * The variables a parse call binds: `args = parser.parse_args()`, `args, rest = …`, and when a
 * helper returns the result (`def get_args(): return parser.parse_args()`), the names its callers bind.
 */
function boundNames(ctx: AnalysisContext, parse: SyntaxNode): string[] {
  const direct = assignedNames(parse);
  const passedTo = parameterReceiving(ctx, parse);
  if (passedTo) return [passedTo];
  const fn = ctx.functionAt(parse.startIndex);
  const stmt = statementOf(parse);
  const returned =
    stmt.type === 'return_statement' ||
    (direct.length > 0 && fn !== null && returnsName(fn, direct[0]!));
  if (fn && returned) {
    const helper = fn.childForFieldName('name')?.text;
    if (helper) {
      const callerNames = ctx.functionCalls(helper).map(assignedNames).find((names) => names.length > 0);
      if (callerNames) return callerNames;
    }
  }
  return direct;
}

/** `run(parser.parse_args())`: the parameter of the file's own function that receives the result. */
function parameterReceiving(ctx: AnalysisContext, parse: SyntaxNode): string | null {
  const args = parse.parent;
  const call = args?.type === 'argument_list' ? args.parent : null;
  if (!call || call.type !== 'call') return null;
  const callee = call.childForFieldName('function');
  const def = callee?.type === 'identifier' ? ctx.functions.get(callee.text)?.[0] : undefined;
  if (!def) return null;
  const index = positionalArguments(call).findIndex((a) => a.id === parse.id);
  return index < 0 ? null : (parameterNames(def)[index] ?? null);
}

function returnsName(fn: SyntaxNode, name: string): boolean {
  const body = fn.childForFieldName('body');
  return body?.namedChildren.some((s) => s.type === 'return_statement' && s.namedChildren[0]?.text === name) ?? false;
}

/** One pass over the call's arguments: every add_argument costs a few node reads, not dozens. */
function argparseArgument(ctx: AnalysisContext, call: SyntaxNode): ConfigArgument {
  const flags: string[] = [];
  const keywords = new Map<string, SyntaxNode>();
  for (const arg of call.childForFieldName('arguments')?.namedChildren ?? []) {
    if (arg.type === 'string') {
      const value = stringValue(arg);
      if (value !== null) flags.push(value);
    } else if (arg.type === 'keyword_argument') {
      const [name, value] = arg.namedChildren;
      if (name && value) keywords.set(ctx.textOf(name), value);
    }
  }
  const destNode = keywords.get('dest');
  const text = (n: SyntaxNode | undefined) => (n ? ctx.textOf(n) : null);
  return {
    flags,
    dest: destNode ? (stringValue(destNode) ?? ctx.textOf(destNode)) : deriveDest(flags),
    default: text(keywords.get('default')),
    type: text(keywords.get('type')),
    line: lineOf(call),
  };
}

/** argparse's own rule: the first long flag, else the first short one, else the positional name. */
export function deriveDest(flags: string[]): string | null {
  const long = flags.find((f) => f.startsWith('--'));
  const short = flags.find((f) => f.startsWith('-'));
  const chosen = long ? long.slice(2) : short ? short.replace(/^-+/, '') : flags[0];
  return chosen === undefined ? null : chosen.replace(/-/g, '_');
}

/** HfArgumentParser((ModelArguments, DataArguments, TrainingArguments)): fields of the dataclasses defined here. */
function dataclassArguments(ctx: AnalysisContext, creation: SyntaxNode): ConfigArgument[] {
  const first = positionalArguments(creation)[0];
  const classNames = first ? (first.type === 'tuple' || first.type === 'list' ? first.namedChildren : [first]).map((n) => n.text) : [];
  const out: ConfigArgument[] = [];
  for (const cls of ctx.captured('definition.class')) {
    if (!classNames.includes(cls.childForFieldName('name')?.text ?? '')) continue;
    for (const stmt of cls.childForFieldName('body')?.namedChildren ?? []) {
      const assign = stmt.type === 'expression_statement' ? stmt.namedChildren[0] : null;
      const type = assign?.type === 'assignment' ? assign.childForFieldName('type') : null;
      const name = assign?.childForFieldName('left');
      if (!assign || !type || name?.type !== 'identifier') continue;
      const right = assign.childForFieldName('right');
      let dflt: string | null = right?.text ?? null;
      if (right?.type === 'call' && calleeLastName(right) === 'field') dflt = keywordArgument(right, 'default')?.text ?? null;
      out.push({ flags: [`--${name.text}`], dest: name.text, default: dflt, type: type.text, line: lineOf(assign) });
    }
  }
  return out;
}

function findLightningCli(ctx: AnalysisContext): ConfigFinding | null {
  const call = ctx.calls('LightningCLI')[0];
  if (!call) return null;
  const names = assignedNames(call);
  return { ...NONE, kind: 'lightning-cli', createdLine: lineOf(call), parseLine: lineOf(call), argsVar: names[0] ?? null, argsVars: names };
}

function decoratorsOf(ctx: AnalysisContext, library: string): SyntaxNode[] {
  return ctx.captured('definition.decorator').filter((d) => (d.namedChildren[0]?.childForFieldName('function')?.text ?? '').startsWith(`${library}.`));
}

function decoratedFunction(decorator: SyntaxNode): SyntaxNode | null {
  const def = decorator.parent?.type === 'decorated_definition' ? decorator.parent.childForFieldName('definition') : null;
  return def?.type === 'function_definition' ? def : null;
}

function findHydra(ctx: AnalysisContext): ConfigFinding | null {
  const deco = decoratorsOf(ctx, 'hydra').find((d) => d.text.includes('hydra.main'));
  if (!deco) return null;
  const params = parameterNames(decoratedFunction(deco));
  // No parse call: the decorator parses when the function is called.
  return { ...NONE, kind: 'hydra', createdLine: lineOf(deco), parseLine: null, argsVar: params[0] ?? null, argsVars: params.slice(0, 1) };
}

function findClick(ctx: AnalysisContext): ConfigFinding | null {
  const decorators = decoratorsOf(ctx, 'click');
  if (decorators.length === 0) return null;
  const command = decorators.find((d) => /click\.(command|group)\b/.test(d.text)) ?? decorators[0]!;
  const args: ConfigArgument[] = [];
  for (const d of decorators) {
    const call = d.namedChildren[0]!;
    const kind = calleeLastName(call);
    if (kind !== 'option' && kind !== 'argument') continue;
    const decls = positionalArguments(call)
      .map((a) => stringValue(a))
      .filter((v): v is string => v !== null);
    // click: dashed strings are flags; a bare string names the parameter (or is the argument itself).
    const dashed = decls.filter((f) => f.startsWith('-'));
    const bare = decls.filter((f) => !f.startsWith('-'));
    const flags = kind === 'argument' ? decls : dashed;
    const dest = bare[0] ?? deriveDest(dashed);
    args.push({ flags, dest, default: keywordArgument(call, 'default')?.text ?? null, type: keywordArgument(call, 'type')?.text ?? null, line: lineOf(call) });
  }
  const params = parameterNames(decoratedFunction(command));
  return { ...NONE, kind: 'click', createdLine: lineOf(command), parseLine: null, argsVar: null, argsVars: params, arguments: args };
}

function findAbsl(ctx: AnalysisContext): ConfigFinding | null {
  const defines = callsOn(ctx, new Set(['flags']), 'DEFINE_\\w+');
  if (defines.length === 0) return null;
  const args = defines.map((call): ConfigArgument => {
    const [nameNode, dfltNode] = positionalArguments(call);
    const name = stringValue(nameNode ?? null) ?? keywordArgument(call, 'name')?.text ?? null;
    return {
      flags: name ? [`--${name}`] : [],
      dest: name,
      default: (dfltNode ?? keywordArgument(call, 'default'))?.text ?? null,
      type: calleeLastName(call)?.replace(/^DEFINE_/, '') ?? null,
      line: lineOf(call),
    };
  });
  const run = callsOn(ctx, new Set(['app']), 'run')[0];
  return { ...NONE, kind: 'absl', parserVar: 'flags', createdLine: lineOf(defines[0]!), parseLine: run ? lineOf(run) : null, argsVar: 'FLAGS', argsVars: ['FLAGS'], arguments: args };
}

function findFire(ctx: AnalysisContext): ConfigFinding | null {
  const call = callsOn(ctx, new Set(['fire']), 'Fire')[0];
  if (!call) return null;
  return { ...NONE, kind: 'fire', createdLine: lineOf(call), parseLine: lineOf(call) };
}

/** nanoGPT's `exec(open('configurator.py').read())`: a file of the project that overrides globals from sys.argv. */
function execConfigurators(ctx: AnalysisContext): SyntaxNode[] {
  return ctx.functionCalls('exec').filter((c) => /^\(\s*open\s*\(/.test(c.childForFieldName('arguments')?.text ?? ''));
}

function findOther(ctx: AnalysisContext): ConfigFinding | null {
  const loads = callsOn(ctx, CONFIG_FILE_LOADERS, 'safe_load', 'load', 'full_load');
  // tyro (cleanrl's `args = tyro.cli(Args)`) parses the command line into a dataclass.
  const tyro = callsOn(ctx, new Set(['tyro']), 'cli');
  const argv = ctx.nodesAtText(/\bsys\s*\.\s*argv\b/, 'attribute');
  const first = [...loads, ...tyro, ...execConfigurators(ctx), ...argv].sort((a, b) => a.startIndex - b.startIndex)[0];
  if (!first) return null;
  const names = first.type === 'call' ? assignedNames(first) : [];
  return { ...NONE, kind: 'other', createdLine: lineOf(first), parseLine: lineOf(first), argsVar: names[0] ?? null, argsVars: names };
}
