/** The pytorch template: a plain training loop over data.py and model.py, helpers from expkit's Python library. */
import { dataModule, modelModule } from './mlp-modules.js';
import { RESUME_SWITCH_PY, buildParserPy, codeFiles, helpersImportPy, resultsPy, trainHeader } from './train-common.js';
import type { GeneratedFile, ScaffoldConfig } from './types.js';

export function pytorchFiles(config: ScaffoldConfig): GeneratedFile[] {
  return codeFiles(config, pytorchTrain(config), [dataModule(config.slug), modelModule(config.slug)]);
}

const STOP_AFTER = `    parser.add_argument(
        "--stop-after",
        type=int,
        metavar="K",
        help="stop after K epochs in this process (continue later with --resume)",
    )
`;

const WANDB_SUMMARY = `    if run is not None:
        run.summary.update({f"best/{name}": v for name, v in record["best"].items()})
        run.finish()
`;

function pytorchTrain(config: ScaffoldConfig): string {
  const imports = `import os
import time

import torch
import torch.nn.functional as F

from data import build_dataloaders
${helpersImportPy(['checkpoint_run_id', 'init_wandb', 'is_finite_number', 'load_checkpoint', 'resume_checkpoint', 'save_checkpoint', 'seed_everything'])}from metrics import compute_metrics
from model import build_model, build_optimizer, build_scheduler
`;
  return `${trainHeader(config, 'a plain PyTorch training loop', imports)}

${buildParserPy(STOP_AFTER)}

def train_one_epoch(model, loader, optimizer, device, max_batches):
    """One pass over LOADER (at most MAX_BATCHES batches); returns the mean loss."""
    model.train()
    total, count = 0.0, 0
    for index, (inputs, labels) in enumerate(loader):
        if max_batches is not None and index >= max_batches:
            break
        inputs, labels = inputs.to(device), labels.to(device)
        optimizer.zero_grad()
        loss = F.cross_entropy(model(inputs), labels)
        loss.backward()
        optimizer.step()
        total += loss.item() * len(labels)
        count += len(labels)
    return total / max(count, 1)


@torch.no_grad()
def evaluate(model, loader, metric_names, device, max_batches):
    """Metrics on LOADER, computed from the model's predictions."""
    model.eval()
    all_logits, all_labels = [], []
    for index, (inputs, labels) in enumerate(loader):
        if max_batches is not None and index >= max_batches:
            break
        all_logits.append(model(inputs.to(device)).cpu())
        all_labels.append(labels)
    logits, labels = torch.cat(all_logits), torch.cat(all_labels)
    loss = F.cross_entropy(logits, labels).item()
    return compute_metrics(metric_names, logits.numpy(), labels.numpy(), loss)


def main(argv=None):
    args, goals, config = resolve_run(build_parser(), METRICS, argv)
${RESUME_SWITCH_PY}    max_batches = args.smoke_batches if args.smoke else None
    seed_everything(args.seed, args.deterministic)
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    checkpoint_dir, results_path, config_path = run_paths(SLUG, args.seed, args.smoke)
    checkpoint = os.path.join(checkpoint_dir, "last.pt")
    save_resolved_config(config_path, config)

    train_loader, val_loader = build_dataloaders(args)
    model = build_model(args).to(device)
    optimizer = build_optimizer(model, args)
    scheduler = build_scheduler(optimizer, args)

    # Without --resume, or after a finished run, an earlier checkpoint is set aside.
    done = resume_checkpoint(
        checkpoint, model=model, optimizer=optimizer, scheduler=scheduler
    )
    history, elapsed, started_at = [], 0.0, now_iso()
    if done:
        saved = load_checkpoint(checkpoint)["counters"]
        history, elapsed = saved["history"], saved["elapsed"]
        started_at = saved["started_at"]
        print(f"continuing at epoch {done + 1}")
    elif args.resume:
        print(f"nothing to resume in {checkpoint_dir}: starting at epoch 1")
    # The checkpoint keeps the wandb run id, so a resumed run continues the same wandb run.
    run = init_wandb(
        args.wandb,
        args.wandb_project,
        config,
        run_id=checkpoint_run_id(checkpoint),
        name=f"{SLUG}-seed_{args.seed}",
        offline=args.wandb_offline,
    )

    clock = time.time()
    diverged = False
    for epoch in range(done + 1, args.epochs + 1):
        train_loss = train_one_epoch(
            model, train_loader, optimizer, device, max_batches
        )
        scheduler.step()
        values = evaluate(model, val_loader, list(goals), device, max_batches)
        history.append(values)
        shown = " ".join(f"{name} {value:.4f}" for name, value in values.items())
        print(f"epoch {epoch}/{args.epochs} train_loss {train_loss:.4f} {shown}")
        if run is not None:
            run.log({"epoch": epoch, "train_loss": train_loss, **values}, step=epoch)
        # A NaN/inf loss never recovers: stop now, keep the last good checkpoint, report it.
        if not all(map(is_finite_number, [train_loss, *values.values()])):
            print(f"diverged at epoch {epoch}: non-finite loss; stopping")
            diverged = True
            break
        stop = args.stop_after is not None and epoch - done >= args.stop_after
        if epoch % args.checkpoint_every == 0 or epoch == args.epochs or stop:
            save_checkpoint(
                checkpoint,
                epoch,
                counters={
                    "history": history,
                    "elapsed": elapsed + time.time() - clock,
                    "started_at": started_at,
                },
                final=epoch == args.epochs,
                model=model,
                optimizer=optimizer,
                scheduler=scheduler,
            )
        if stop and epoch < args.epochs:
            print(f"stopped after epoch {epoch} (--stop-after); continue with --resume")
            return 0
    if not history:
        raise SystemExit("no epochs to run: --epochs must be at least 1")

${resultsPy('history', 'started_at', 'elapsed + time.time() - clock', WANDB_SUMMARY, 'diverged')}    return 0


if __name__ == "__main__":
    raise SystemExit(main())
`;
}
