/** The lightning template: LightningModule + Trainer with ModelCheckpoint and seed_everything. */
import { dataModule, modelModule } from './mlp-modules.js';
import { RESUME_SWITCH_PY, buildParserPy, codeFiles, helpersImportPy, resultsPy, trainHeader } from './train-common.js';
import type { GeneratedFile, ScaffoldConfig } from './types.js';

export function lightningFiles(config: ScaffoldConfig): GeneratedFile[] {
  return codeFiles(config, lightningTrain(config), [dataModule(config.slug), modelModule(config.slug)]);
}

function lightningTrain(config: ScaffoldConfig): string {
  const imports = `import os
import time

import lightning as L
import torch
import torch.nn.functional as F
from lightning.pytorch.callbacks import ModelCheckpoint

from data import build_dataloaders
${helpersImportPy(['resume_file', 'wandb_run_id'])}from metrics import compute_metrics
from model import build_model, build_optimizer, build_scheduler
`;
  return `${trainHeader(config, 'a LightningModule and the Lightning Trainer', imports)}

class Classifier(L.LightningModule):
    """The model from model.py, trained and evaluated the Lightning way."""

    def __init__(self, args, metric_names):
        super().__init__()
        self.save_hyperparameters(vars(args))
        self.args = args
        self.metric_names = list(metric_names)
        self.model = build_model(args)
        self.history = []
        self.started_at = now_iso()
        self._outputs = []
        self.diverged = False

    def forward(self, inputs):
        return self.model(inputs)

    def training_step(self, batch, batch_idx):
        inputs, labels = batch
        loss = F.cross_entropy(self(inputs), labels)
        self.log("train_loss", loss, on_epoch=True, prog_bar=True)
        # A NaN/inf loss never recovers: stop now, keep the last good checkpoint, report it.
        if not torch.isfinite(loss):
            epoch = self.current_epoch + 1
            print(f"diverged at epoch {epoch}: non-finite loss; stopping")
            self.diverged = True
            self.trainer.should_stop = True
        return loss

    def validation_step(self, batch, batch_idx):
        inputs, labels = batch
        self._outputs.append((self(inputs).detach().cpu(), labels.cpu()))

    def on_validation_epoch_end(self):
        logits = torch.cat([logits for logits, _ in self._outputs])
        labels = torch.cat([labels for _, labels in self._outputs])
        self._outputs = []
        loss = F.cross_entropy(logits, labels).item()
        values = compute_metrics(
            self.metric_names, logits.numpy(), labels.numpy(), loss
        )
        self.history.append(values)
        self.log_dict({f"val_{name}": value for name, value in values.items()})

    def configure_optimizers(self):
        optimizer = build_optimizer(self.model, self.args)
        scheduler = build_scheduler(optimizer, self.args)
        return {"optimizer": optimizer, "lr_scheduler": scheduler}

    def on_save_checkpoint(self, checkpoint):
        checkpoint["history"] = self.history
        checkpoint["started_at"] = self.started_at

    def on_load_checkpoint(self, checkpoint):
        self.history = checkpoint.get("history", [])
        self.started_at = checkpoint.get("started_at", self.started_at)


${buildParserPy()}

def main(argv=None):
    args, goals, config = resolve_run(build_parser(), METRICS, argv)
${RESUME_SWITCH_PY}    L.seed_everything(args.seed, workers=True)
    checkpoint_dir, results_path, config_path = run_paths(SLUG, args.seed, args.smoke)

    logger = False
    if args.wandb:
        # Imported only with --wandb; WandbLogger logs from rank 0 only.
        from lightning.pytorch.loggers import WandbLogger

        logger = WandbLogger(
            project=args.wandb_project,
            name=f"{SLUG}-seed_{args.seed}",
            id=wandb_run_id(checkpoint_dir),
            offline=args.wandb_offline or os.environ.get("WANDB_MODE") == "offline",
            config=config,
        )
    checkpoints = ModelCheckpoint(
        dirpath=checkpoint_dir,
        filename="epoch_{epoch:04d}",
        auto_insert_metric_name=False,
        every_n_epochs=args.checkpoint_every,
        save_top_k=-1,
        save_last=True,
    )
    limit = args.smoke_batches if args.smoke else 1.0
    trainer = L.Trainer(
        max_epochs=args.epochs,
        deterministic=args.deterministic,
        callbacks=[checkpoints],
        logger=logger,
        limit_train_batches=limit,
        limit_val_batches=limit,
        num_sanity_val_steps=0,
        default_root_dir=checkpoint_dir,
    )
    module = Classifier(args, goals)
    train_loader, val_loader = build_dataloaders(args)
    # Without --resume an earlier last.ckpt is set aside.
    resume_from = resume_file(checkpoint_dir, "last.ckpt")
    clock = time.time()
    trainer.fit(module, train_loader, val_loader, ckpt_path=resume_from)
    if not trainer.is_global_zero:
        return 0
    save_resolved_config(config_path, config)
${resultsPy('module.history', 'module.started_at', 'time.time() - clock', '', 'module.diverged')}    return 0


if __name__ == "__main__":
    raise SystemExit(main())
`;
}
