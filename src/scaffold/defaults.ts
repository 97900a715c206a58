import type { Framework, Hyperparameter } from './types.js';

type Default = Omit<Hyperparameter, 'name'>;

/** Hyperparameters every template uses, with defaults that train in seconds on a CPU. */
const COMMON: Record<string, Default> = {
  epochs: { value: 10, kind: 'int', help: 'number of training epochs' },
  batch_size: { value: 32, kind: 'int', help: 'batch size' },
  lr: { value: 0.001, kind: 'float', help: 'peak learning rate' },
  weight_decay: { value: 0.0, kind: 'float', help: 'AdamW weight decay' },
  checkpoint_every: { value: 1, kind: 'int', help: 'save a checkpoint every N epochs (and at the end)' },
  smoke_batches: { value: 3, kind: 'int', help: 'batches per epoch with --smoke' },
  num_classes: { value: 4, kind: 'int', help: 'number of classes' },
  num_samples: { value: 512, kind: 'int', help: 'size of the built-in synthetic dataset' },
  val_fraction: { value: 0.2, kind: 'float', help: 'fraction of the data held out for evaluation' },
};

/** The MLP and synthetic feature data of the pytorch and lightning templates. */
const MLP: Record<string, Default> = {
  input_dim: { value: 16, kind: 'int', help: 'input features of the synthetic data' },
  hidden_size: { value: 64, kind: 'int', help: 'hidden layer width' },
  dropout: { value: 0.1, kind: 'float', help: 'dropout probability' },
  lr_schedule: { value: 'cosine', kind: 'str', help: 'learning-rate schedule: cosine, step or constant' },
  num_workers: { value: 0, kind: 'int', help: 'DataLoader worker processes' },
};

/** The small transformer and synthetic token data of the hf-trainer template. */
const HF: Record<string, Default> = {
  model_name_or_path: { value: '', kind: 'str', help: 'pretrained model to fine-tune; empty: a tiny randomly initialised BERT' },
  seq_length: { value: 16, kind: 'int', help: 'tokens per synthetic example' },
  vocab_size: { value: 128, kind: 'int', help: 'vocabulary of the tiny model and synthetic data' },
  warmup_ratio: { value: 0.0, kind: 'float', help: 'fraction of steps for learning-rate warmup' },
  lr_schedule: { value: 'cosine', kind: 'str', help: 'transformers lr_scheduler_type' },
};

export function templateDefaults(framework: Framework): Hyperparameter[] {
  const table = { ...COMMON, ...(framework === 'hf-trainer' ? HF : MLP) };
  return Object.entries(table).map(([name, d]) => ({ name, ...d }));
}

/** Seeds when the spec names none. */
export const DEFAULT_SEEDS = [1, 2, 3];
/** Metrics when the spec names none. */
export const DEFAULT_METRICS = ['accuracy', 'loss'];

/** Metrics the generated metrics.py computes. Others get a clear NotImplementedError to fill in. */
export const BUILTIN_METRICS = ['loss', 'accuracy', 'error', 'f1', 'macro_f1', 'precision', 'recall'];

/** Flags train.py defines itself; a spec hyperparameter must not take their names. */
export const RESERVED_NAMES = [
  'config', 'seed', 'deterministic', 'data', 'resume', 'smoke', 'stop_after', 'wandb', 'wandb_project', 'wandb_offline', 'help',
];
