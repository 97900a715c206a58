/** metrics.py: metrics computed from predictions, shared by every template. */
import type { GeneratedFile } from './types.js';

export function metricsModule(slug: string): GeneratedFile {
  const content = `"""Metrics for experiment ${slug}, computed from predictions.

compute_metrics() knows loss, accuracy, error, f1 / macro_f1, precision and recall
(macro averages over classes), also with a val_ / eval_ prefix. Add your own metrics
where marked below.
"""

import numpy as np

VALIDATION_PREFIXES = ("val_", "valid_", "eval_", "validation_")


def _divide(numerator, denominator):
    return np.divide(
        numerator,
        denominator,
        out=np.zeros_like(numerator, dtype=float),
        where=denominator > 0,
    )


def compute_metrics(names, logits, labels, loss):
    """Values of the metrics NAMES from logits [N, C], integer labels [N], mean loss."""
    logits = np.asarray(logits)
    labels = np.asarray(labels)
    preds = logits.argmax(axis=1)
    classes = np.arange(logits.shape[1])
    hits = (preds[:, None] == classes) & (labels[:, None] == classes)
    true_pos = hits.sum(axis=0).astype(float)
    predicted = (preds[:, None] == classes).sum(axis=0).astype(float)
    actual = (labels[:, None] == classes).sum(axis=0).astype(float)
    precision = _divide(true_pos, predicted)
    recall = _divide(true_pos, actual)
    f1 = _divide(2 * precision * recall, precision + recall)
    accuracy = float(np.mean(preds == labels))
    builtin = {
        "loss": float(loss),
        "accuracy": accuracy,
        "error": 1.0 - accuracy,
        "f1": float(f1.mean()),
        "macro_f1": float(f1.mean()),
        "precision": float(precision.mean()),
        "recall": float(recall.mean()),
    }
    values = {}
    for name in names:
        # Evaluation runs on the validation split: "val_accuracy" is "accuracy".
        base = name.split("_", 1)[1] if name.startswith(VALIDATION_PREFIXES) else name
        # YOUR METRICS: compute any metric that is not built in here, e.g.
        # if name == "top5_accuracy": values[name] = ...; continue
        if base not in builtin:
            raise NotImplementedError(
                f"metric {name!r} is not implemented: add it to compute_metrics in"
                " metrics.py"
            )
        values[name] = builtin[base]
    return values
`;
  return { path: 'metrics.py', content, mode: 0o644 };
}
