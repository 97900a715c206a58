/** data.py and model.py of the pytorch and lightning templates: synthetic data and an MLP. */
import type { GeneratedFile } from './types.js';

export function dataModule(slug: string): GeneratedFile {
  const content = `"""Data for experiment ${slug}: a small synthetic dataset, or yours with --data PATH."""

import numpy as np
import torch
from torch.utils.data import DataLoader, TensorDataset


def synthetic_dataset(num_samples, input_dim, num_classes, seed=0):
    """Gaussian clusters, one per class: learnable in a few epochs, same for every run."""
    rng = np.random.default_rng(seed)
    centers = rng.normal(0.0, 1.0, size=(num_classes, input_dim))
    labels = rng.integers(0, num_classes, size=num_samples)
    features = centers[labels] + rng.normal(0.0, 1.0, size=(num_samples, input_dim))
    return (
        torch.tensor(features, dtype=torch.float32),
        torch.tensor(labels, dtype=torch.long),
    )


# ---------------------------------------------------------------------------
# REAL DATASET: make load_dataset read your data; train.py calls it with --data PATH.
# It returns (features, labels): a float tensor [N, input_dim], a long tensor [N].
# The example reads an .npz file with arrays "x" and "y".
# ---------------------------------------------------------------------------
def load_dataset(path):
    """Load the real dataset from PATH."""
    with np.load(path) as arrays:
        return (
            torch.tensor(arrays["x"], dtype=torch.float32),
            torch.tensor(arrays["y"], dtype=torch.long),
        )


def build_dataloaders(args):
    """Train and validation loaders: a fixed split; shuffling follows the run's seed."""
    if args.data:
        features, labels = load_dataset(args.data)
    else:
        features, labels = synthetic_dataset(
            args.num_samples, args.input_dim, args.num_classes
        )
    num_val = max(1, int(len(labels) * args.val_fraction))
    order = torch.randperm(len(labels), generator=torch.Generator().manual_seed(0))
    val_idx, train_idx = order[:num_val], order[num_val:]
    train = TensorDataset(features[train_idx], labels[train_idx])
    val = TensorDataset(features[val_idx], labels[val_idx])
    return (
        DataLoader(
            train,
            batch_size=args.batch_size,
            shuffle=True,
            num_workers=args.num_workers,
        ),
        DataLoader(val, batch_size=args.batch_size, num_workers=args.num_workers),
    )
`;
  return { path: 'data.py', content, mode: 0o644 };
}

export function modelModule(slug: string): GeneratedFile {
  const content = `"""Model, optimizer and LR schedule for experiment ${slug}.

MODEL: replace MLP / build_model with your architecture.
"""

import torch
from torch import nn


class MLP(nn.Module):
    def __init__(self, input_dim, hidden_size, num_classes, dropout):
        super().__init__()
        self.net = nn.Sequential(
            nn.Linear(input_dim, hidden_size),
            nn.ReLU(),
            nn.Dropout(dropout),
            nn.Linear(hidden_size, hidden_size),
            nn.ReLU(),
            nn.Dropout(dropout),
            nn.Linear(hidden_size, num_classes),
        )

    def forward(self, x):
        return self.net(x)


def build_model(args):
    return MLP(args.input_dim, args.hidden_size, args.num_classes, args.dropout)


def build_optimizer(model, args):
    return torch.optim.AdamW(
        model.parameters(), lr=args.lr, weight_decay=args.weight_decay
    )


def build_scheduler(optimizer, args):
    """Per-epoch LR schedule: cosine, step (x0.1 every third of training) or constant."""
    if args.lr_schedule == "cosine":
        return torch.optim.lr_scheduler.CosineAnnealingLR(
            optimizer, T_max=max(args.epochs, 1)
        )
    if args.lr_schedule == "step":
        return torch.optim.lr_scheduler.StepLR(
            optimizer, step_size=max(args.epochs // 3, 1), gamma=0.1
        )
    if args.lr_schedule == "constant":
        return torch.optim.lr_scheduler.ConstantLR(optimizer, factor=1.0)
    raise ValueError(f"unknown lr_schedule {args.lr_schedule!r}")
`;
  return { path: 'model.py', content, mode: 0o644 };
}
