/**
 * Turn an experiment spec's frontmatter and the command-line flags into a ScaffoldConfig.
 * Pure: no I/O. Missing fields fall back to defaults, unknown fields are kept in `extra` (with a
 * warning when they look like a misspelled known field), values of the wrong shape are usage
 * errors naming the field and the spec file, and so is a hyperparameter nothing would read.
 */
import { closestName, likelyTypoOf } from '../core/closest.js';
import { ExitCode, ExpkitError } from '../core/errors.js';
import { assertValidName } from '../core/names.js';
import type { ExperimentSpec } from '../spec/frontmatter.js';
import { checkPlainData } from './spec-data.js';
import { BUILTIN_METRICS, DEFAULT_METRICS, DEFAULT_SEEDS, RESERVED_NAMES, templateDefaults } from './defaults.js';
import { FRAMEWORKS, type Framework, type Hyperparameter, type MetricSpec, type ScaffoldConfig } from './types.js';

export interface ScaffoldInput {
  slug: string;
  spec: ExperimentSpec | null;
  /** `--framework`; wins over the spec's `setup.framework`. */
  framework?: string;
  condaEnv?: string;
  venv?: string;
  python?: string;
}

const KNOWN_TOP = ['title', 'hypothesis', 'setup', 'metrics', 'baseline', 'seeds', 'hyperparameters', 'model', 'dataset', 'hardware', 'framework'];
/** Fields other commands read or write (launch, collect): known, and kept under `extra`. */
const KNOWN_ELSEWHERE = ['status', 'started', 'run', 'completed', 'outcome', 'result', 'primary_metric', 'primaryMetric'];
/** Hyperparameters the template does not read, declared as read by code the user adds. */
const EXTRA_HYPERPARAMETERS = 'extra_hyperparameters';
const KNOWN_SETUP = ['model', 'dataset', 'hardware', 'framework', 'conda_env', 'venv', 'python'];
const IDENTIFIER_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;
const METRIC_RE = /^[A-Za-z][A-Za-z0-9_.\/@-]{0,63}$/;
/** metrics.py strips these: evaluation runs on the validation split. */
const VALIDATION_PREFIX_RE = /^(val|valid|eval|validation)_/;
const LOWER_IS_BETTER_RE = /(^|_)(loss|error|err|mae|mse|rmse|perplexity|ppl|wer|cer)($|_)/i;

const FRAMEWORK_ALIASES: Record<string, Framework> = {
  pytorch: 'pytorch', torch: 'pytorch',
  'hf-trainer': 'hf-trainer', hf: 'hf-trainer', huggingface: 'hf-trainer', transformers: 'hf-trainer', 'hf trainer': 'hf-trainer',
  lightning: 'lightning', 'pytorch-lightning': 'lightning', 'pytorch lightning': 'lightning', pl: 'lightning',
};

function usage(message: string): ExpkitError {
  return new ExpkitError(message, { exitCode: ExitCode.Usage });
}

export function resolveScaffoldConfig(input: ScaffoldInput): ScaffoldConfig {
  const slug = assertValidName('slug', input.slug);
  const data = input.spec?.data ?? {};
  const where = input.spec ? ` in ${input.spec.path}` : '';
  checkPlainData(data, where);
  const field = (name: string) => `field "${name}"${where}`;
  const warnings: string[] = [];

  const setupRaw = data.setup ?? {};
  if (!isPlainObject(setupRaw)) throw usage(`${field('setup')} must be a mapping (model, dataset, hardware, framework)`);
  const setup = setupRaw;
  const text = (name: string, value: unknown): string | null => {
    if (value === undefined || value === null) return null;
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    throw usage(`${field(name)} must be text, got ${describe(value)}`);
  };
  const fromSetup = (name: string) => text(`setup.${name}`, setup[name]) ?? text(name, data[name]);

  warnings.push(...misspelledFields(data, setup, where));
  const framework = resolveFramework(input.framework, fromSetup('framework'), warnings);
  const declared = resolveDeclaredExtras(data[EXTRA_HYPERPARAMETERS], field(EXTRA_HYPERPARAMETERS));
  const metrics = resolveMetrics(data.metrics, field('metrics'), warnings);
  const config: ScaffoldConfig = {
    slug,
    framework,
    title: text('title', data.title) ?? slug,
    hypothesis: text('hypothesis', data.hypothesis),
    model: fromSetup('model'),
    dataset: fromSetup('dataset'),
    hardware: fromSetup('hardware'),
    baseline: data.baseline ?? null,
    seeds: resolveSeeds(data.seeds, field('seeds')),
    metrics,
    hyperparameters: resolveHyperparameters(framework, data.hyperparameters, declared, { what: field('hyperparameters'), where, warnings }),
    condaEnv: input.condaEnv ?? text('setup.conda_env', setup.conda_env),
    venv: input.venv ?? text('setup.venv', setup.venv),
    python: input.python ?? text('setup.python', setup.python),
    extra: extraFields(data, setup),
    specPath: input.spec?.path ?? null,
    warnings,
  };
  // The hf-trainer template fine-tunes the spec's model when it names one.
  if (framework === 'hf-trainer' && config.model !== null && !isSpecHyper(data.hyperparameters, 'model_name_or_path')) {
    config.hyperparameters.find((h) => h.name === 'model_name_or_path')!.value = config.model;
  }
  return config;
}

function resolveFramework(flag: string | undefined, fromSpec: string | null, warnings: string[]): Framework {
  if (flag !== undefined) {
    if (!(FRAMEWORKS as readonly string[]).includes(flag)) {
      throw usage(`unknown framework ${JSON.stringify(flag)}: use one of ${FRAMEWORKS.join(', ')}`);
    }
    return flag as Framework;
  }
  if (fromSpec === null) return 'pytorch';
  const key = fromSpec.trim().toLowerCase().replace(/\s*[0-9][0-9.]*$/, '');
  const found = FRAMEWORK_ALIASES[key];
  if (found) return found;
  warnings.push(`the spec's framework ${JSON.stringify(fromSpec)} has no template; using pytorch (choose with --framework)`);
  return 'pytorch';
}

function resolveSeeds(value: unknown, what: string): number[] {
  if (value === undefined || value === null) return [...DEFAULT_SEEDS];
  const isSeed = (s: unknown): s is number => typeof s === 'number' && Number.isInteger(s) && s >= 0 && s < 2 ** 32;
  // `seeds: 3` means three seeds, 1 to 3.
  if (typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 1000) {
    return Array.from({ length: value }, (_, i) => i + 1);
  }
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0 || !list.every(isSeed)) {
    throw usage(`${what} must be a list of integers from 0 to 2^32-1 (or a count), got ${JSON.stringify(value)}`);
  }
  return [...new Set(list)];
}

function resolveMetrics(value: unknown, what: string, warnings: string[]): MetricSpec[] {
  if (value === undefined || value === null) return DEFAULT_METRICS.map(metricSpec);
  const list: unknown[] = Array.isArray(value) ? value : isPlainObject(value) ? Object.entries(value).map(([name, v]) => ({ name, ...(isPlainObject(v) ? v : { goal: v }) })) : [value];
  const metrics = list.map((item) => {
    const name = typeof item === 'string' ? item : isPlainObject(item) ? item.name : undefined;
    if (typeof name !== 'string' || !METRIC_RE.test(name)) {
      throw usage(`${what}: metric ${JSON.stringify(name ?? item)} must be a name of letters, digits, "_", ".", "-", "/" (at most 64)`);
    }
    const spec = metricSpec(name);
    const goal = isPlainObject(item) ? (item.goal ?? item.mode) : undefined;
    if (goal === 'max' || goal === 'min') spec.goal = goal;
    else if (goal !== undefined && goal !== null) throw usage(`${what}: goal of metric "${name}" must be "max" or "min"`);
    return spec;
  });
  if (metrics.length === 0) throw usage(`${what} must name at least one metric`);
  const names = new Set<string>();
  for (const m of metrics) {
    if (names.has(m.name)) throw usage(`${what}: metric "${m.name}" is listed twice`);
    names.add(m.name);
    if (!BUILTIN_METRICS.includes(m.name.replace(VALIDATION_PREFIX_RE, ''))) {
      warnings.push(`metric "${m.name}" has no built-in implementation: fill it in in metrics.py (runs stop with NotImplementedError until then)`);
    }
  }
  return metrics;
}

function metricSpec(name: string): MetricSpec {
  return { name, goal: LOWER_IS_BETTER_RE.test(name) ? 'min' : 'max' };
}

/** Every field the spec reads or expkit writes, top level. */
const ALL_KNOWN_TOP = [...KNOWN_TOP, ...KNOWN_ELSEWHERE, EXTRA_HYPERPARAMETERS];

/**
 * Warnings for unknown fields that look like misspellings of known ones (`metircs`): what they
 * meant silently did not happen. Other unknown fields are the user's own notes and pass quietly.
 */
function misspelledFields(data: Record<string, unknown>, setup: Record<string, unknown>, where: string): string[] {
  const warn = (name: string, meant: string) => `unknown field "${name}"${where}: did you mean "${meant}"? (kept under extra, not used)`;
  const warnings: string[] = [];
  for (const k of Object.keys(data)) {
    if (ALL_KNOWN_TOP.includes(k)) continue;
    const meant = likelyTypoOf(k, ALL_KNOWN_TOP);
    if (meant) warnings.push(warn(k, meant));
  }
  for (const k of Object.keys(setup)) {
    if (KNOWN_SETUP.includes(k)) continue;
    const meant = likelyTypoOf(k, KNOWN_SETUP);
    if (meant) warnings.push(warn(`setup.${k}`, `setup.${meant}`));
  }
  return warnings;
}

function resolveDeclaredExtras(value: unknown, what: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string' && IDENTIFIER_RE.test(v))) {
    throw usage(`${what} must be a list of hyperparameter names (the ones code you add to train.py reads), got ${JSON.stringify(value)}`);
  }
  return value as string[];
}

/**
 * The template's hyperparameters with the spec's values. A spec hyperparameter the template does
 * not read would become a flag nothing uses, and the experiment would "succeed" unchanged: an
 * error, unless `extra_hyperparameters` declares that code the user adds reads it.
 */
function resolveHyperparameters(
  framework: Framework,
  value: unknown,
  declared: readonly string[],
  at: { what: string; where: string; warnings: string[] },
): Hyperparameter[] {
  const { what } = at;
  const result = templateDefaults(framework);
  const known = result.map((h) => h.name);
  const byName = new Map(result.map((h) => [h.name, h]));
  const isDeclared = new Set(declared);
  const specNames = new Set(isPlainObject(value) ? Object.keys(value) : []);
  for (const name of declared) {
    if (!specNames.has(name) && !byName.has(name)) {
      at.warnings.push(`${EXTRA_HYPERPARAMETERS} names "${name}", which hyperparameters does not set${at.where}; it is ignored`);
    }
  }
  if (value === undefined || value === null) return result;
  if (!isPlainObject(value)) throw usage(`${what} must be a mapping of names to values`);
  const notRead: string[] = [];
  for (const [name, raw] of Object.entries(value)) {
    if (!IDENTIFIER_RE.test(name) || name.length > 64) {
      throw usage(`${what}: ${JSON.stringify(name)} is not a valid hyperparameter name (letters, digits and "_", not starting with a digit)`);
    }
    if (RESERVED_NAMES.includes(name)) throw usage(`${what}: "${name}" is a train.py option of its own; rename the hyperparameter`);
    if (raw !== null && !['number', 'string', 'boolean'].includes(typeof raw)) {
      throw usage(`${what}: "${name}" must be a number, text or true/false, got ${describe(raw)}`);
    }
    if (typeof raw === 'number' && !Number.isFinite(raw)) throw usage(`${what}: "${name}" must be a finite number`);
    const existing = byName.get(name);
    if (existing) {
      existing.value = coerce(existing.kind, raw as Hyperparameter['value'], `${what}: "${name}"`);
    } else if (!isDeclared.has(name)) {
      notRead.push(name);
    } else {
      const kind = raw === null ? 'str' : typeof raw === 'boolean' ? 'bool' : typeof raw === 'string' ? 'str' : Number.isInteger(raw) ? 'int' : 'float';
      const added: Hyperparameter = { name, value: raw as Hyperparameter['value'], kind, help: 'from the experiment spec (extra_hyperparameters: read by your code)' };
      result.push(added);
      byName.set(name, added);
    }
  }
  if (notRead.length) throw notReadError(notRead, known, framework, at.where);
  return result;
}

/** How many unread names the error spells out: it stays one readable line for a spec with thousands. */
const NAMES_SHOWN = 10;

function notReadError(names: string[], known: string[], framework: Framework, where: string): ExpkitError {
  const meant = (n: string) => `"${n}" (did you mean "${closestName(n, known)}"?)`;
  const more = names.length > NAMES_SHOWN ? ` and ${names.length - NAMES_SHOWN} more` : '';
  const shown = names.slice(0, NAMES_SHOWN);
  const message =
    names.length === 1
      ? `hyperparameter "${names[0]}"${where} is not read by the ${framework} template (did you mean "${closestName(names[0], known)}"?)`
      : `hyperparameters${where} not read by the ${framework} template: ${shown.map(meant).join(', ')}${more}`;
  return new ExpkitError(message, {
    exitCode: ExitCode.Usage,
    hint: `fix the name, or if code you add to train.py reads it, declare it in the spec: ${EXTRA_HYPERPARAMETERS}: [${shown.join(', ')}${more ? ', …' : ''}]`,
  });
}

function coerce(kind: Hyperparameter['kind'], value: Hyperparameter['value'], what: string): Hyperparameter['value'] {
  if (value === null) return null;
  const ok =
    (kind === 'str' && typeof value === 'string') ||
    (kind === 'bool' && typeof value === 'boolean') ||
    (kind === 'float' && typeof value === 'number') ||
    (kind === 'int' && typeof value === 'number' && Number.isInteger(value));
  if (!ok) throw usage(`${what} must be ${kind === 'int' ? 'an integer' : kind === 'float' ? 'a number' : kind === 'bool' ? 'true or false' : 'text'}, got ${JSON.stringify(value)}`);
  return value;
}

function isSpecHyper(value: unknown, name: string): boolean {
  return isPlainObject(value) && name in value;
}

function extraFields(data: Record<string, unknown>, setup: Record<string, unknown>): Record<string, unknown> {
  const extra: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(data)) if (!KNOWN_TOP.includes(k) && k !== EXTRA_HYPERPARAMETERS) extra[k] = v;
  const setupExtra = Object.fromEntries(Object.entries(setup).filter(([k]) => !KNOWN_SETUP.includes(k)));
  if (Object.keys(setupExtra).length > 0) extra.setup = setupExtra;
  return extra;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value instanceof Date) return 'a date';
  return typeof value === 'object' ? 'a mapping' : typeof value;
}
