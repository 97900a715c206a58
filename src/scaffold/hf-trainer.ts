/** The hf-trainer template: transformers' TrainingArguments and Trainer on a sequence classifier. */
import { RESUME_SWITCH_PY, buildParserPy, codeFiles, helpersImportPy, resultsPy, trainHeader } from './train-common.js';
import type { GeneratedFile, ScaffoldConfig } from './types.js';

export function hfTrainerFiles(config: ScaffoldConfig): GeneratedFile[] {
  return codeFiles(config, hfTrain(config), [hfDataModule(config.slug)]);
}

function hfDataModule(slug: string): GeneratedFile {
  const content = `"""Data for experiment ${slug}: synthetic token sequences, or yours with --data PATH."""

import json

import numpy as np
import torch
from torch.utils.data import Dataset, Subset


class EncodedDataset(Dataset):
    """Tokenised examples: input_ids and attention_mask [N, L], labels [N]."""

    def __init__(self, input_ids, attention_mask, labels):
        self.input_ids = input_ids
        self.attention_mask = attention_mask
        self.labels = labels

    def __len__(self):
        return len(self.labels)

    def __getitem__(self, index):
        return {
            "input_ids": self.input_ids[index],
            "attention_mask": self.attention_mask[index],
            "labels": self.labels[index],
        }


def synthetic_dataset(args, seed=0):
    """Random token sequences labelled by their first token: tiny, offline, learnable."""
    rng = np.random.default_rng(seed)
    shape = (args.num_samples, args.seq_length)
    input_ids = torch.tensor(rng.integers(1, args.vocab_size, size=shape))
    labels = input_ids[:, 0] % args.num_classes
    return EncodedDataset(input_ids, torch.ones_like(input_ids), labels)


# ---------------------------------------------------------------------------
# REAL DATASET: make load_dataset read your data; train.py calls it with --data PATH.
# The example reads JSON lines {"text": ..., "label": int} and tokenises them with the
# tokenizer of --model-name-or-path.
# ---------------------------------------------------------------------------
def load_dataset(path, args):
    """Load and tokenise the real dataset from PATH."""
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(args.model_name_or_path)
    with open(path, encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    encoded = tokenizer(
        [row["text"] for row in rows],
        truncation=True,
        padding="max_length",
        max_length=args.seq_length,
        return_tensors="pt",
    )
    labels = torch.tensor([row["label"] for row in rows])
    return EncodedDataset(encoded["input_ids"], encoded["attention_mask"], labels)


def build_datasets(args):
    """Train and evaluation datasets: a fixed split of the data."""
    data = load_dataset(args.data, args) if args.data else synthetic_dataset(args)
    num_val = max(1, int(len(data) * args.val_fraction))
    order = torch.randperm(len(data), generator=torch.Generator().manual_seed(0))
    val_idx, train_idx = order[:num_val], order[num_val:]
    return Subset(data, train_idx), Subset(data, val_idx)
`;
  return { path: 'data.py', content, mode: 0o644 };
}

const HF_EPOCHS = `    record["epochs"] = math.ceil(trainer.state.epoch or 0)
`;

function hfTrain(config: ScaffoldConfig): string {
  const imports = `import math
import os
import time

import torch
import torch.nn.functional as F
from torch.utils.data import Subset
from transformers import (
    AutoConfig,
    AutoModelForSequenceClassification,
    Trainer,
    TrainerCallback,
    TrainingArguments,
    enable_full_determinism,
    set_seed,
)

from data import build_datasets
${helpersImportPy(['is_finite_number', 'last_checkpoint', 'wandb_run_id'])}from metrics import compute_metrics
`;
  return `${trainHeader(config, "transformers' Trainer", imports)}

${buildParserPy()}

def build_model(args):
    """MODEL: the pretrained --model-name-or-path, or a tiny random BERT that runs offline."""
    if args.model_name_or_path:
        return AutoModelForSequenceClassification.from_pretrained(
            args.model_name_or_path, num_labels=args.num_classes
        )
    tiny = AutoConfig.for_model(
        "bert",
        vocab_size=args.vocab_size,
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=max(args.seq_length, 32),
        num_labels=args.num_classes,
    )
    return AutoModelForSequenceClassification.from_config(tiny)


def metrics_function(metric_names):
    """compute_metrics for the Trainer: metrics from the evaluation predictions."""

    def compute(eval_prediction):
        logits, labels = eval_prediction.predictions, eval_prediction.label_ids
        loss = F.cross_entropy(torch.tensor(logits), torch.tensor(labels)).item()
        return compute_metrics(metric_names, logits, labels, loss)

    return compute


class StopOnDivergence(TrainerCallback):
    """A NaN/inf loss never recovers: stop at the first one logged; the results say diverged."""

    diverged = False

    def on_log(self, args, state, control, logs=None, **kwargs):
        logs = logs or {}
        losses = [logs[key] for key in ("loss", "eval_loss") if key in logs]
        if not all(map(is_finite_number, losses)):
            if not self.diverged:
                epoch = round(state.epoch or 0)
                print(f"diverged at epoch {epoch}: non-finite loss; stopping")
            self.diverged = True
            control.should_training_stop = True


def main(argv=None):
    args, goals, config = resolve_run(build_parser(), METRICS, argv)
${RESUME_SWITCH_PY}    checkpoint_dir, results_path, config_path = run_paths(SLUG, args.seed, args.smoke)
    if args.wandb:
        # The Trainer's wandb callback logs from the main process only; the stored run id
        # makes a resumed job continue the same wandb run.
        os.environ.setdefault("WANDB_PROJECT", args.wandb_project)
        os.environ["WANDB_RUN_ID"] = wandb_run_id(checkpoint_dir)
        os.environ["WANDB_RESUME"] = "allow"
        if args.wandb_offline:
            os.environ["WANDB_MODE"] = "offline"

    # Seed before the model is built: the Trainer seeds only after it gets the model.
    if args.deterministic:
        enable_full_determinism(args.seed)
    else:
        set_seed(args.seed)
    train_data, eval_data = build_datasets(args)
    if args.smoke:
        eval_data = Subset(eval_data, range(min(len(eval_data), args.batch_size)))
    steps_per_epoch = math.ceil(len(train_data) / args.batch_size)
    total_steps = args.smoke_batches if args.smoke else steps_per_epoch * args.epochs
    training_args = TrainingArguments(
        output_dir=checkpoint_dir,
        seed=args.seed,
        data_seed=args.seed,
        full_determinism=args.deterministic,
        num_train_epochs=args.epochs,
        max_steps=args.smoke_batches if args.smoke else -1,
        per_device_train_batch_size=args.batch_size,
        per_device_eval_batch_size=args.batch_size,
        learning_rate=args.lr,
        weight_decay=args.weight_decay,
        lr_scheduler_type=args.lr_schedule,
        # a whole number of steps: transformers 4 and 5 both take it (5 dropped warmup_ratio)
        warmup_steps=int(args.warmup_ratio * total_steps),
        eval_strategy="epoch",
        logging_strategy="epoch",
        # Log a NaN/inf loss as it is (the default filter would average it away): divergence shows.
        logging_nan_inf_filter=False,
        save_strategy="steps",
        save_steps=steps_per_epoch * args.checkpoint_every,
        report_to=["wandb"] if args.wandb else "none",
        run_name=f"{SLUG}-seed_{args.seed}",
    )
    divergence = StopOnDivergence()
    trainer = Trainer(
        model=build_model(args),
        args=training_args,
        train_dataset=train_data,
        eval_dataset=eval_data,
        compute_metrics=metrics_function(list(goals)),
        callbacks=[divergence],
    )
    last = last_checkpoint(checkpoint_dir) if args.resume else None
    started_at, clock = now_iso(), time.time()
    trainer.train(resume_from_checkpoint=last)
    final = trainer.evaluate()
    trainer.save_model(os.path.join(checkpoint_dir, "final"))
    if not trainer.is_world_process_zero():
        return 0
    history = [
        {name: entry[f"eval_{name}"] for name in goals}
        for entry in trainer.state.log_history
        if all(f"eval_{name}" in entry for name in goals)
    ]
    if not history:
        history = [{name: final[f"eval_{name}"] for name in goals}]
    save_resolved_config(config_path, config)
${resultsPy('history', 'started_at', 'time.time() - clock', HF_EPOCHS, 'divergence.diverged')}    return 0


if __name__ == "__main__":
    raise SystemExit(main())
`;
}
