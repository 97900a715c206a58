/** What `expkit scaffold` generates from: the spec and flags resolved into one plain object. */

export const FRAMEWORKS = ['pytorch', 'hf-trainer', 'lightning'] as const;
export type Framework = (typeof FRAMEWORKS)[number];

export interface MetricSpec {
  name: string;
  /** Whether larger values are better ("max") or smaller ("min"); decides the "best" value. */
  goal: 'max' | 'min';
}

export type HyperValue = number | string | boolean | null;

export interface Hyperparameter {
  /** A Python identifier; the flag is `--name-with-dashes`. */
  name: string;
  value: HyperValue;
  /** The argparse type: floats stay floats even when the value is whole (`lr: 1`). */
  kind: 'int' | 'float' | 'bool' | 'str';
  help: string;
}

export interface ScaffoldConfig {
  slug: string;
  framework: Framework;
  title: string;
  hypothesis: string | null;
  model: string | null;
  dataset: string | null;
  hardware: string | null;
  baseline: unknown;
  seeds: number[];
  metrics: MetricSpec[];
  hyperparameters: Hyperparameter[];
  /** run.sh defaults; each can be overridden by the environment at run time. */
  condaEnv: string | null;
  venv: string | null;
  python: string | null;
  /** Spec fields expkit does not know, kept as they are (top level, and `setup` under `setup`). */
  extra: Record<string, unknown>;
  /** Path of the spec the config came from, as given (null without a spec). */
  specPath: string | null;
  /** Things the user should know (unknown framework name, metrics without an implementation). */
  warnings: string[];
}

/** A file the scaffold writes, relative to the experiment directory. */
export interface GeneratedFile {
  path: string;
  content: string;
  mode: number;
}
