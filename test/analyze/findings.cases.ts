/**
 * Each finding kind on small, targeted sources, under both parser backends.
 * Line numbers in expectations are counted by hand from the snippets.
 */
import type { Analysis } from '../../src/analyze/types.js';
import { py } from '../support/analyze.js';

export function findingCases(analyze: (text: string, file?: string) => Promise<Analysis>): void {
  describe('findings', () => {

    test('text in strings, comments and docstrings is not code', async () => {
      const a = await analyze(py`
        """Call loss.backward() and optimizer.step(); wandb.init(); torch.save(m)."""
        import torch
        # for batch in loader: loss.backward(); optimizer.step()
        HELP = "then optimizer.step() and torch.manual_seed(0)"
        def describe():
            return 'wandb.log({"loss": 1}) and torch.save(model, "x.pt")'
      `);
      expect(a.trainLoops).toEqual([]);
      expect(a.existing.wandb.present).toBe(false);
      expect(a.existing.seed.present).toBe(false);
      expect(a.existing.checkpoint.present).toBe(false);
    });

    test('env.step(action) is not an optimizer step; the episode loop with backward/step is the loop', async () => {
      const a = await analyze(py`
        import torch
        def train(env, policy, optimizer, episodes):
            for episode in range(episodes):
                obs, done = env.reset(), False
                log_probs = []
                while not done:
                    action = policy(obs)
                    obs, reward, done, info = env.step(action)
                    scheduler.step()
                loss = -torch.stack(log_probs).sum()
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
      `);
      expect(a.trainLoops).toHaveLength(1);
      expect(a.trainLoops[0]).toMatchObject({ kind: 'for', line: 3, endLine: 13, function: 'train' });
      expect(a.trainLoops[0]!.stepMarkers.map((m) => [m.line, m.kind])).toEqual([
        [12, 'backward'],
        [13, 'optimizer-step'],
      ]);
    });

    test('gradient accumulation: the loop around both the micro-step backward and the step', async () => {
      const a = await analyze(py`
        while True:
            for micro_step in range(grad_accum):
                with ctx:
                    logits, loss = model(X, Y)
                scaler.scale(loss).backward()
            scaler.step(optimizer)
            scaler.update()
            if iter_num > max_iters:
                break
      `);
      expect(a.trainLoops[0]).toMatchObject({ kind: 'while', line: 1, endLine: 9, function: null });
      expect(a.trainLoops[0]!.stepMarkers.map((m) => m.kind)).toEqual(['backward', 'optimizer-step']);
      expect(a.exitPoints.moduleLevel).toBe(true);
    });

    test('accelerator/fabric/manual backward and optimizer.step(closure) are step markers', async () => {
      const a = await analyze(py`
        def fit(accelerator, fabric, opt, loader):
            for batch in loader:
                accelerator.backward(loss)
                opt.step()
            for batch in loader:
                def closure():
                    optim.zero_grad()
                    out = model(batch).sum()
                    out.backward()
                    return out
                optim.step(closure)
      `);
      const loops = a.trainLoops.map((l) => [l.line, l.stepMarkers.map((m) => `${m.kind}@${m.line}`)]);
      expect(loops).toEqual([
        [2, ['backward@3', 'optimizer-step@4']],
        [5, ['backward@9', 'optimizer-step@11']],
      ]);
    });

    test('an inner batch loop in train() links to the epoch loop in main()', async () => {
      const a = await analyze(py`
        def train(model, loader, optimizer):
            for x, y in loader:
                loss = model(x, y)
                loss.backward()
                optimizer.step()

        def main():
            for epoch in range(10):
                train(model, loader, optimizer)

        if __name__ == "__main__":
            main()
      `);
      expect(a.trainLoops[0]).toMatchObject({ line: 2, endLine: 5, function: 'train', outer: { line: 8, endLine: 9, function: 'main' } });
      expect(a.exitPoints).toMatchObject({ mainGuardLine: 11, mainGuardEndLine: 12, mainFunction: 'main', mainFunctionLine: 7, mainFunctionEndLine: 9 });
    });

    test('step markers through calls: recursion stops, jit-wrapped aliases are followed, another class is not', async () => {
      const a = await analyze(py`
        import jax, optax
        def update(params, opt_state, batch, depth=0):
            if depth < 2:
                return update(params, opt_state, batch, depth + 1)
            loss, grads = jax.value_and_grad(loss_fn)(params, batch)
            updates, opt_state = optimizer.update(grads, opt_state)
            params = optax.apply_updates(params, updates)
            return params, opt_state
        p_update = jax.pmap(update)
        for batch in loader:
            params, opt_state = p_update(params, opt_state, batch)
        class A:
            def _run_batch(self, x):
                self.loss(x).backward()
                self.optimizer.step()
        class B:
            def _run_batch(self, x):
                return x
            def fit(self):
                for x in self.data:
                    self._run_batch(x)
      `);
      expect(a.framework.name).toBe('jax');
      expect(a.trainLoops).toHaveLength(1);
      expect(a.trainLoops[0]).toMatchObject({ kind: 'for', line: 10, endLine: 11, function: null, via: [{ function: 'update', line: 2, callLine: 11 }], className: null, methods: [] });
      expect(a.trainLoops[0]!.stepMarkers.map((m) => [m.line, m.kind])).toEqual([[5, 'backward'], [7, 'optimizer-step']]);
    });

    test('a marker called from two loops joins the one that steps (eval reuse of a grad helper)', async () => {
      const a = await analyze(py`
        import jax
        def apply_model(state, x):
            return jax.value_and_grad(loss_fn)(state.params, x)
        def update(state, grads):
            return state.apply_gradients(grads=grads)
        def main():
            for epoch in range(3):
                for x in batches:
                    loss, grads = apply_model(state, x)
                    state = update(state, grads)
                apply_model(state, test_x)
      `);
      expect(a.trainLoops.map((l) => [l.line, l.stepMarkers.map((m) => m.line), l.via.map((v) => v.function)])).toEqual([[8, [3, 5], ['update']]]);
    });

    test('seed drawn at random when none is given; not for a fixed seed', async () => {
      const a = await analyze(py`
        import time, torch
        seed = args.seed if args.seed is not None else int(time.time())
        torch.manual_seed(seed)
      `);
      expect(a.existing.seed).toMatchObject({ present: true, lines: [3], randomDefault: true, randomDefaultLine: 2 });
      const fixed = await analyze('import random\nSEED = 3\nrandom.seed(SEED)\nidx = random.randint(0, 9)\n');
      expect(fixed.existing.seed).toMatchObject({ present: true, randomDefault: false, randomDefaultLine: null });
    });

    test('torch.nn.parallel alone is not distributed; its DistributedDataParallel is', async () => {
      const dp = await analyze('import torch.nn.parallel\nimport torch.nn as nn\nmodel = nn.DataParallel(model)\n');
      expect(dp.distributed).toEqual({ present: false, lines: [] });
      const ddp = await analyze('from torch.nn.parallel import DistributedDataParallel as DDP\n');
      expect(ddp.distributed).toEqual({ present: true, lines: [1] });
    });

    test('checkpoint kind: a weights export behind --save-model, resumable when saved in the loop and loaded back', async () => {
      const exportOnly = await analyze(py`
        import torch
        for x in loader:
            loss(x).backward()
            optimizer.step()
        if args.save_model:
            torch.save(model.state_dict(), "model.pt")
      `);
      expect(exportOnly.existing.checkpoint).toEqual({ present: true, lines: [6], kind: 'weights-export', resumes: false, library: null });
      const resumed = await analyze(py`
        import torch
        model.load_state_dict(torch.load(path))
        for epoch in range(10):
            for x in loader:
                loss(x).backward()
                opt.step()
            torch.save(model.state_dict(), path)
      `);
      // Saved in the loop and loaded back, but only the weights: a rerun starts again at epoch 0.
      expect(resumed.existing.checkpoint).toMatchObject({ present: true, lines: [7], kind: 'resumable', resumes: false });
      const none = await analyze('import torch\n');
      expect(none.existing.checkpoint).toEqual({ present: false, lines: [], kind: null, resumes: false, library: null });
    });

    test('checkpoint resumes: only when training state is restored (optimizer state, a start step, a framework resume)', async () => {
      const resumes = async (code: string) => (await analyze(code)).existing.checkpoint.resumes;
      // DiT style: model, EMA and optimizer saved every N steps, never read back.
      expect(await resumes(py`
        import torch
        for step in range(100):
            loss(x).backward()
            opt.step()
            metrics["step"] = step
            if step % 10 == 0:
                torch.save({"model": model.state_dict(), "opt": opt.state_dict()}, f"{step}.pt")
      `)).toBe(false);
      // nanoGPT style: the optimizer and the iteration count come back from the checkpoint.
      expect(await resumes(py`
        import torch
        if init_from == "resume":
            checkpoint = torch.load(ckpt_path)
            model.load_state_dict(checkpoint["model"])
            iter_num = checkpoint["iter_num"]
        while True:
            loss(x).backward()
            optimizer.step()
            torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict()}, "ckpt.pt")
      `)).toBe(true);
      expect(await resumes(py`
        import torch
        ckpt = torch.load("last.pt")
        optimizer.load_state_dict(ckpt["optimizer"])
        torch.save({"optimizer": optimizer.state_dict()}, "last.pt")
      `)).toBe(true);
      expect(await resumes(py`
        from transformers import Trainer
        trainer.save_model()
        trainer.train(resume_from_checkpoint=last_checkpoint)
      `)).toBe(true);
      expect(await resumes(py`
        from accelerate import Accelerator
        accelerator.load_state(args.resume_from)
        accelerator.save_state("out")
      `)).toBe(true);
    });

    test('library trainer: ignite-style engine with @trainer.on(...) and add_event_handler, then run()', async () => {
      const a = await analyze(py`
        from ignite.engine import Events, create_supervised_trainer
        def main():
            trainer = create_supervised_trainer(model, optimizer, loss_fn)
            @trainer.on(Events.ITERATION_COMPLETED(every=10))
            def log_training_loss(engine):
                print(engine.state.output)
            trainer.add_event_handler(Events.EPOCH_COMPLETED, log_results)
            trainer.run(train_loader, max_epochs=2)
      `);
      expect(a.trainLoops).toEqual([]);
      expect(a.framework.libraryTrainer).toEqual({
        variable: 'trainer',
        callee: 'ignite.engine.create_supervised_trainer',
        module: 'ignite.engine',
        line: 3,
        runLine: 8,
        function: 'main',
        callbacks: [
          { method: 'on', event: 'Events.ITERATION_COMPLETED(every=10)', callback: 'log_training_loss', line: 4 },
          { method: 'add_event_handler', event: 'Events.EPOCH_COMPLETED', callback: 'log_results', line: 7 },
        ],
      });
      // A class the file defines is not a library trainer (its loop is here).
      const local = await analyze('class Runner:\n    def run(self):\n        pass\nr = Runner()\nr.set_callback("x", f)\nr.run()\n');
      expect(local.framework.libraryTrainer).toBeNull();
    });

    test('a user-defined class named Trainer is not the HF Trainer', async () => {
      const a = await analyze(py`
        import torch
        class Trainer:
            def train(self):
                for batch in self.loader:
                    self.loss(batch).backward()
                    self.optimizer.step()
        trainer = Trainer()
        trainer.train()
      `);
      expect(a.framework.name).toBe('pytorch');
      expect(a.trainLoops.map((l) => l.kind)).toEqual(['for']);
      expect(a.trainLoops[0]!.function).toBe('Trainer.train');
    });

    test('torch.no_grad() for weight initialisation is not evaluation', async () => {
      const a = await analyze(py`
        import torch
        def init_weights(model):
            with torch.no_grad():
                model.weight.fill_(0.0)

        def validate(model, loader):
            model.eval()
            with torch.inference_mode():
                return sum(model(x).sum() for x in loader)
      `);
      const points = a.evalPoints.map((p) => `${p.kind}@${p.line}`);
      expect(points).toEqual(['eval-function@6', 'eval-mode@7', 'no-grad@8']);
    });

    test('argparse: chained assignment, groups, subparsers, tuple unpacking', async () => {
      const a = await analyze(py`
        from argparse import ArgumentParser
        def main():
            p = parser = ArgumentParser()
            group = parser.add_argument_group("optim")
            group.add_argument("-l", "--learning-rate", type=float, default=3e-4)
            parser.add_argument("--no-cuda", action="store_true", dest="cpu_only")
            sub = parser.add_subparsers()
            sub.add_parser("eval").add_argument("ckpt")
            opt, unknown = parser.parse_known_args()
      `);
      expect(a.config).toMatchObject({ kind: 'argparse', parserVar: 'p', createdLine: 3, parseLine: 9, argsVar: 'opt', argsVars: ['opt', 'unknown'] });
      expect(a.config.arguments).toEqual([
        { flags: ['-l', '--learning-rate'], dest: 'learning_rate', default: '3e-4', type: 'float', line: 5 },
        { flags: ['--no-cuda'], dest: 'cpu_only', default: null, type: null, line: 6 },
        { flags: ['ckpt'], dest: 'ckpt', default: null, type: null, line: 8 },
      ]);
    });

    test('argparse built in a helper binds the caller variable', async () => {
      const a = await analyze(py`
        import argparse
        def get_args():
            parser = argparse.ArgumentParser()
            parser.add_argument("--epochs", type=int, default=5)
            return parser.parse_args()

        def main():
            hparams = get_args()
      `);
      expect(a.config).toMatchObject({ kind: 'argparse', parserVar: 'parser', createdLine: 3, parseLine: 5, argsVar: 'hparams' });
    });

    test('click, fire, hydra, absl, LightningCLI and none', async () => {
      const click = await analyze(py`
        import click
        @click.command()
        @click.option("--lr", default=0.1, type=float)
        @click.argument("data_dir")
        def main(lr, data_dir):
            pass
      `);
      expect(click.config).toMatchObject({ kind: 'click', createdLine: 2, argsVars: ['lr', 'data_dir'] });
      expect(click.config.arguments.map((x) => [x.flags, x.dest, x.line])).toEqual([
        [['--lr'], 'lr', 3],
        [['data_dir'], 'data_dir', 4],
      ]);

      const fire = await analyze('import fire\ndef main(lr=0.1):\n    pass\nif __name__ == "__main__":\n    fire.Fire(main)\n');
      expect(fire.config).toMatchObject({ kind: 'fire', parseLine: 5 });
      expect(fire.exitPoints.mainFunction).toBe('main');

      const hydra = await analyze('import hydra\n@hydra.main(config_path="conf", config_name="config", version_base=None)\ndef train(cfg):\n    pass\nif __name__ == "__main__":\n    train()\n');
      expect(hydra.config).toMatchObject({ kind: 'hydra', createdLine: 2, argsVar: 'cfg' });
      expect(hydra.exitPoints).toMatchObject({ mainFunction: 'train', mainFunctionLine: 3 });

      const absl = await analyze('from absl import app, flags\nflags.DEFINE_integer("epochs", 10, "n")\nFLAGS = flags.FLAGS\ndef main(argv):\n    pass\nif __name__ == "__main__":\n    app.run(main)\n');
      expect(absl.config).toMatchObject({ kind: 'absl', createdLine: 2, parseLine: 7, argsVar: 'FLAGS' });
      expect(absl.config.arguments).toEqual([{ flags: ['--epochs'], dest: 'epochs', default: '10', type: 'integer', line: 2 }]);

      const cli = await analyze('from lightning.pytorch.cli import LightningCLI\ndef cli_main():\n    cli = LightningCLI(Model, Data)\nif __name__ == "__main__":\n    cli_main()\n');
      expect(cli.config).toMatchObject({ kind: 'lightning-cli', createdLine: 3, argsVar: 'cli' });
      expect(cli.framework.name).toBe('lightning');
      expect(cli.trainLoops[0]).toMatchObject({ kind: 'framework-call', line: 3, function: 'cli_main' });

      const none = await analyze('import torch\nx = torch.ones(3)\nprint(x)\n');
      expect(none.config.kind).toBe('none');
      expect(none.trainLoops).toEqual([]);
    });

    test('imports: docstring, __future__, try/except ImportError and if-blocks belong to the top block', async () => {
      const a = await analyze(py`
        """Docstring."""
        from __future__ import annotations
        import os
        try:
            import wandb
        except ImportError:
            wandb = None
        if os.environ.get("USE_NP"):
            import numpy as np
        sys.path.insert(0, ".")
        from .utils import helper

        def main():
            import json
      `);
      expect(a.imports).toEqual({ startLine: 2, endLine: 11, modules: ['.utils', '__future__', 'json', 'numpy', 'os', 'wandb'] });
      expect(a.existing.wandb).toEqual({ present: true, lines: [5] });
    });

    test('frameworks: HF Trainer, Lightning namespaces, Keras variants, accelerate', async () => {
      const hf = await analyze('from transformers import Trainer, TrainingArguments\nargs = TrainingArguments(output_dir="o", report_to=["wandb", "tensorboard"])\ntrainer = Trainer(model=m, args=args)\ntrainer.train()\n');
      expect(hf.framework.name).toBe('hf-trainer');
      expect(hf.framework.evidence.map((e) => e.line)).toEqual([1, 3, 4]);
      expect(hf.existing.wandb).toEqual({ present: true, lines: [2] });
      expect(hf.trainLoops[0]).toMatchObject({ kind: 'framework-call', line: 4, stepMarkers: [{ line: 4, kind: 'framework-fit', text: 'trainer.train()' }] });

      const pl = await analyze('import pytorch_lightning as pl\nclass M(pl.LightningModule):\n    def validation_step(self, b, i):\n        pass\ntrainer = pl.Trainer(logger=pl.loggers.WandbLogger())\ntrainer.fit(M())\n');
      expect(pl.framework).toMatchObject({ name: 'lightning', variant: 'pytorch_lightning' });
      expect(pl.evalPoints).toContainEqual(expect.objectContaining({ line: 3, kind: 'validation-step' }));
      expect(pl.existing.wandb.lines).toEqual([5]);

      const tfk = await analyze('import tensorflow as tf\nmodel = tf.keras.Sequential([])\nmodel.fit(x, y, epochs=3)\n');
      expect(tfk.framework).toMatchObject({ name: 'keras', variant: 'tf.keras' });
      const k3 = await analyze('import keras\nmodel = keras.Sequential([])\nmodel.fit(x, y)\nmodel.save("m.keras")\n');
      expect(k3.framework).toMatchObject({ name: 'keras', variant: 'keras3' });
      expect(k3.existing.checkpoint.lines).toEqual([4]);

      const hfParsed = await analyze('from transformers import HfArgumentParser, TrainingArguments\np = HfArgumentParser((TrainingArguments,))\n(training_args,) = p.parse_args_into_dataclasses()\ntraining_args.report_to = ["wandb"]\nreport_to = "wandb"\n');
      expect(hfParsed.existing.wandb).toEqual({ present: true, lines: [4] });

      const acc = await analyze('from accelerate import Accelerator\naccelerator = Accelerator(log_with="wandb")\n');
      expect(acc.framework.name).toBe('accelerate');
      expect(acc.existing.wandb.lines).toEqual([2]);
      expect(acc.distributed).toEqual({ present: true, lines: [2] });

      expect((await analyze('print("hello")\n')).framework.name).toBe('unknown');
    });

    test('exits: sys.exit/exit/quit anywhere, returns of the entry function, sys.exit(main())', async () => {
      const a = await analyze(py`
        import sys
        def main():
            if bad:
                return 1
            def inner():
                return 2
            quit()
            return 0

        if __name__ == "__main__":
            sys.exit(main())
      `);
      expect(a.exitPoints).toEqual({
        mainGuardLine: 10,
        mainGuardEndLine: 11,
        mainFunction: 'main',
        mainFunctionLine: 2,
        mainFunctionEndLine: 8,
        sysExitLines: [7, 11],
        returnLines: [4, 8],
        moduleLevel: false,
      });
    });

    test('existing seed and checkpoint: global seed calls, not a seed= keyword (it seeds one object) nor np.save', async () => {
      const a = await analyze(py`
        import random, numpy as np, torch
        random.seed(1)
        np.random.seed(1)
        torch.cuda.manual_seed_all(1)
        sampler = DistributedSampler(ds, seed=3)
        np.save("arr.npy", arr)
        torch.save(state, "ckpt.pt")
        model.save_pretrained("out")
      `);
      expect(a.existing.seed.lines).toEqual([2, 3, 4]);
      expect(a.existing.checkpoint.lines).toEqual([7, 8]);
      expect(a.distributed.lines).toEqual([5]);
    });

    test('distributed: env vars, process groups, DDP, mp.spawn, rank attributes', async () => {
      const a = await analyze(py`
        import os
        import torch.distributed as dist
        import torch.multiprocessing as mp
        rank = int(os.environ.get("RANK", 0))
        dist.init_process_group("nccl")
        model = DDP(model, device_ids=[local_rank])
        mp.spawn(worker, nprocs=2)
        if accelerator.is_main_process:
            pass
      `);
      expect(a.distributed).toEqual({ present: true, lines: [2, 4, 5, 6, 7, 8] });
    });

    test('the entry function leads to the training: helpers the guard calls are not the entry', async () => {
      // minGPT style: a config helper called from a guard that runs a library trainer itself.
      const lib = await analyze(py`
        from mingpt.trainer import Trainer
        def get_config():
            return {"lr": 1e-3}
        if __name__ == "__main__":
            config = get_config()
            trainer = Trainer(config)
            def on_batch_end(t):
                print(t.loss)
            trainer.set_callback("on_batch_end", on_batch_end)
            trainer.run()
      `);
      expect(lib.exitPoints).toMatchObject({ mainGuardLine: 4, mainFunction: null, moduleLevel: true });
      // Keras without a guard: fit at module level, plotting helpers called after it.
      const keras = await analyze(py`
        from tensorflow import keras
        def plot_history(h):
            print(h)
        model = keras.Sequential([])
        history = model.fit(x, y)
        plot_history(history)
      `);
      expect(keras.exitPoints).toMatchObject({ mainFunction: null, moduleLevel: true });
      // The loop in a method, started by a method call in the guard; the guard also calls helpers.
      const method = await analyze(py`
        import torch
        def make_negatives(y):
            return y
        class Layer(torch.nn.Linear):
            def train(self, x):
                for i in range(10):
                    loss = self(x).sum()
                    self.opt.zero_grad()
                    loss.backward()
                    self.opt.step()
        if __name__ == "__main__":
            layer = Layer(4, 4)
            y_neg = make_negatives(y)
            layer.train(x)
      `);
      expect(method.trainLoops[0]).toMatchObject({ line: 6, function: 'Layer.train' });
      expect(method.exitPoints).toMatchObject({ mainGuardLine: 11, mainFunction: null, moduleLevel: true });
    });

    test('an epoch loop in the guard calling train(): module level, no entry function', async () => {
      const a = await analyze(py`
        import torch
        def train(epoch):
            for x in loader:
                loss = model(x)
                loss.backward()
                optimizer.step()
        if __name__ == "__main__":
            for epoch in range(10):
                train(epoch)
      `);
      expect(a.trainLoops[0]).toMatchObject({ line: 3, function: 'train', outer: { line: 8, function: null } });
      expect(a.exitPoints).toMatchObject({ mainGuardLine: 7, mainFunction: null, moduleLevel: true });
    });

    test('the entry is still the function that leads to the loop through others', async () => {
      const a = await analyze(py`
        import torch
        def parse():
            return None
        def fit(model, loader, opt):
            for x in loader:
                model(x).sum().backward()
                opt.step()
        def run(args):
            fit(model, loader, opt)
        if __name__ == "__main__":
            args = parse()
            run(args)
      `);
      expect(a.exitPoints).toMatchObject({ mainFunction: 'run', mainFunctionLine: 8, moduleLevel: false });
    });

    test('no_grad around rollout values is not evaluation; around test/val data it is', async () => {
      const a = await analyze(py`
        import torch
        for update in range(10):
            for step in range(128):
                with torch.no_grad():
                    action, value = agent(obs)
                    values[step] = value.flatten()
            loss = agent.loss(values)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            with torch.no_grad():
                pred = model(test_input)
      `);
      expect(a.evalPoints).toEqual([{ line: 11, kind: 'no-grad', text: 'with torch.no_grad():' }]);
    });

    test('tyro and an exec()-ed configurator are configuration of kind other', async () => {
      const tyro = await analyze(py`
        from dataclasses import dataclass
        import tyro
        @dataclass
        class Args:
            seed: int = 1
        if __name__ == "__main__":
            args = tyro.cli(Args)
      `);
      expect(tyro.config).toMatchObject({ kind: 'other', parseLine: 7, argsVar: 'args', argsVars: ['args'] });
      const exec = await analyze(py`
        batch_size = 12
        exec(open('configurator.py').read())
        exec("print(1)")
      `);
      expect(exec.config).toMatchObject({ kind: 'other', parseLine: 2, argsVar: null });
      const plain = await analyze(py`
        exec("x = 1")
      `);
      expect(plain.config.kind).toBe('none');
    });

    test('a stepping loop nested in another stepping loop is a sub-update: the enclosing loop ranks first', async () => {
      const a = await analyze(py`
        for global_step in range(1000):
            q_optimizer.zero_grad()
            qf_loss.backward()
            q_optimizer.step()
            if global_step % 2 == 0:
                for _ in range(2):
                    actor_loss.backward()
                    actor_optimizer.step()
                    alpha_loss.backward()
                    a_optimizer.step()
      `);
      expect(a.trainLoops.map((l) => [l.line, l.stepMarkers.length])).toEqual([[1, 2], [6, 4]]);
    });

    test("HF Trainer's _save_checkpoint from a callback is a resumable checkpoint", async () => {
      const a = await analyze(py`
        from transformers import Trainer, TrainerCallback
        class SaveStep0(TrainerCallback):
            def on_train_begin(self, args, state, control, **kw):
                self.trainer._save_checkpoint(self.trainer.model_wrapped, None)
        trainer = Trainer(model=model, args=training_args)
        trainer.add_callback(SaveStep0())
        trainer.train(resume_from_checkpoint=last)
      `);
      expect(a.existing.checkpoint).toMatchObject({ present: true, lines: [4], kind: 'resumable' });
    });

    test('syntax errors are reported with lines; the rest is still analyzed', async () => {
      const a = await analyze(py`
        import torch
        def train(model, loader, opt):
            for x in loader:
                loss = model(x
                loss.backward()
                opt.step()
        print("done")
      `);
      expect(a.parseErrors.length).toBeGreaterThan(0);
      expect(a.parseErrors[0]!.line).toBeGreaterThanOrEqual(4);
      expect(a.parseErrors[0]!.line).toBeLessThanOrEqual(5);
      expect(a.imports?.modules).toEqual(['torch']);
    });

    test('CRLF, tabs, a BOM and non-ASCII text keep lines and code-point columns right', async () => {
      const text = '\uFEFF# Größe 😀\r\nimport torch\r\nfor x in y:\r\n\tloss = f("é😀")\r\n\tloss.backward()\r\n\topt.step()\r\nbad = (😀';
      const a = await analyze(text);
      expect(a.trainLoops[0]).toMatchObject({ line: 3, endLine: 6 });
      expect(a.trainLoops[0]!.stepMarkers).toEqual([
        { line: 5, kind: 'backward', text: 'loss.backward()' },
        { line: 6, kind: 'optimizer-step', text: 'opt.step()' },
      ]);
      expect(a.parseErrors[0]).toEqual({ line: 7, column: expect.any(Number) });
      expect(a.parseErrors.every((e) => e.column <= 'bad = (😀'.length + 1)).toBe(true);
    });
  });
}
