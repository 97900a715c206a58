/**
 * Hand-checked expectations for `expkit analyze --json` (schema version 1, docs/analysis-schema.md)
 * on the Python fixtures, keyed by name: 'plain_mlp.py' is fixtures/instrument/plain_mlp/input.py, a name
 * without a style directory is fixtures/<name> (test/support/fixtures.js). Written independently of the analyzer's code.
 *
 * Conventions (how a test should compare):
 * - Every field is optional; a test checks only what an entry gives.
 * - Lines are 1-based. CRLF counts as one line break; a UTF-8 BOM does not shift anything.
 * - `framework.variant`: checked only when given.
 * - `imports.modulesInclude`: each must be in `imports.modules` (which may hold more).
 * - `config.arguments`: the complete list, in source order; `default`/`type` are the Python source text
 *   of the expression (null when absent) and are checked only when the key is present.
 * - `trainLoops`: the complete list, best first; `stepMarkers` is the complete set of markers inside the
 *   loop (order by line); `outer` is compared field by field (or must be null); `via`, `className`
 *   and `methods` default to [], null and [] when an entry omits them.
 * - `framework.objects` (complete list) and `framework.libraryTrainer`: exact, when given.
 * - `existing.checkpoint.kind`/`resumes`/`library` and `existing.seed.randomDefaultLine`: exact, when given.
 * - `evalPoints.evalPointsInclude`: each {line, kind} must be present; `evalPointsExclude`: no eval point of
 *   any kind may be on those lines.
 * - `exitPoints`: every field exact.
 * - `existing.*.present` exact; `linesInclude` must all be in that finding's `lines` (more lines allowed).
 * - `distributed.present` exact; `linesInclude` must all be in `distributed.lines`.
 * - `parseErrors.parseErrorLines`: the lines of the actual errors; every one must be the line of some
 *   reported parse error (tree-sitter may report extra nodes nearby); [] means `parseErrors` must be [].
 *
 * Fixtures that really run (Debian /usr/bin/python3 + torch 1.13, CPU, offline, < 5 s each; run them from a
 * scratch directory, some write small outputs into the working directory):
 *   mnist_cnn.py --epochs 1 | module_level.py | gpt_ddp.py --out_dir=/tmp/gpt_out | amp_loop.py |
 *   train_fn_epoch_main.py | wandb_existing.py --ckpt-dir /tmp/ck (needs a stand-in `wandb` module on
 *   PYTHONPATH) | crlf_tabs_unicode.py | no_final_newline.py | rl_env_step.py | text_in_strings.py |
 *   click_cli.py | generate_only.py
 * The others need packages that are not installed here (accelerate, transformers, lightning, keras,
 * tensorflow, hydra) and are only checked with `python3 -m py_compile`; syntax_error.py does not compile.
 */

export type FrameworkName = 'pytorch' | 'hf-trainer' | 'accelerate' | 'lightning' | 'fabric' | 'keras' | 'jax' | 'unknown';
export type FrameworkVariant = 'keras3' | 'tf.keras' | 'keras2' | 'lightning' | 'pytorch_lightning' | 'trl' | null;
export type ConfigKind = 'argparse' | 'hf-argparser' | 'click' | 'fire' | 'hydra' | 'lightning-cli' | 'absl' | 'other' | 'none';
export type StepMarkerKind = 'backward' | 'optimizer-step' | 'framework-fit';
export type EvalKind = 'eval-function' | 'eval-mode' | 'no-grad' | 'eval-call' | 'framework-eval' | 'validation-step';

export interface ExpectedArgument {
  flags: string[];
  dest: string;
  line: number;
  default?: string | null;
  type?: string | null;
}

export interface ExpectedLoop {
  kind: 'for' | 'while' | 'framework-call';
  line: number;
  endLine: number;
  function: string | null;
  stepMarkers: { line: number; kind: StepMarkerKind }[];
  outer: { line: number; endLine: number; function: string | null } | null;
  /** Omitted: [] (markers in the loop itself). */
  via?: { function: string; line: number; callLine: number }[];
  /** Omitted: null. */
  className?: string | null;
  /** Omitted: []. */
  methods?: string[];
}

export interface ExpectedLines {
  present: boolean;
  linesInclude: number[];
}

export interface ExpectedObject {
  role: 'training-arguments' | 'trainer';
  callee: string;
  line: number;
  endLine: number;
  variable: string | null;
  function: string | null;
}

export interface ExpectedLibraryTrainer {
  variable: string;
  callee: string;
  module: string;
  line: number;
  runLine: number;
  function: string | null;
  callbacks: { method: string; event: string | null; callback: string | null; line: number }[];
}

export interface Expected {
  framework?: { name: FrameworkName; variant?: FrameworkVariant; objects?: ExpectedObject[]; libraryTrainer?: ExpectedLibraryTrainer | null };
  imports?: { startLine: number; endLine: number; modulesInclude: string[] } | null;
  config?: {
    kind: ConfigKind;
    parserVar?: string | null;
    createdLine?: number | null;
    parseLine?: number | null;
    argsVar?: string | null;
    argsVars?: string[];
    arguments?: ExpectedArgument[];
  };
  trainLoops?: ExpectedLoop[];
  evalPoints?: { evalPointsInclude: { line: number; kind: EvalKind }[]; evalPointsExclude: number[] };
  exitPoints?: {
    mainGuardLine: number | null;
    mainGuardEndLine: number | null;
    mainFunction: string | null;
    mainFunctionLine: number | null;
    mainFunctionEndLine: number | null;
    sysExitLines: number[];
    returnLines: number[];
    moduleLevel: boolean;
  };
  existing?: {
    wandb: ExpectedLines;
    /** randomDefaultLine: null means randomDefault false; checked when given. */
    seed: ExpectedLines & { randomDefaultLine?: number | null };
    /** kind/library checked when given. */
    checkpoint: ExpectedLines & { kind?: 'resumable' | 'weights-export' | null; resumes?: boolean; library?: 'orbax' | 'flax-checkpoints' | 'flax-serialization' | null };
  };
  distributed?: ExpectedLines;
  parseErrors?: { parseErrorLines: number[] };
}

export const expected: Record<string, Expected> = {
  // Classic train()/test() split: the batch loop in train() is the trainLoop and the epoch loop in main()
  // is its `outer`. scheduler.step() (in the epoch loop) is not a step marker, so the epoch loop is not a trainLoop.
  // `torch.Generator().manual_seed(...)` is not required as a seed line (only torch.manual_seed is).
  'mnist_cnn.py': {
    framework: { name: 'pytorch' },
    imports: {
      startLine: 6,
      endLine: 15,
      modulesInclude: [
        '__future__',
        'argparse',
        'torch',
        'torch.nn',
        'torch.nn.functional',
        'torch.optim',
        'torch.optim.lr_scheduler',
        'torch.utils.data',
      ],
    },
    config: {
      kind: 'argparse',
      parserVar: 'parser',
      createdLine: 89,
      parseLine: 110,
      argsVar: 'args',
      arguments: [
        { flags: ['--batch-size'], dest: 'batch_size', line: 90, default: '64', type: 'int' },
        { flags: ['--test-batch-size'], dest: 'test_batch_size', line: 92, default: '1000', type: 'int' },
        { flags: ['--epochs'], dest: 'epochs', line: 94, default: '14', type: 'int' },
        { flags: ['--lr'], dest: 'lr', line: 96, default: '1.0', type: 'float' },
        { flags: ['--gamma'], dest: 'gamma', line: 98, default: '0.7', type: 'float' },
        { flags: ['--no-cuda'], dest: 'no_cuda', line: 100, default: 'False', type: null },
        { flags: ['--dry-run'], dest: 'dry_run', line: 102, default: 'False', type: null },
        { flags: ['--seed'], dest: 'seed', line: 104, default: '1', type: 'int' },
        { flags: ['--log-interval'], dest: 'log_interval', line: 106, default: '10', type: 'int' },
        { flags: ['--save-model'], dest: 'save_model', line: 108, default: 'False', type: null },
      ],
    },
    trainLoops: [
      {
        kind: 'for',
        line: 53,
        endLine: 65,
        function: 'train',
        stepMarkers: [{ line: 58, kind: 'backward' }, { line: 59, kind: 'optimizer-step' }],
        outer: { line: 134, endLine: 137, function: 'main' },
      },
    ],
    evalPoints: {
      evalPointsInclude: [
        { line: 68, kind: 'eval-function' },
        { line: 69, kind: 'eval-mode' },
        { line: 72, kind: 'no-grad' },
        { line: 136, kind: 'eval-call' },
      ],
      evalPointsExclude: [52, 137],
    },
    exitPoints: {
      mainGuardLine: 143,
      mainGuardEndLine: 144,
      mainFunction: 'main',
      mainFunctionLine: 87,
      mainFunctionEndLine: 140,
      sysExitLines: [],
      returnLines: [],
      moduleLevel: false,
    },
    existing: {
      wandb: { present: false, linesInclude: [] },
      seed: { present: true, linesInclude: [113], randomDefaultLine: null },
      checkpoint: { present: true, linesInclude: [140], kind: 'weights-export' },
    },
    distributed: { present: false, linesInclude: [] },
    parseErrors: { parseErrorLines: [] },
  },

  // Module-level script: no entry function, no guard, no CLI (config kind `none`). The innermost loop
  // holding backward/step is the batch loop; the epoch loop around it is not listed separately.
  'module_level.py': {
    framework: { name: 'pytorch' },
    imports: { startLine: 4, endLine: 7, modulesInclude: ['math', 'torch'] },
    config: { kind: 'none', parserVar: null, createdLine: null, parseLine: null, argsVar: null, arguments: [] },
    trainLoops: [
      {
        kind: 'for',
        line: 37,
        endLine: 44,
        function: null,
        stepMarkers: [{ line: 42, kind: 'backward' }, { line: 43, kind: 'optimizer-step' }],
        outer: null,
      },
    ],
    evalPoints: { evalPointsInclude: [], evalPointsExclude: [] },
    exitPoints: {
      mainGuardLine: null,
      mainGuardEndLine: null,
      mainFunction: null,
      mainFunctionLine: null,
      mainFunctionEndLine: null,
      sysExitLines: [],
      returnLines: [],
      moduleLevel: true,
    },
    existing: {
      wandb: { present: false, linesInclude: [] },
      seed: { present: true, linesInclude: [17] },
      checkpoint: { present: false, linesInclude: [], kind: null },
    },
    distributed: { present: false, linesInclude: [] },
    parseErrors: { parseErrorLines: [] },
  },

  // nanoGPT-style. The `while True:` loop is the single trainLoop: it is the innermost loop enclosing a
  // complete step (backward in the nested micro_step loop + optimizer.step() after it); the micro_step loop must not
  // be reported as a separate trainLoop. stepMarkers are all markers inside the loop, nested ones included.
  // Config is a hand-rolled `--key=value` override of module globals -> kind `other` (only kind is checked).
  // estimate_loss() is not named like an eval function, so only its model.eval() is required.
  'gpt_ddp.py': {
    framework: { name: 'pytorch' },
    imports: {
      startLine: 8,
      endLine: 18,
      modulesInclude: [
        'ast',
        'math',
        'os',
        'sys',
        'time',
        'torch',
        'torch.distributed',
        'torch.nn',
        'torch.nn.parallel',
      ],
    },
    config: { kind: 'other' },
    trainLoops: [
      {
        kind: 'while',
        line: 144,
        endLine: 184,
        function: null,
        stepMarkers: [{ line: 170, kind: 'backward' }, { line: 173, kind: 'optimizer-step' }],
        outer: null,
      },
    ],
    evalPoints: { evalPointsInclude: [{ line: 120, kind: 'eval-mode' }], evalPointsExclude: [128] },
    exitPoints: {
      mainGuardLine: null,
      mainGuardEndLine: null,
      mainFunction: null,
      mainFunctionLine: null,
      mainFunctionEndLine: null,
      sysExitLines: [],
      returnLines: [],
      moduleLevel: true,
    },
    existing: {
      wandb: { present: false, linesInclude: [] },
      seed: { present: true, linesInclude: [69] },
      checkpoint: { present: true, linesInclude: [162], kind: 'resumable', resumes: false },
    },
    distributed: { present: true, linesInclude: [17, 18, 51, 53, 54, 55, 56, 113, 187] },
    parseErrors: { parseErrorLines: [] },
  },

  // AMP: `scaler.scale(loss).backward()` is the backward marker and `scaler.step(optimizer)` the optimizer
  // step; scaler.unscale_/scaler.update are not markers. The parser lives in parse_args(); argsVar follows the
  // wrapper to `hparams = parse_args()` in main(). `sys.exit(main())` names main and is a sysExit line.
  'amp_loop.py': {
    framework: { name: 'pytorch' },
    imports: {
      startLine: 7,
      endLine: 13,
      modulesInclude: ['argparse', 'logging', 'sys', 'torch', 'torch.nn', 'torch.utils.data'],
    },
    config: {
      kind: 'argparse',
      parserVar: 'p',
      createdLine: 54,
      parseLine: 64,
      argsVar: 'hparams',
      arguments: [
        { flags: ['--epochs'], dest: 'epochs', line: 55, default: '3', type: 'int' },
        { flags: ['--batch-size'], dest: 'batch_size', line: 56, default: '64', type: 'int' },
        { flags: ['--lr', '--learning-rate'], dest: 'lr', line: 57, default: '3e-3', type: 'float' },
        { flags: ['--in-features'], dest: 'in_features', line: 58, default: '20', type: 'int' },
        { flags: ['--num-classes'], dest: 'num_classes', line: 59, default: '5', type: 'int' },
        { flags: ['--hidden'], dest: 'hidden', line: 60, default: '128', type: 'int' },
        { flags: ['--seed'], dest: 'seed', line: 61, default: '0', type: 'int' },
        { flags: ['--amp'], dest: 'amp', line: 62, default: 'True', type: null },
      ],
    },
    trainLoops: [
      {
        kind: 'for',
        line: 84,
        endLine: 94,
        function: 'main',
        stepMarkers: [{ line: 90, kind: 'backward' }, { line: 93, kind: 'optimizer-step' }],
        outer: null,
      },
    ],
    evalPoints: {
      evalPointsInclude: [
        { line: 38, kind: 'eval-function' },
        { line: 39, kind: 'eval-mode' },
        { line: 41, kind: 'no-grad' },
        { line: 95, kind: 'eval-call' },
      ],
      evalPointsExclude: [87, 94],
    },
    exitPoints: {
      mainGuardLine: 104,
      mainGuardEndLine: 105,
      mainFunction: 'main',
      mainFunctionLine: 67,
      mainFunctionEndLine: 101,
      sysExitLines: [105],
      returnLines: [100, 101],
      moduleLevel: false,
    },
    existing: {
      wandb: { present: false, linesInclude: [] },
      seed: { present: true, linesInclude: [70] },
      checkpoint: { present: false, linesInclude: [], kind: null },
    },
    distributed: { present: false, linesInclude: [] },
    parseErrors: { parseErrorLines: [] },
  },

  // Accelerate: accelerator.backward(loss) + optim.step() (optimizer variable named `optim`) inside
  // `with accelerator.accumulate(model)`; lr_scheduler.step() is not a marker. The imports block ends at the closing
  // paren of the multi-line `from transformers import (...)`. Only the call line counts for seed/distributed,
  // not the `from accelerate... import` lines (they may be reported too).
  'accelerate_loop.py': {
    framework: { name: 'accelerate' },
    imports: {
      startLine: 5,
      endLine: 18,
      modulesInclude: [
        'accelerate',
        'accelerate.utils',
        'argparse',
        'datasets',
        'math',
        'torch',
        'torch.utils.data',
        'transformers',
      ],
    },
    config: {
      kind: 'argparse',
      parserVar: 'parser',
      createdLine: 86,
      parseLine: 95,
      argsVar: 'args',
      arguments: [
        { flags: ['--model_name'], dest: 'model_name', line: 87, default: '"bert-base-cased"', type: null },
        { flags: ['--mixed_precision'], dest: 'mixed_precision', line: 88, default: '"no"', type: null },
        { flags: ['--num_epochs'], dest: 'num_epochs', line: 89, default: '3', type: 'int' },
        { flags: ['--batch_size'], dest: 'batch_size', line: 90, default: '16', type: 'int' },
        { flags: ['--lr'], dest: 'lr', line: 91, default: '2e-5', type: 'float' },
        { flags: ['--grad_accum'], dest: 'grad_accum', line: 92, default: '1', type: 'int' },
        { flags: ['--seed'], dest: 'seed', line: 93, default: '42', type: 'int' },
        { flags: ['--output_dir'], dest: 'output_dir', line: 94, default: '"outputs"', type: null },
      ],
    },
    trainLoops: [
      {
        kind: 'for',
        line: 66,
        endLine: 73,
        function: 'training_function',
        stepMarkers: [{ line: 70, kind: 'backward' }, { line: 71, kind: 'optimizer-step' }],
        outer: null,
      },
    ],
    evalPoints: {
      evalPointsInclude: [
        { line: 36, kind: 'eval-function' },
        { line: 37, kind: 'eval-mode' },
        { line: 40, kind: 'no-grad' },
        { line: 74, kind: 'eval-call' },
      ],
      evalPointsExclude: [65],
    },
    exitPoints: {
      mainGuardLine: 99,
      mainGuardEndLine: 100,
      mainFunction: 'main',
      mainFunctionLine: 85,
      mainFunctionEndLine: 96,
      sysExitLines: [],
      returnLines: [],
      moduleLevel: false,
    },
    existing: {
      wandb: { present: false, linesInclude: [] },
      seed: { present: true, linesInclude: [51] },
      checkpoint: { present: true, linesInclude: [80], kind: 'weights-export' },
    },
    distributed: { present: true, linesInclude: [50] },
    parseErrors: { parseErrorLines: [] },
  },

  // HfArgumentParser: arguments are the fields of the two dataclasses defined in this file (TrainingArguments
  // is imported, so it contributes none); type = annotation text; `default` is not checked for dataclass fields;
  // line = the line where the field's annotation starts. The trainLoop is the `trainer.train(...)` statement.
  // returnLines is []: the `return`s inside the nested preprocess()/compute_metrics() belong to those functions.
  'hf_trainer_dataclasses.py': {
    framework: {
      name: 'hf-trainer',
      objects: [
        { role: 'training-arguments', callee: 'transformers.TrainingArguments', line: 59, endLine: 59, variable: 'training_args', function: 'main' },
        { role: 'trainer', callee: 'transformers.Trainer', line: 94, endLine: 101, variable: 'trainer', function: 'main' },
      ],
    },
    imports: {
      startLine: 7,
      endLine: 25,
      modulesInclude: [
        'dataclasses',
        'datasets',
        'logging',
        'numpy',
        'os',
        'sys',
        'transformers',
        'transformers.trainer_utils',
        'typing',
      ],
    },
    config: {
      kind: 'hf-argparser',
      parserVar: 'parser',
      createdLine: 58,
      parseLine: 59,
      argsVar: 'model_args',
      argsVars: ['model_args', 'data_args', 'training_args'],
      arguments: [
        { flags: ['--model_name_or_path'], dest: 'model_name_or_path', line: 34, type: 'str' },
        { flags: ['--cache_dir'], dest: 'cache_dir', line: 37, type: 'Optional[str]' },
        { flags: ['--use_fast_tokenizer'], dest: 'use_fast_tokenizer', line: 40, type: 'bool' },
        { flags: ['--dataset_name'], dest: 'dataset_name', line: 47, type: 'str' },
        { flags: ['--max_seq_length'], dest: 'max_seq_length', line: 48, type: 'int' },
        { flags: ['--max_train_samples'], dest: 'max_train_samples', line: 52, type: 'Optional[int]' },
      ],
    },
    trainLoops: [
      {
        kind: 'framework-call',
        line: 105,
        endLine: 105,
        function: 'main',
        stepMarkers: [{ line: 105, kind: 'framework-fit' }],
        outer: null,
      },
    ],
    evalPoints: { evalPointsInclude: [{ line: 113, kind: 'framework-eval' }], evalPointsExclude: [] },
    exitPoints: {
      mainGuardLine: 118,
      mainGuardEndLine: 119,
      mainFunction: 'main',
      mainFunctionLine: 57,
      mainFunctionEndLine: 115,
      sysExitLines: [],
      returnLines: [],
      moduleLevel: false,
    },
    existing: {
      wandb: { present: false, linesInclude: [] },
      seed: { present: true, linesInclude: [74] },
      checkpoint: { present: true, linesInclude: [106, 109], kind: 'resumable' },
    },
    distributed: { present: false, linesInclude: [] },
    parseErrors: { parseErrorLines: [] },
  },

  // Module-level HF Trainer with hard-coded TrainingArguments: config kind `none`, moduleLevel true.
  // report_to="none" must NOT count as wandb; save_strategy="no" is not a checkpoint. Both `seed=` keywords count.
  'hf_trainer_plain.py': {
    framework: {
      name: 'hf-trainer',
      objects: [
        { role: 'training-arguments', callee: 'transformers.TrainingArguments', line: 19, endLine: 32, variable: 'training_args', function: null },
        { role: 'trainer', callee: 'transformers.Trainer', line: 34, endLine: 41, variable: 'trainer', function: null },
      ],
    },
    imports: { startLine: 2, endLine: 9, modulesInclude: ['datasets', 'transformers'] },
    config: { kind: 'none', parserVar: null, createdLine: null, parseLine: null, argsVar: null, arguments: [] },
    trainLoops: [
      {
        kind: 'framework-call',
        line: 43,
        endLine: 43,
        function: null,
        stepMarkers: [{ line: 43, kind: 'framework-fit' }],
        outer: null,
      },
    ],
    evalPoints: { evalPointsInclude: [{ line: 44, kind: 'framework-eval' }], evalPointsExclude: [] },
    exitPoints: {
      mainGuardLine: null,
      mainGuardEndLine: null,
      mainFunction: null,
      mainFunctionLine: null,
      mainFunctionEndLine: null,
      sysExitLines: [],
      returnLines: [],
      moduleLevel: true,
    },
    existing: {
      wandb: { present: false, linesInclude: [] },
      // `seed=1234` seeds the Trainer when it is built and `.shuffle(seed=1234)` one shuffle: neither seeds the
      // model built before them (module level, line 19), so the script does not seed itself.
      seed: { present: false, linesInclude: [] },
      checkpoint: { present: false, linesInclude: [], kind: null },
    },
    distributed: { present: false, linesInclude: [] },
    parseErrors: { parseErrorLines: [] },
  },

  // PyTorch Lightning 1.x; everything runs inside the __main__ guard with no entry function, so
  // mainFunction is null and moduleLevel is true. validation_step may additionally be reported as eval-function.
  'lightning_pl.py': {
    framework: { name: 'lightning', variant: 'pytorch_lightning', objects: [{ role: 'trainer', callee: 'pytorch_lightning.Trainer', line: 63, endLine: 67, variable: 'trainer', function: null }] },
    imports: {
      startLine: 2,
      endLine: 7,
      modulesInclude: ['argparse', 'pytorch_lightning', 'torch', 'torch.utils.data'],
    },
    config: {
      kind: 'argparse',
      parserVar: 'parser',
      createdLine: 52,
      parseLine: 57,
      argsVar: 'args',
      arguments: [
        { flags: ['--max_epochs'], dest: 'max_epochs', line: 53, default: '5', type: 'int' },
        { flags: ['--batch_size'], dest: 'batch_size', line: 54, default: '32', type: 'int' },
        { flags: ['--lr'], dest: 'lr', line: 55, default: '1e-3', type: 'float' },
        { flags: ['--gpus'], dest: 'gpus', line: 56, default: '0', type: 'int' },
      ],
    },
    trainLoops: [
      {
        kind: 'framework-call',
        line: 68,
        endLine: 68,
        function: null,
        stepMarkers: [{ line: 68, kind: 'framework-fit' }],
        outer: null,
      },
    ],
    evalPoints: { evalPointsInclude: [{ line: 26, kind: 'validation-step' }], evalPointsExclude: [] },
    exitPoints: {
      mainGuardLine: 51,
      mainGuardEndLine: 68,
      mainFunction: null,
      mainFunctionLine: null,
      mainFunctionEndLine: null,
      sysExitLines: [],
      returnLines: [],
      moduleLevel: true,
    },
    existing: {
      wandb: { present: false, linesInclude: [] },
      seed: { present: true, linesInclude: [59] },
      checkpoint: { present: true, linesInclude: [62], kind: 'resumable' },
    },
    distributed: { present: false, linesInclude: [] },
    parseErrors: { parseErrorLines: [] },
  },

  // Lightning 2 (`import lightning as L`). No CLI (MAX_EPOCHS env read is not a config system -> `none`).
  // trainer.test(...) is a framework-eval point; validation_step and test_step are validation-step points.
  // No ModelCheckpoint/save -> checkpoint absent (EarlyStopping is not a checkpoint).
  'lightning2.py': {
    framework: { name: 'lightning', variant: 'lightning', objects: [{ role: 'trainer', callee: 'lightning.Trainer', line: 58, endLine: 65, variable: 'trainer', function: 'main' }] },
    imports: {
      startLine: 2,
      endLine: 11,
      modulesInclude: [
        'lightning',
        'lightning.pytorch.callbacks',
        'lightning.pytorch.loggers',
        'os',
        'torch',
        'torch.nn.functional',
        'torch.utils.data',
      ],
    },
    config: { kind: 'none', parserVar: null, createdLine: null, parseLine: null, argsVar: null, arguments: [] },
    trainLoops: [
      {
        kind: 'framework-call',
        line: 66,
        endLine: 66,
        function: 'main',
        stepMarkers: [{ line: 66, kind: 'framework-fit' }],
        outer: null,
      },
    ],
    evalPoints: {
      evalPointsInclude: [
        { line: 35, kind: 'validation-step' },
        { line: 39, kind: 'validation-step' },
        { line: 67, kind: 'framework-eval' },
      ],
      evalPointsExclude: [],
    },
    exitPoints: {
      mainGuardLine: 70,
      mainGuardEndLine: 71,
      mainFunction: 'main',
      mainFunctionLine: 55,
      mainFunctionEndLine: 67,
      sysExitLines: [],
      returnLines: [],
      moduleLevel: false,
    },
    existing: {
      wandb: { present: false, linesInclude: [] },
      seed: { present: true, linesInclude: [56] },
      checkpoint: { present: false, linesInclude: [], kind: null },
    },
    distributed: { present: false, linesInclude: [] },
    parseErrors: { parseErrorLines: [] },
  },

  // LightningCLI: config kind `lightning-cli` created at the LightningCLI(...) line; the same statement is the
  // framework-call trainLoop (function cli_main, which is the mainFunction). `seed_everything_default=1234` is
  // counted as seeding (a careful reader would; it is not literally `seed=`).
  'lightning_cli.py': {
    framework: { name: 'lightning', variant: 'lightning' },
    imports: {
      startLine: 6,
      endLine: 11,
      modulesInclude: ['lightning.pytorch', 'lightning.pytorch.cli', 'torch', 'torch.utils.data'],
    },
    config: { kind: 'lightning-cli', createdLine: 65 },
    trainLoops: [
      {
        kind: 'framework-call',
        line: 65,
        endLine: 65,
        function: 'cli_main',
        stepMarkers: [{ line: 65, kind: 'framework-fit' }],
        outer: null,
      },
    ],
    evalPoints: {
      evalPointsInclude: [{ line: 29, kind: 'validation-step' }, { line: 33, kind: 'validation-step' }],
      evalPointsExclude: [],
    },
    exitPoints: {
      mainGuardLine: 68,
      mainGuardEndLine: 69,
      mainFunction: 'cli_main',
      mainFunctionLine: 64,
      mainFunctionEndLine: 65,
      sysExitLines: [],
      returnLines: [],
      moduleLevel: false,
    },
    existing: {
      wandb: { present: false, linesInclude: [] },
      seed: { present: true, linesInclude: [65] },
      checkpoint: { present: false, linesInclude: [], kind: null },
    },
    distributed: { present: false, linesInclude: [] },
    parseErrors: { parseErrorLines: [] },
  },

  // Fabric: fabric.backward(loss) + opt.step(). The guard calls run(parser.parse_args()), so mainFunction is
  // `run`, the parser lives in the guard, and argsVar is null (the parse result is bound to no variable).
  // fabric.save(...) is expected as a checkpoint (not in the doc's list; a careful reader counts it).
  'fabric_loop.py': {
    framework: { name: 'fabric' },
    imports: {
      startLine: 2,
      endLine: 8,
      modulesInclude: ['argparse', 'lightning.fabric', 'torch', 'torch.nn', 'torch.nn.functional', 'torch.utils.data'],
    },
    config: {
      kind: 'argparse',
      parserVar: 'parser',
      createdLine: 53,
      parseLine: 58,
      // Reviewed: the result is passed straight into run(hparams); the analyzer reports the parameter that
      // receives it, the name the configuration has where training uses it.
      argsVar: 'hparams',
      arguments: [
        { flags: ['--epochs'], dest: 'epochs', line: 54, default: '2', type: 'int' },
        { flags: ['--batch-size'], dest: 'batch_size', line: 55, default: '64', type: 'int' },
        { flags: ['--lr'], dest: 'lr', line: 56, default: '0.05', type: 'float' },
        { flags: ['--seed'], dest: 'seed', line: 57, default: '42', type: 'int' },
      ],
    },
    trainLoops: [
      {
        kind: 'for',
        line: 40,
        endLine: 46,
        function: 'run',
        stepMarkers: [{ line: 43, kind: 'backward' }, { line: 44, kind: 'optimizer-step' }],
        outer: null,
      },
    ],
    evalPoints: { evalPointsInclude: [], evalPointsExclude: [39] },
    exitPoints: {
      mainGuardLine: 52,
      mainGuardEndLine: 58,
      mainFunction: 'run',
      mainFunctionLine: 24,
      mainFunctionEndLine: 49,
      sysExitLines: [],
      returnLines: [],
      moduleLevel: false,
    },
    existing: {
      wandb: { present: false, linesInclude: [] },
      seed: { present: true, linesInclude: [27] },
      checkpoint: { present: true, linesInclude: [49], kind: 'resumable' },
    },
    distributed: { present: true, linesInclude: [25] },
    parseErrors: { parseErrorLines: [] },
  },

  // Keras 3. The import block is only line `import os`: the os.environ.setdefault(...) statement that must
  // precede `import keras` ends it (per the doc: the block ends before the first statement of another kind);
  // the later imports still appear in `modules`. The multi-line `history = model.fit(...)` statement is the trainLoop.
  'keras3_fit.py': {
    framework: { name: 'keras', variant: 'keras3' },
    // Reviewed against the analyzer: `os.environ.setdefault("KERAS_BACKEND", …)` must run before `import keras`,
    // so it belongs to the import block (docs/analysis-schema.md lists such set-up lines); the block is 2–8 and
    // `import wandb` goes after line 8.
    imports: { startLine: 2, endLine: 8, modulesInclude: ['keras', 'numpy', 'os'] },
    config: { kind: 'none', parserVar: null, createdLine: null, parseLine: null, argsVar: null, arguments: [] },
    trainLoops: [
      {
        kind: 'framework-call',
        line: 44,
        endLine: 51,
        function: 'main',
        stepMarkers: [{ line: 44, kind: 'framework-fit' }],
        outer: null,
      },
    ],
    evalPoints: { evalPointsInclude: [{ line: 54, kind: 'framework-eval' }], evalPointsExclude: [] },
    exitPoints: {
      mainGuardLine: 59,
      mainGuardEndLine: 60,
      mainFunction: 'main',
      mainFunctionLine: 30,
      mainFunctionEndLine: 56,
      sysExitLines: [],
      returnLines: [],
      moduleLevel: false,
    },
    existing: {
      wandb: { present: false, linesInclude: [] },
      seed: { present: true, linesInclude: [31] },
      checkpoint: { present: true, linesInclude: [56], kind: 'weights-export' },
    },
    distributed: { present: false, linesInclude: [] },
    parseErrors: { parseErrorLines: [] },
  },

  // tf.keras with parse_known_args tuple unpacking (argsVar args, argsVars [args, _]) inside get_args().
  // ModelCheckpoint is the checkpoint; TensorBoard/ReduceLROnPlateau are not.
  'tf_keras_callbacks.py': {
    framework: { name: 'keras', variant: 'tf.keras' },
    imports: { startLine: 2, endLine: 7, modulesInclude: ['argparse', 'datetime', 'numpy', 'os', 'tensorflow'] },
    config: {
      kind: 'argparse',
      parserVar: 'parser',
      createdLine: 11,
      parseLine: 17,
      argsVar: 'args',
      // Reviewed: get_args() returns `args` to main(), whose `args = get_args()` is the binding training uses.
      argsVars: ['args'],
      arguments: [
        { flags: ['--epochs'], dest: 'epochs', line: 12, default: '10', type: 'int' },
        { flags: ['--batch_size'], dest: 'batch_size', line: 13, default: '64', type: 'int' },
        { flags: ['--learning_rate'], dest: 'learning_rate', line: 14, default: '1e-3', type: 'float' },
        { flags: ['--model_dir'], dest: 'model_dir', line: 15, default: '"checkpoints"', type: 'str' },
        { flags: ['--log_dir'], dest: 'log_dir', line: 16, default: '"logs/fit"', type: 'str' },
      ],
    },
    trainLoops: [
      {
        kind: 'framework-call',
        line: 62,
        endLine: 68,
        function: 'main',
        stepMarkers: [{ line: 62, kind: 'framework-fit' }],
        outer: null,
      },
    ],
    evalPoints: { evalPointsInclude: [{ line: 69, kind: 'framework-eval' }], evalPointsExclude: [] },
    exitPoints: {
      mainGuardLine: 73,
      mainGuardEndLine: 74,
      mainFunction: 'main',
      mainFunctionLine: 33,
      mainFunctionEndLine: 70,
      sysExitLines: [],
      returnLines: [],
      moduleLevel: false,
    },
    existing: {
      wandb: { present: false, linesInclude: [] },
      seed: { present: true, linesInclude: [35, 36] },
      checkpoint: { present: true, linesInclude: [52], kind: 'weights-export' },
    },
    distributed: { present: false, linesInclude: [] },
    parseErrors: { parseErrorLines: [] },
  },

  // Already instrumented with wandb: the import and every wandb.* call are wandb lines. seed_all() holds four
  // seed calls.
  'wandb_existing.py': {
    framework: { name: 'pytorch' },
    imports: {
      startLine: 2,
      endLine: 10,
      modulesInclude: ['argparse', 'numpy', 'os', 'random', 'torch', 'torch.nn', 'torch.nn.functional', 'wandb'],
    },
    config: {
      kind: 'argparse',
      parserVar: 'parser',
      createdLine: 53,
      parseLine: 60,
      argsVar: 'args',
      arguments: [
        { flags: ['--project'], dest: 'project', line: 54, default: '"smallnet"', type: null },
        { flags: ['--epochs'], dest: 'epochs', line: 55, default: '3', type: 'int' },
        { flags: ['--bs'], dest: 'bs', line: 56, default: '32', type: 'int' },
        { flags: ['--lr'], dest: 'lr', line: 57, default: '1e-3', type: 'float' },
        { flags: ['--seed'], dest: 'seed', line: 58, default: '0', type: 'int' },
        { flags: ['--ckpt-dir'], dest: 'ckpt_dir', line: 59, default: '"checkpoints"', type: null },
      ],
    },
    trainLoops: [
      {
        kind: 'for',
        line: 75,
        endLine: 82,
        function: 'main',
        stepMarkers: [{ line: 79, kind: 'backward' }, { line: 80, kind: 'optimizer-step' }],
        outer: null,
      },
    ],
    evalPoints: {
      evalPointsInclude: [
        { line: 42, kind: 'eval-function' },
        { line: 43, kind: 'eval-mode' },
        { line: 44, kind: 'no-grad' },
        { line: 84, kind: 'eval-call' },
      ],
      evalPointsExclude: [48],
    },
    exitPoints: {
      mainGuardLine: 93,
      mainGuardEndLine: 94,
      mainFunction: 'main',
      mainFunctionLine: 52,
      mainFunctionEndLine: 90,
      sysExitLines: [],
      returnLines: [],
      moduleLevel: false,
    },
    existing: {
      wandb: { present: true, linesInclude: [10, 63, 82, 85, 90] },
      seed: { present: true, linesInclude: [14, 15, 16, 17] },
      checkpoint: { present: true, linesInclude: [87], kind: 'weights-export' },
    },
    distributed: { present: false, linesInclude: [] },
    parseErrors: { parseErrorLines: [] },
  },

  // Inference only: no trainLoops. The `for _ in range(max_new_tokens)` sampling loop has no step marker.
  // The `with torch.no_grad()` in reset_parameters (weight init) must not be an eval point; the one after
  // model.eval() in main is. The parsed args are called `opt` here (not an optimizer). torch.load is not a checkpoint save.
  'generate_only.py': {
    framework: { name: 'pytorch' },
    imports: { startLine: 6, endLine: 11, modulesInclude: ['argparse', 'os', 'torch', 'torch.nn'] },
    config: {
      kind: 'argparse',
      parserVar: 'parser',
      createdLine: 45,
      parseLine: 52,
      argsVar: 'opt',
      arguments: [
        { flags: ['--ckpt'], dest: 'ckpt', line: 46, default: '"charlm.pt"', type: null },
        { flags: ['--prompt'], dest: 'prompt', line: 47, default: '"the "', type: null },
        { flags: ['--max_new_tokens'], dest: 'max_new_tokens', line: 48, default: '100', type: 'int' },
        { flags: ['--temperature'], dest: 'temperature', line: 49, default: '0.8', type: 'float' },
        { flags: ['--top_k'], dest: 'top_k', line: 50, default: '10', type: 'int' },
        { flags: ['--seed'], dest: 'seed', line: 51, default: '1337', type: 'int' },
      ],
    },
    trainLoops: [],
    evalPoints: {
      evalPointsInclude: [{ line: 58, kind: 'eval-mode' }, { line: 61, kind: 'no-grad' }],
      evalPointsExclude: [26],
    },
    exitPoints: {
      mainGuardLine: 72,
      mainGuardEndLine: 73,
      mainFunction: 'main',
      mainFunctionLine: 44,
      mainFunctionEndLine: 69,
      sysExitLines: [],
      returnLines: [],
      moduleLevel: false,
    },
    existing: {
      wandb: { present: false, linesInclude: [] },
      seed: { present: true, linesInclude: [54] },
      checkpoint: { present: false, linesInclude: [], kind: null },
    },
    distributed: { present: false, linesInclude: [] },
    parseErrors: { parseErrorLines: [] },
  },

  // REINFORCE. The episode loop (in method Trainer.train) is the trainLoop; `self.env.step(...)` in the inner
  // `while not done` loop is NOT a step marker, so that while loop is not a trainLoop. `self.optimizer.step()` is.
  // The user-defined `class Trainer` with a train() method must not make the framework hf-trainer, and
  // `trainer.train()` in main() is not a framework-fit.
  'rl_env_step.py': {
    framework: { name: 'pytorch' },
    imports: {
      startLine: 6,
      endLine: 12,
      modulesInclude: ['argparse', 'numpy', 'random', 'torch', 'torch.distributions', 'torch.nn'],
    },
    config: {
      kind: 'argparse',
      parserVar: 'parser',
      createdLine: 92,
      parseLine: 98,
      argsVar: 'cfg',
      arguments: [
        { flags: ['--episodes'], dest: 'episodes', line: 93, default: '200', type: 'int' },
        { flags: ['--gamma'], dest: 'gamma', line: 94, default: '0.99', type: 'float' },
        { flags: ['--lr'], dest: 'lr', line: 95, default: '1e-2', type: 'float' },
        { flags: ['--log-every'], dest: 'log_every', line: 96, default: '20', type: 'int' },
        { flags: ['--seed'], dest: 'seed', line: 97, default: '543', type: 'int' },
      ],
    },
    trainLoops: [
      {
        kind: 'for',
        line: 68,
        endLine: 87,
        function: 'Trainer.train',
        stepMarkers: [{ line: 82, kind: 'backward' }, { line: 83, kind: 'optimizer-step' }],
        outer: null,
        // The episode loop is a method of the script's own Trainer class (no outer loop, no calls).
        className: 'Trainer',
        methods: ['train'],
      },
    ],
    evalPoints: { evalPointsInclude: [], evalPointsExclude: [] },
    exitPoints: {
      mainGuardLine: 107,
      mainGuardEndLine: 108,
      mainFunction: 'main',
      mainFunctionLine: 91,
      mainFunctionEndLine: 104,
      sysExitLines: [],
      returnLines: [],
      moduleLevel: false,
    },
    existing: {
      wandb: { present: false, linesInclude: [] },
      seed: { present: true, linesInclude: [100, 101] },
      checkpoint: { present: false, linesInclude: [], kind: null },
    },
    distributed: { present: false, linesInclude: [] },
    parseErrors: { parseErrorLines: [] },
  },

  // Two real syntax errors that tree-sitter recovers from locally: a stray `:` after `model.train()` and
  // `=` instead of `==` in an if. (A missing `)` was tried first: tree-sitter then swallowed the rest of the file.)
  // Everything else must still be found.
  'syntax_error.py': {
    framework: { name: 'pytorch' },
    imports: { startLine: 2, endLine: 5, modulesInclude: ['argparse', 'torch', 'torch.nn'] },
    config: {
      kind: 'argparse',
      parserVar: 'parser',
      createdLine: 22,
      parseLine: 25,
      argsVar: 'args',
      arguments: [
        { flags: ['--epochs'], dest: 'epochs', line: 23, default: '100', type: 'int' },
        { flags: ['--lr'], dest: 'lr', line: 24, default: '0.1', type: 'float' },
      ],
    },
    trainLoops: [
      {
        kind: 'for',
        line: 33,
        endLine: 40,
        function: 'main',
        stepMarkers: [{ line: 37, kind: 'backward' }, { line: 38, kind: 'optimizer-step' }],
        outer: null,
      },
    ],
    evalPoints: {
      evalPointsInclude: [
        { line: 15, kind: 'eval-function' },
        { line: 16, kind: 'eval-mode' },
        { line: 17, kind: 'no-grad' },
        { line: 42, kind: 'eval-call' },
      ],
      evalPointsExclude: [],
    },
    exitPoints: {
      mainGuardLine: 46,
      mainGuardEndLine: 47,
      mainFunction: 'main',
      mainFunctionLine: 21,
      mainFunctionEndLine: 43,
      sysExitLines: [],
      returnLines: [],
      moduleLevel: false,
    },
    existing: {
      wandb: { present: false, linesInclude: [] },
      seed: { present: true, linesInclude: [27] },
      checkpoint: { present: true, linesInclude: [43], kind: 'weights-export' },
    },
    distributed: { present: false, linesInclude: [] },
    parseErrors: { parseErrorLines: [34, 39] },
  },

  // CRLF endings, tab indentation, non-ASCII identifiers/strings. Lines count CRLF as one line break.
  // `--époques` has dest="epochs". argsVar follows `args = parse()` (wrapper returning parser.parse_args()).
  // The French-named évaluer() is not required as an eval-function, but its modèle.eval()/no_grad are eval points.
  'crlf_tabs_unicode.py': {
    framework: { name: 'pytorch' },
    imports: { startLine: 3, endLine: 6, modulesInclude: ['argparse', 'torch', 'torch.nn'] },
    config: {
      kind: 'argparse',
      parserVar: 'parser',
      createdLine: 10,
      parseLine: 15,
      argsVar: 'args',
      arguments: [
        { flags: ['--batch-size'], dest: 'batch_size', line: 12, default: '32', type: 'int' },
        { flags: ['--époques'], dest: 'epochs', line: 13, default: '5', type: 'int' },
        { flags: ['--lr'], dest: 'lr', line: 14, default: '0.05', type: 'float' },
      ],
    },
    trainLoops: [
      {
        kind: 'for',
        line: 41,
        endLine: 46,
        function: 'main',
        stepMarkers: [{ line: 45, kind: 'backward' }, { line: 46, kind: 'optimizer-step' }],
        outer: null,
      },
    ],
    evalPoints: {
      evalPointsInclude: [{ line: 26, kind: 'eval-mode' }, { line: 27, kind: 'no-grad' }],
      evalPointsExclude: [40],
    },
    exitPoints: {
      mainGuardLine: 51,
      mainGuardEndLine: 52,
      mainFunction: 'main',
      mainFunctionLine: 32,
      mainFunctionEndLine: 48,
      sysExitLines: [],
      returnLines: [],
      moduleLevel: false,
    },
    existing: {
      wandb: { present: false, linesInclude: [] },
      seed: { present: true, linesInclude: [34] },
      checkpoint: { present: false, linesInclude: [], kind: null },
    },
    distributed: { present: false, linesInclude: [] },
    parseErrors: { parseErrorLines: [] },
  },

  // UTF-8 BOM (must not shift lines or columns, must not break the docstring) and no final newline
  // (the guard ends on the last line). Entry function is train_toy().
  'no_final_newline.py': {
    framework: { name: 'pytorch' },
    imports: { startLine: 5, endLine: 6, modulesInclude: ['torch'] },
    config: { kind: 'none', parserVar: null, createdLine: null, parseLine: null, argsVar: null, arguments: [] },
    trainLoops: [
      {
        kind: 'for',
        line: 31,
        endLine: 38,
        function: 'train_toy',
        stepMarkers: [{ line: 35, kind: 'backward' }, { line: 36, kind: 'optimizer-step' }],
        outer: null,
      },
    ],
    evalPoints: {
      evalPointsInclude: [
        { line: 20, kind: 'eval-function' },
        { line: 21, kind: 'eval-mode' },
        { line: 22, kind: 'no-grad' },
        { line: 39, kind: 'eval-call' },
      ],
      evalPointsExclude: [],
    },
    exitPoints: {
      mainGuardLine: 43,
      mainGuardEndLine: 44,
      mainFunction: 'train_toy',
      mainFunctionLine: 27,
      mainFunctionEndLine: 40,
      sysExitLines: [],
      returnLines: [40],
      moduleLevel: false,
    },
    existing: {
      wandb: { present: false, linesInclude: [] },
      seed: { present: true, linesInclude: [28] },
      checkpoint: { present: false, linesInclude: [], kind: null },
    },
    distributed: { present: false, linesInclude: [] },
    parseErrors: { parseErrorLines: [] },
  },

  // click: createdLine = the @click.command() decorator; no parser variable / parse call / args variable.
  // Arguments in decorator order; `@click.option("--noise", "noise_std")` -> flags ["--noise"], dest noise_std;
  // the positional @click.argument("dim") -> flags ["dim"]. mainFunctionLine is the `def` line, not the decorator.
  // The optimizer variable is `optim`; the loop is a `while`.
  'click_cli.py': {
    framework: { name: 'pytorch' },
    imports: { startLine: 2, endLine: 8, modulesInclude: ['click', 'json', 'logging', 'pathlib', 'torch'] },
    config: {
      kind: 'click',
      parserVar: null,
      createdLine: 19,
      parseLine: null,
      argsVar: null,
      arguments: [
        { flags: ['--steps'], dest: 'steps', line: 20, default: '300', type: null },
        { flags: ['--batch-size', '-b'], dest: 'batch_size', line: 21, default: '32', type: 'int' },
        { flags: ['--lr'], dest: 'lr', line: 22, default: '1e-3', type: 'float' },
        { flags: ['--noise'], dest: 'noise_std', line: 23, default: '0.3', type: 'float' },
        { flags: ['--out'], dest: 'out', line: 24, default: 'None', type: 'click.Path(file_okay=False)' },
        { flags: ['dim'], dest: 'dim', line: 25, default: '64', type: 'int' },
      ],
    },
    trainLoops: [
      {
        kind: 'while',
        line: 35,
        endLine: 43,
        function: 'main',
        stepMarkers: [{ line: 39, kind: 'backward' }, { line: 40, kind: 'optimizer-step' }],
        outer: null,
      },
    ],
    evalPoints: { evalPointsInclude: [], evalPointsExclude: [] },
    exitPoints: {
      mainGuardLine: 50,
      mainGuardEndLine: 51,
      mainFunction: 'main',
      mainFunctionLine: 26,
      mainFunctionEndLine: 47,
      sysExitLines: [],
      returnLines: [],
      moduleLevel: false,
    },
    existing: {
      wandb: { present: false, linesInclude: [] },
      seed: { present: true, linesInclude: [29] },
      checkpoint: { present: false, linesInclude: [], kind: null },
    },
    distributed: { present: false, linesInclude: [] },
    parseErrors: { parseErrorLines: [] },
  },

  // Hydra: createdLine = the @hydra.main(...) decorator line; argsVar = the decorated function's config
  // parameter `cfg`; no arguments (they live in YAML). mainFunctionLine is the `def` line.
  // The optimizer comes from hydra.utils.instantiate(...), not torch.optim: `optimizer.step()` must still count
  // (variable named like an optimizer, zero_grad() called on it).
  'hydra_app.py': {
    framework: { name: 'pytorch' },
    imports: {
      startLine: 5,
      endLine: 12,
      modulesInclude: ['hydra', 'logging', 'omegaconf', 'os', 'torch', 'torch.nn', 'torch.utils.data'],
    },
    config: { kind: 'hydra', parserVar: null, createdLine: 31, parseLine: null, argsVar: 'cfg', arguments: [] },
    trainLoops: [
      {
        kind: 'for',
        line: 41,
        endLine: 46,
        function: 'main',
        stepMarkers: [{ line: 44, kind: 'backward' }, { line: 45, kind: 'optimizer-step' }],
        outer: null,
      },
    ],
    evalPoints: { evalPointsInclude: [], evalPointsExclude: [] },
    exitPoints: {
      mainGuardLine: 53,
      mainGuardEndLine: 54,
      mainFunction: 'main',
      mainFunctionLine: 32,
      mainFunctionEndLine: 50,
      sysExitLines: [],
      returnLines: [50],
      moduleLevel: false,
    },
    existing: {
      wandb: { present: false, linesInclude: [] },
      seed: { present: true, linesInclude: [34] },
      checkpoint: { present: true, linesInclude: [49], kind: 'weights-export' },
    },
    distributed: { present: false, linesInclude: [] },
    parseErrors: { parseErrorLines: [] },
  },

  // Training code appears only in the docstring, comments and string literals (including an `import wandb`
  // inside TEMPLATE): no trainLoops, no wandb, no checkpoint, wandb not in modules, framework stays pytorch.
  // The one real torch.manual_seed(0) call in main() is the only seed line (the HINTS string mentions it too).
  'text_in_strings.py': {
    framework: { name: 'pytorch' },
    imports: { startLine: 13, endLine: 14, modulesInclude: ['torch'] },
    config: { kind: 'none', parserVar: null, createdLine: null, parseLine: null, argsVar: null, arguments: [] },
    trainLoops: [],
    evalPoints: { evalPointsInclude: [], evalPointsExclude: [] },
    exitPoints: {
      mainGuardLine: 59,
      mainGuardEndLine: 60,
      mainFunction: 'main',
      mainFunctionLine: 49,
      mainFunctionEndLine: 56,
      sysExitLines: [],
      returnLines: [],
      moduleLevel: false,
    },
    existing: {
      wandb: { present: false, linesInclude: [] },
      seed: { present: true, linesInclude: [50] },
      checkpoint: { present: false, linesInclude: [], kind: null },
    },
    distributed: { present: false, linesInclude: [] },
    parseErrors: { parseErrorLines: [] },
  },

  // timm/DeiT style: the batch loop in train_one_epoch() is the trainLoop; its outer is the epoch loop in
  // main(). The `with torch.no_grad()` in init_weights() is weight initialisation, not an eval point. The parser is
  // built in get_args_parser() and parsed in the guard via `get_args_parser().parse_args()`.
  'train_fn_epoch_main.py': {
    framework: { name: 'pytorch' },
    imports: {
      startLine: 6,
      endLine: 12,
      modulesInclude: ['argparse', 'math', 'time', 'torch', 'torch.nn', 'torch.utils.data'],
    },
    config: {
      kind: 'argparse',
      parserVar: 'parser',
      createdLine: 16,
      parseLine: 99,
      argsVar: 'args',
      arguments: [
        { flags: ['--epochs'], dest: 'epochs', line: 17, default: '3', type: 'int' },
        { flags: ['--batch_size'], dest: 'batch_size', line: 18, default: '32', type: 'int' },
        { flags: ['--lr'], dest: 'lr', line: 19, default: '5e-3', type: 'float' },
        { flags: ['--weight_decay'], dest: 'weight_decay', line: 20, default: '0.05', type: 'float' },
        { flags: ['--num_classes'], dest: 'num_classes', line: 21, default: '5', type: 'int' },
        { flags: ['--seed'], dest: 'seed', line: 22, default: '0', type: 'int' },
        { flags: ['--clip_grad'], dest: 'clip_grad', line: 23, default: 'None', type: 'float' },
      ],
    },
    trainLoops: [
      {
        kind: 'for',
        line: 50,
        endLine: 61,
        function: 'train_one_epoch',
        stepMarkers: [{ line: 56, kind: 'backward' }, { line: 59, kind: 'optimizer-step' }],
        outer: { line: 89, endLine: 94, function: 'main' },
      },
    ],
    evalPoints: {
      evalPointsInclude: [
        { line: 66, kind: 'eval-function' },
        { line: 67, kind: 'eval-mode' },
        { line: 92, kind: 'eval-call' },
      ],
      evalPointsExclude: [28, 48],
    },
    exitPoints: {
      mainGuardLine: 98,
      mainGuardEndLine: 100,
      mainFunction: 'main',
      mainFunctionLine: 75,
      mainFunctionEndLine: 95,
      sysExitLines: [],
      returnLines: [],
      moduleLevel: false,
    },
    existing: {
      wandb: { present: false, linesInclude: [] },
      seed: { present: true, linesInclude: [76] },
      checkpoint: { present: false, linesInclude: [], kind: null },
    },
    distributed: { present: false, linesInclude: [] },
    parseErrors: { parseErrorLines: [] },
  },

  // The script `expkit instrument` tests run for real: nothing seeded, checkpointed or tracked.
  // Batch loop in train_epoch() (42–47), called from the epoch loop in main() (75–82);
  // `scheduler.step()` (78) is not an optimizer step; the entry is `raise SystemExit(main())`.
  'plain_mlp.py': {
    framework: { name: 'pytorch' },
    imports: { startLine: 6, endLine: 12, modulesInclude: ['argparse', 'math', 'torch', 'torch.nn', 'torch.nn.functional', 'torch.utils.data'] },
    config: {
      kind: 'argparse',
      parserVar: 'parser',
      createdLine: 61,
      parseLine: 67,
      argsVar: 'args',
      arguments: [
        { flags: ['--epochs'], dest: 'epochs', line: 62, default: '4', type: 'int' },
        { flags: ['--lr'], dest: 'lr', line: 63, default: '0.05', type: 'float' },
        { flags: ['--hidden'], dest: 'hidden', line: 64, default: '32', type: 'int' },
        { flags: ['--dropout'], dest: 'dropout', line: 65, default: '0.1', type: 'float' },
        { flags: ['--batch-size'], dest: 'batch_size', line: 66, default: '32', type: 'int' },
      ],
    },
    trainLoops: [
      {
        kind: 'for',
        line: 42,
        endLine: 47,
        function: 'train_epoch',
        stepMarkers: [
          { line: 45, kind: 'backward' },
          { line: 46, kind: 'optimizer-step' },
        ],
        outer: { line: 75, endLine: 82, function: 'main' },
      },
    ],
    evalPoints: {
      evalPointsInclude: [
        { line: 51, kind: 'no-grad' },
        { line: 52, kind: 'eval-function' },
        { line: 53, kind: 'eval-mode' },
        { line: 77, kind: 'eval-call' },
      ],
      evalPointsExclude: [40, 78],
    },
    exitPoints: {
      mainGuardLine: 86,
      mainGuardEndLine: 87,
      mainFunction: 'main',
      mainFunctionLine: 60,
      mainFunctionEndLine: 83,
      sysExitLines: [],
      returnLines: [82, 83],
      moduleLevel: false,
    },
    existing: {
      wandb: { present: false, linesInclude: [] },
      seed: { present: false, linesInclude: [] },
      checkpoint: { present: false, linesInclude: [], kind: null },
    },
    distributed: { present: false, linesInclude: [] },
    parseErrors: { parseErrorLines: [] },
  },

  // torchrun-style DDP on gloo: the batch loop (47–51) sits inside the epoch loop (44–53) in the same
  // function, so it is the training loop and there is no outer link. The seed at 32 makes every rank
  // start alike. Distributed: the torch.distributed and DDP imports, "RANK", the process group calls,
  // DistributedSampler and DDP(...).
  'ddp_gloo.py': {
    framework: { name: 'pytorch' },
    imports: { startLine: 7, endLine: 14, modulesInclude: ['argparse', 'os', 'torch', 'torch.distributed', 'torch.nn.parallel', 'torch.utils.data'] },
    config: {
      kind: 'argparse',
      parserVar: 'parser',
      createdLine: 26,
      parseLine: 29,
      argsVar: 'args',
      arguments: [
        { flags: ['--epochs'], dest: 'epochs', line: 27, default: '3', type: 'int' },
        { flags: ['--lr'], dest: 'lr', line: 28, default: '0.05', type: 'float' },
      ],
    },
    trainLoops: [
      {
        kind: 'for',
        line: 47,
        endLine: 51,
        function: 'main',
        stepMarkers: [
          { line: 50, kind: 'backward' },
          { line: 51, kind: 'optimizer-step' },
        ],
        outer: null,
      },
    ],
    evalPoints: { evalPointsInclude: [], evalPointsExclude: [46, 48] },
    exitPoints: {
      mainGuardLine: 59,
      mainGuardEndLine: 60,
      mainFunction: 'main',
      mainFunctionLine: 25,
      mainFunctionEndLine: 56,
      sysExitLines: [],
      returnLines: [],
      moduleLevel: false,
    },
    existing: {
      wandb: { present: false, linesInclude: [] },
      seed: { present: true, linesInclude: [32] },
      checkpoint: { present: false, linesInclude: [], kind: null },
    },
    distributed: { present: true, linesInclude: [11, 13, 19, 21, 22, 36, 41, 56] },
    parseErrors: { parseErrorLines: [] },
  },

  // Issue 8, item 1: the optimizer step is in a helper `train_step` (no loop of its own), the backward one
  // level deeper in its local `_backward` closure. The trainLoop is the batch loop that calls train_step;
  // `via` leads from it to the function holding the optimizer step; the markers keep their own lines.
  'helper_train_step.py': {
    framework: { name: 'pytorch', objects: [], libraryTrainer: null },
    imports: { startLine: 8, endLine: 13, modulesInclude: ['argparse', 'math', 'torch', 'torch.nn', 'torch.nn.functional'] },
    config: {
      kind: 'argparse',
      parserVar: 'parser',
      createdLine: 68,
      parseLine: 74,
      argsVar: 'args',
      arguments: [
        { flags: ['--epochs'], dest: 'epochs', line: 69, default: '3', type: 'int' },
        { flags: ['--seq-len'], dest: 'seq_len', line: 70, default: '32', type: 'int' },
        { flags: ['--batch-size'], dest: 'batch_size', line: 71, default: '16', type: 'int' },
        { flags: ['--lr'], dest: 'lr', line: 72, default: '3e-3', type: 'float' },
        { flags: ['--clip'], dest: 'clip', line: 73, default: '1.0', type: 'float' },
      ],
    },
    trainLoops: [
      {
        kind: 'for',
        line: 88,
        endLine: 90,
        function: 'main',
        stepMarkers: [{ line: 46, kind: 'backward' }, { line: 54, kind: 'optimizer-step' }],
        outer: null,
        via: [{ function: 'train_step', line: 44, callLine: 89 }],
      },
    ],
    evalPoints: {
      evalPointsInclude: [
        { line: 59, kind: 'eval-function' },
        { line: 60, kind: 'eval-mode' },
        { line: 91, kind: 'eval-call' },
      ],
      evalPointsExclude: [49, 89],
    },
    exitPoints: {
      mainGuardLine: 95,
      mainGuardEndLine: 96,
      mainFunction: 'main',
      mainFunctionLine: 67,
      mainFunctionEndLine: 92,
      sysExitLines: [],
      returnLines: [],
      moduleLevel: false,
    },
    existing: {
      wandb: { present: false, linesInclude: [] },
      seed: { present: true, linesInclude: [76], randomDefaultLine: null },
      checkpoint: { present: false, linesInclude: [], kind: null, library: null },
    },
    distributed: { present: false, linesInclude: [] },
    parseErrors: { parseErrorLines: [] },
  },

  // Items 2 and 10: the DDP tutorial's class-based trainer. train() loops over epochs calling
  // self._run_epoch(), which loops over batches calling self._run_batch(), which steps
  // self.optimizer. The batch loop is the trainLoop, its outer the epoch loop in train().
  // mp.spawn(main, ...) hands the entry function to every process. The checkpoint saves the model's
  // weights only (in the epoch loop, never loaded back): a weights export.
  'class_trainer.py': {
    framework: { name: 'pytorch', objects: [], libraryTrainer: null },
    imports: { startLine: 7, endLine: 16, modulesInclude: ['torch.distributed', 'torch.multiprocessing', 'torch.nn.parallel', 'torch.utils.data.distributed'] },
    config: {
      kind: 'argparse',
      parserVar: 'parser',
      createdLine: 95,
      parseLine: 100,
      argsVar: 'args',
      arguments: [
        { flags: ['total_epochs'], dest: 'total_epochs', line: 96, default: null, type: 'int' },
        { flags: ['save_every'], dest: 'save_every', line: 97, default: null, type: 'int' },
        { flags: ['--batch_size'], dest: 'batch_size', line: 98, default: '32', type: 'int' },
        { flags: ['--world_size'], dest: 'world_size', line: 99, default: '1', type: 'int' },
      ],
    },
    trainLoops: [
      {
        kind: 'for',
        line: 57,
        endLine: 58,
        function: 'Trainer._run_epoch',
        stepMarkers: [{ line: 49, kind: 'backward' }, { line: 50, kind: 'optimizer-step' }],
        outer: { line: 68, endLine: 71, function: 'Trainer.train' },
        via: [{ function: 'Trainer._run_batch', line: 45, callLine: 58 }],
        className: 'Trainer',
        methods: ['train', '_run_epoch', '_run_batch'],
      },
    ],
    evalPoints: { evalPointsInclude: [], evalPointsExclude: [] },
    exitPoints: {
      mainGuardLine: 94,
      mainGuardEndLine: 102,
      mainFunction: 'main',
      mainFunctionLine: 85,
      mainFunctionEndLine: 91,
      sysExitLines: [],
      returnLines: [],
      moduleLevel: false,
    },
    existing: {
      wandb: { present: false, linesInclude: [] },
      seed: { present: false, linesInclude: [], randomDefaultLine: null },
      checkpoint: { present: true, linesInclude: [64], kind: 'weights-export', library: null },
    },
    distributed: { present: true, linesInclude: [13, 14, 32, 33, 34, 43, 82, 91, 102] },
    parseErrors: { parseErrorLines: [] },
  },

  // Item 3: REINFORCE. The episode loop `for i_episode in count(1):` calls finish_episode(), which does
  // the backward and the optimizer step after its own return-computing loops; env.step(action) is
  // not an optimizer step.
  'reinforce_episodes.py': {
    framework: { name: 'pytorch' },
    imports: { startLine: 5, endLine: 15, modulesInclude: ['collections', 'itertools', 'numpy', 'torch.distributions', 'torch.optim'] },
    config: {
      kind: 'argparse',
      parserVar: 'parser',
      createdLine: 17,
      parseLine: 22,
      argsVar: 'args',
      arguments: [
        { flags: ['--gamma'], dest: 'gamma', line: 18, default: '0.99', type: 'float' },
        { flags: ['--seed'], dest: 'seed', line: 19, default: '543', type: 'int' },
        { flags: ['--log-interval'], dest: 'log_interval', line: 20, default: '10', type: 'int' },
        { flags: ['--max-episodes'], dest: 'max_episodes', line: 21, default: '30', type: 'int' },
      ],
    },
    trainLoops: [
      {
        kind: 'for',
        line: 101,
        endLine: 118,
        function: 'main',
        stepMarkers: [{ line: 93, kind: 'backward' }, { line: 94, kind: 'optimizer-step' }],
        outer: null,
        via: [{ function: 'finish_episode', line: 80, callLine: 113 }],
      },
    ],
    evalPoints: { evalPointsInclude: [], evalPointsExclude: [] },
    exitPoints: {
      mainGuardLine: 121,
      mainGuardEndLine: 122,
      mainFunction: 'main',
      mainFunctionLine: 99,
      mainFunctionEndLine: 118,
      sysExitLines: [],
      returnLines: [],
      moduleLevel: false,
    },
    existing: {
      wandb: { present: false, linesInclude: [] },
      seed: { present: true, linesInclude: [49], randomDefaultLine: null },
      checkpoint: { present: false, linesInclude: [], kind: null },
    },
    distributed: { present: false, linesInclude: [] },
    parseErrors: { parseErrorLines: [] },
  },

  // Item 4: minGPT's chargpt. The loop lives in mingpt.trainer.Trainer.run(); the script only registers
  // a batch-end callback. No trainLoop here; the libraryTrainer says where the loop is and how to hook in.
  // (exitPoints left out: the guard calls only the helper get_config(), which the finder takes for the entry.)
  'mingpt_callbacks.py': {
    framework: {
      name: 'pytorch',
      objects: [],
      libraryTrainer: {
        variable: 'trainer',
        callee: 'mingpt.trainer.Trainer',
        module: 'mingpt.trainer',
        line: 78,
        runLine: 98,
        function: null,
        callbacks: [{ method: 'set_callback', event: 'on_batch_end', callback: 'batch_end_callback', line: 96 }],
      },
    },
    imports: { startLine: 5, endLine: 14, modulesInclude: ['mingpt.model', 'mingpt.trainer', 'mingpt.utils', 'torch'] },
    config: { kind: 'other', createdLine: 66, parseLine: 66 },
    trainLoops: [],
    evalPoints: { evalPointsInclude: [{ line: 85, kind: 'eval-mode' }, { line: 86, kind: 'no-grad' }], evalPointsExclude: [94] },
    existing: {
      wandb: { present: false, linesInclude: [] },
      seed: { present: true, linesInclude: [69], randomDefaultLine: null },
      checkpoint: { present: true, linesInclude: [93], kind: 'weights-export', library: null },
    },
    distributed: { present: false, linesInclude: [] },
    parseErrors: { parseErrorLines: [] },
  },

  // Item 5: TRL's SFT script. TrlParser is an HfArgumentParser (its fields: the ScriptArguments dataclass
  // defined here); SFTConfig is the TrainingArguments, bound by the parse to `training_args`; SFTTrainer
  // is the HF trainer, variant trl. save_model() after training is a weights export.
  'trl_sft_script.py': {
    framework: {
      name: 'hf-trainer',
      variant: 'trl',
      objects: [
        { role: 'trainer', callee: 'trl.SFTTrainer', line: 50, endLine: 57, variable: 'trainer', function: 'main' },
        { role: 'training-arguments', callee: 'trl.SFTConfig', line: 68, endLine: 68, variable: 'training_args', function: null },
      ],
      libraryTrainer: null,
    },
    imports: { startLine: 6, endLine: 19, modulesInclude: ['dataclasses', 'datasets', 'transformers', 'trl'] },
    config: {
      kind: 'hf-argparser',
      parserVar: 'parser',
      createdLine: 67,
      parseLine: 68,
      argsVar: 'script_args',
      argsVars: ['script_args', 'training_args', 'model_args'],
      arguments: [
        { flags: ['--dataset_name'], dest: 'dataset_name', line: 24, type: 'str' },
        { flags: ['--dataset_train_split'], dest: 'dataset_train_split', line: 25, default: '"train"', type: 'str' },
        { flags: ['--dataset_test_split'], dest: 'dataset_test_split', line: 26, default: '"test"', type: 'str' },
        { flags: ['--max_train_samples'], dest: 'max_train_samples', line: 27, default: 'None', type: 'Optional[int]' },
      ],
    },
    trainLoops: [
      { kind: 'framework-call', line: 59, endLine: 59, function: 'main', stepMarkers: [{ line: 59, kind: 'framework-fit' }], outer: null },
    ],
    exitPoints: {
      mainGuardLine: 66,
      mainGuardEndLine: 69,
      mainFunction: 'main',
      mainFunctionLine: 30,
      mainFunctionEndLine: 63,
      sysExitLines: [],
      returnLines: [],
      moduleLevel: false,
    },
    existing: {
      wandb: { present: false, linesInclude: [] },
      seed: { present: false, linesInclude: [], randomDefaultLine: null },
      checkpoint: { present: true, linesInclude: [61], kind: 'weights-export' },
    },
    distributed: { present: false, linesInclude: [] },
    parseErrors: { parseErrorLines: [] },
  },

  // Item 5: Seq2SeqTrainingArguments built and returned by a helper (no variable at the call; the
  // function says where), Seq2SeqTrainer as the HF trainer.
  'hf_seq2seq_helper.py': {
    framework: {
      name: 'hf-trainer',
      variant: null,
      objects: [
        { role: 'training-arguments', callee: 'transformers.Seq2SeqTrainingArguments', line: 30, endLine: 39, variable: null, function: 'build_training_args' },
        { role: 'trainer', callee: 'transformers.Seq2SeqTrainer', line: 63, endLine: 70, variable: 'trainer', function: 'main' },
      ],
      libraryTrainer: null,
    },
    imports: { startLine: 5, endLine: 15, modulesInclude: ['argparse', 'datasets', 'numpy', 'transformers'] },
    config: {
      kind: 'argparse',
      parserVar: 'parser',
      createdLine: 19,
      parseLine: 26,
      argsVar: 'args',
      arguments: [
        { flags: ['--model'], dest: 'model', line: 20, default: '"t5-small"', type: null },
        { flags: ['--dataset'], dest: 'dataset', line: 21, default: '"xsum"', type: null },
        { flags: ['--epochs'], dest: 'epochs', line: 22, default: '1', type: 'int' },
        { flags: ['--lr'], dest: 'lr', line: 23, default: '5e-5', type: 'float' },
        { flags: ['--batch-size'], dest: 'batch_size', line: 24, default: '8', type: 'int' },
        { flags: ['--output-dir'], dest: 'output_dir', line: 25, default: '"out"', type: null },
      ],
    },
    trainLoops: [
      { kind: 'framework-call', line: 71, endLine: 71, function: 'main', stepMarkers: [{ line: 71, kind: 'framework-fit' }], outer: null },
    ],
    evalPoints: { evalPointsInclude: [{ line: 72, kind: 'framework-eval' }], evalPointsExclude: [] },
    exitPoints: {
      mainGuardLine: 76,
      mainGuardEndLine: 77,
      mainFunction: 'main',
      mainFunctionLine: 50,
      mainFunctionEndLine: 73,
      sysExitLines: [],
      returnLines: [],
      moduleLevel: false,
    },
    existing: {
      wandb: { present: false, linesInclude: [] },
      seed: { present: false, linesInclude: [] },
      checkpoint: { present: false, linesInclude: [], kind: null },
    },
    distributed: { present: false, linesInclude: [] },
    parseErrors: { parseErrorLines: [] },
  },

  // Item 6: lightning-hydra-template. The Trainer comes from hydra.utils.instantiate (annotated
  // `trainer: Trainer = …`); trainer.fit is the framework call; no checkpoint is saved by the script itself.
  'hydra_lightning.py': {
    framework: {
      name: 'lightning',
      variant: 'lightning',
      objects: [{ role: 'trainer', callee: 'hydra.utils.instantiate', line: 48, endLine: 48, variable: 'trainer', function: 'train' }],
      libraryTrainer: null,
    },
    imports: { startLine: 5, endLine: 13, modulesInclude: ['hydra', 'lightning', 'lightning.pytorch.loggers', 'src.utils'] },
    config: { kind: 'hydra', createdLine: 83, parseLine: null, argsVar: 'cfg' },
    trainLoops: [
      { kind: 'framework-call', line: 65, endLine: 65, function: 'train', stepMarkers: [{ line: 65, kind: 'framework-fit' }], outer: null },
    ],
    evalPoints: { evalPointsInclude: [{ line: 75, kind: 'framework-eval' }], evalPointsExclude: [65] },
    exitPoints: {
      mainGuardLine: 91,
      mainGuardEndLine: 92,
      mainFunction: 'main',
      mainFunctionLine: 84,
      mainFunctionEndLine: 88,
      sysExitLines: [],
      returnLines: [88],
      moduleLevel: false,
    },
    existing: {
      wandb: { present: false, linesInclude: [] },
      seed: { present: true, linesInclude: [33] },
      checkpoint: { present: false, linesInclude: [], kind: null },
    },
    distributed: { present: false, linesInclude: [] },
    parseErrors: { parseErrorLines: [] },
  },

  // Item 7: Flax + optax. jax.value_and_grad is the backward, state.apply_gradients the optimizer step,
  // both in a @jax.jit train_step called from the batch loop. PRNGKey(0) seeds; orbax saves the TrainState
  // (which holds the optimizer state).
  'flax_mnist.py': {
    framework: { name: 'jax', variant: null, objects: [], libraryTrainer: null },
    imports: { startLine: 7, endLine: 16, modulesInclude: ['flax', 'flax.training', 'jax', 'jax.numpy', 'optax', 'orbax.checkpoint'] },
    config: {
      kind: 'argparse',
      parserVar: 'parser',
      createdLine: 91,
      parseLine: 97,
      argsVar: 'args',
      arguments: [
        { flags: ['--workdir'], dest: 'workdir', line: 92, default: '"/tmp/flax_mnist"', type: null },
        { flags: ['--learning_rate'], dest: 'learning_rate', line: 93, default: '0.1', type: 'float' },
        { flags: ['--momentum'], dest: 'momentum', line: 94, default: '0.9', type: 'float' },
        { flags: ['--batch_size'], dest: 'batch_size', line: 95, default: '32', type: 'int' },
        { flags: ['--num_epochs'], dest: 'num_epochs', line: 96, default: '2', type: 'int' },
      ],
    },
    trainLoops: [
      {
        kind: 'for',
        line: 79,
        endLine: 81,
        function: 'train_and_evaluate',
        stepMarkers: [{ line: 45, kind: 'backward' }, { line: 47, kind: 'optimizer-step' }],
        outer: null,
        via: [{ function: 'train_step', line: 38, callLine: 80 }],
      },
    ],
    evalPoints: { evalPointsInclude: [{ line: 53, kind: 'eval-function' }, { line: 82, kind: 'eval-call' }], evalPointsExclude: [80] },
    exitPoints: {
      mainGuardLine: 100,
      mainGuardEndLine: 101,
      mainFunction: 'main',
      mainFunctionLine: 90,
      mainFunctionEndLine: 97,
      sysExitLines: [],
      returnLines: [],
      moduleLevel: false,
    },
    existing: {
      wandb: { present: false, linesInclude: [] },
      seed: { present: true, linesInclude: [69], randomDefaultLine: null },
      checkpoint: { present: true, linesInclude: [86], kind: 'resumable', library: 'orbax' },
    },
    distributed: { present: false, linesInclude: [] },
    parseErrors: { parseErrorLines: [] },
  },

  // Item 8: model, optimizer and scheduler saved every epoch (through the script's own save_checkpoint)
  // and loaded back with --resume: resumable.
  'resume_ckpt.py': {
    framework: { name: 'pytorch' },
    imports: { startLine: 6, endLine: 11, modulesInclude: ['argparse', 'os', 'torch', 'torch.nn', 'torch.utils.data'] },
    config: {
      kind: 'argparse',
      parserVar: 'parser',
      createdLine: 37,
      parseLine: 42,
      argsVar: 'args',
      arguments: [
        { flags: ['--epochs'], dest: 'epochs', line: 38, default: '4', type: 'int' },
        { flags: ['--lr'], dest: 'lr', line: 39, default: '0.01', type: 'float' },
        { flags: ['--ckpt'], dest: 'ckpt', line: 40, default: '"ckpt.pt"', type: null },
        { flags: ['--resume'], dest: 'resume', line: 41, default: null, type: null },
      ],
    },
    trainLoops: [
      { kind: 'for', line: 62, endLine: 67, function: 'main', stepMarkers: [{ line: 65, kind: 'backward' }, { line: 66, kind: 'optimizer-step' }], outer: null },
    ],
    evalPoints: { evalPointsInclude: [], evalPointsExclude: [60] },
    exitPoints: {
      mainGuardLine: 73,
      mainGuardEndLine: 74,
      mainFunction: 'main',
      mainFunctionLine: 36,
      mainFunctionEndLine: 70,
      sysExitLines: [],
      returnLines: [],
      moduleLevel: false,
    },
    existing: {
      wandb: { present: false, linesInclude: [] },
      seed: { present: true, linesInclude: [44], randomDefaultLine: null },
      checkpoint: { present: true, linesInclude: [24, 70], kind: 'resumable', resumes: true, library: null },
    },
    distributed: { present: false, linesInclude: [] },
    parseErrors: { parseErrorLines: [] },
  },

  // Items 9 and 10: DCGAN. --manualSeed defaults to None and is then drawn at random (line 35): the
  // script seeds, but not reproducibly. `import torch.nn.parallel` with nn.parallel.data_parallel is
  // single-process: not distributed. Two optimizers, three backward calls in one batch loop; the
  // per-epoch weight saves are a weights export.
  'dcgan_random_seed.py': {
    framework: { name: 'pytorch' },
    imports: { startLine: 5, endLine: 16, modulesInclude: ['__future__', 'random', 'torch.backends.cudnn', 'torch.nn.parallel', 'torch.utils.data'] },
    config: {
      kind: 'argparse',
      parserVar: 'parser',
      createdLine: 18,
      parseLine: 29,
      argsVar: 'opt',
      arguments: [
        { flags: ['--batchSize'], dest: 'batchSize', line: 19, default: '16', type: 'int' },
        { flags: ['--nz'], dest: 'nz', line: 20, default: '16', type: 'int' },
        { flags: ['--ngf'], dest: 'ngf', line: 21, default: '8', type: 'int' },
        { flags: ['--ndf'], dest: 'ndf', line: 22, default: '8', type: 'int' },
        { flags: ['--niter'], dest: 'niter', line: 23, default: '1', type: 'int' },
        { flags: ['--lr'], dest: 'lr', line: 24, default: '0.0002', type: 'float' },
        { flags: ['--beta1'], dest: 'beta1', line: 25, default: '0.5', type: 'float' },
        { flags: ['--ngpu'], dest: 'ngpu', line: 26, default: '1', type: 'int' },
        { flags: ['--outf'], dest: 'outf', line: 27, default: '"."', type: null },
        { flags: ['--manualSeed'], dest: 'manualSeed', line: 28, default: null, type: 'int' },
      ],
    },
    trainLoops: [
      {
        kind: 'for',
        line: 90,
        endLine: 118,
        function: null,
        stepMarkers: [
          { line: 98, kind: 'backward' },
          { line: 106, kind: 'backward' },
          { line: 108, kind: 'optimizer-step' },
          { line: 115, kind: 'backward' },
          { line: 116, kind: 'optimizer-step' },
        ],
        outer: null,
      },
    ],
    evalPoints: { evalPointsInclude: [], evalPointsExclude: [] },
    exitPoints: {
      mainGuardLine: null,
      mainGuardEndLine: null,
      mainFunction: null,
      mainFunctionLine: null,
      mainFunctionEndLine: null,
      sysExitLines: [],
      returnLines: [],
      moduleLevel: true,
    },
    existing: {
      wandb: { present: false, linesInclude: [] },
      seed: { present: true, linesInclude: [37, 38], randomDefaultLine: 35 },
      checkpoint: { present: true, linesInclude: [120, 121], kind: 'weights-export', library: null },
    },
    distributed: { present: false, linesInclude: [] },
    parseErrors: { parseErrorLines: [] },
  },
};
