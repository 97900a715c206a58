/** The `expkit analyze --json` object, schema version 1 (docs/analysis-schema.md). */

export interface Evidence {
  line: number;
  text: string;
}

export type FrameworkName = 'pytorch' | 'hf-trainer' | 'accelerate' | 'lightning' | 'fabric' | 'keras' | 'unknown';
export type FrameworkVariant = 'keras3' | 'tf.keras' | 'keras2' | 'lightning' | 'pytorch_lightning' | null;

export interface FrameworkFinding {
  name: FrameworkName;
  variant: FrameworkVariant;
  evidence: Evidence[];
}

export interface ImportsFinding {
  startLine: number;
  endLine: number;
  modules: string[];
}

export type ConfigKind = 'argparse' | 'hf-argparser' | 'click' | 'fire' | 'hydra' | 'lightning-cli' | 'absl' | 'other' | 'none';

export interface ConfigArgument {
  flags: string[];
  dest: string | null;
  default: string | null;
  type: string | null;
  line: number;
}

export interface ConfigFinding {
  kind: ConfigKind;
  parserVar: string | null;
  createdLine: number | null;
  parseLine: number | null;
  argsVar: string | null;
  argsVars: string[];
  arguments: ConfigArgument[];
}

export type StepMarkerKind = 'backward' | 'optimizer-step' | 'framework-fit';

export interface StepMarker {
  line: number;
  kind: StepMarkerKind;
  text: string;
}

export interface LoopRef {
  line: number;
  endLine: number;
  function: string | null;
}

export interface TrainLoop extends LoopRef {
  kind: 'for' | 'while' | 'framework-call';
  stepMarkers: StepMarker[];
  outer: LoopRef | null;
}

export type EvalPointKind = 'eval-function' | 'eval-mode' | 'no-grad' | 'eval-call' | 'framework-eval' | 'validation-step';

export interface EvalPoint {
  line: number;
  kind: EvalPointKind;
  text: string;
}

export interface ExitPoints {
  mainGuardLine: number | null;
  mainGuardEndLine: number | null;
  mainFunction: string | null;
  mainFunctionLine: number | null;
  mainFunctionEndLine: number | null;
  sysExitLines: number[];
  returnLines: number[];
  moduleLevel: boolean;
}

export interface Presence {
  present: boolean;
  lines: number[];
}

export interface Analysis {
  schemaVersion: 1;
  file: string;
  parseErrors: { line: number; column: number }[];
  framework: FrameworkFinding;
  imports: ImportsFinding | null;
  config: ConfigFinding;
  trainLoops: TrainLoop[];
  evalPoints: EvalPoint[];
  exitPoints: ExitPoints;
  existing: { wandb: Presence; seed: Presence; checkpoint: Presence };
  distributed: Presence;
}
