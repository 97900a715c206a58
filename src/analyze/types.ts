/** The `expkit analyze --json` object, schema version 1 (docs/analysis-schema.md). */

export interface Evidence {
  line: number;
  text: string;
}

export type FrameworkName = 'pytorch' | 'hf-trainer' | 'accelerate' | 'lightning' | 'fabric' | 'keras' | 'jax' | 'unknown';
export type FrameworkVariant = 'keras3' | 'tf.keras' | 'keras2' | 'lightning' | 'pytorch_lightning' | 'trl' | null;

/** An object a framework trains with: where it is built and the name it is bound to. */
export interface FrameworkObject {
  role: 'training-arguments' | 'trainer';
  /** What builds it, resolved through imports: `trl.SFTConfig`, `hydra.utils.instantiate`. */
  callee: string;
  line: number;
  endLine: number;
  /** The name it is bound to (`training_args`, `self.trainer`); null when returned or passed on directly. */
  variable: string | null;
  /** The enclosing function ("Class.method" for methods), null at module level. */
  function: string | null;
}

/** `trainer.set_callback("on_batch_end", fn)`, `engine.add_event_handler(Events.X, fn)`, `@engine.on(Events.X)`. */
export interface CallbackRegistration {
  method: string;
  /** The event as written (a string's value, else the expression's text), or null. */
  event: string | null;
  /** The callback as written (a name or attribute), or null for anything else. */
  callback: string | null;
  line: number;
}

/** A trainer object from another module whose `.run()` holds the training loop, driven by callbacks. */
export interface LibraryTrainer {
  variable: string;
  /** Its constructor or factory, resolved through imports: `mingpt.trainer.Trainer`. */
  callee: string;
  /** The module the loop lives in: the callee without its last name. */
  module: string;
  line: number;
  runLine: number;
  function: string | null;
  callbacks: CallbackRegistration[];
}

export interface FrameworkFinding {
  name: FrameworkName;
  variant: FrameworkVariant;
  evidence: Evidence[];
  /** TrainingArguments-like configs and trainer objects, in source order. */
  objects: FrameworkObject[];
  libraryTrainer: LibraryTrainer | null;
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

/** One call on the way from a training loop to the function holding its step markers. */
export interface CallStep {
  /** The called function ("Class.method" for methods). */
  function: string;
  /** Its `def` line. */
  line: number;
  /** The line of the call (in the loop, or in the previous step's function). */
  callLine: number;
}

export interface TrainLoop extends LoopRef {
  kind: 'for' | 'while' | 'framework-call';
  stepMarkers: StepMarker[];
  outer: LoopRef | null;
  /** Calls from the loop to the function holding the optimizer step (else the backward); [] when in the loop itself. */
  via: CallStep[];
  /** The class whose methods hold the loop (a hand-written `class Trainer:`), or null. */
  className: string | null;
  /** That class's methods from the outer loop to the step, outermost first (plain names); [] without a class. */
  methods: string[];
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

export type CheckpointKind = 'resumable' | 'weights-export';
export type CheckpointLibrary = 'orbax' | 'flax-checkpoints' | 'flax-serialization';

export interface CheckpointPresence extends Presence {
  /** null when nothing is saved. */
  kind: CheckpointKind | null;
  /**
   * The script restores training state at start-up (an optimizer's state, a start epoch/step read
   * from a checkpoint, `resume_from_checkpoint=`/`ckpt_path=`, accelerate's `load_state`…), so a rerun
   * continues; false when it never reads its checkpoints back or reloads only weights.
   */
  resumes: boolean;
  /** A JAX checkpoint library the script imports, whether or not it saves yet. */
  library: CheckpointLibrary | null;
}

export interface SeedPresence extends Presence {
  /** The seed is drawn at random when none is given (`if args.seed is None: args.seed = random.randint(…)`). */
  randomDefault: boolean;
  randomDefaultLine: number | null;
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
  existing: { wandb: Presence; seed: SeedPresence; checkpoint: CheckpointPresence };
  distributed: Presence;
}
