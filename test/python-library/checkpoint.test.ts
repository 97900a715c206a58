/**
 * Torch checkpoints, run for real: atomic save, resume of model, optimizer, scheduler, carried values and
 * every RNG state, the wandb run id, the final marker and fresh starts that keep the old file aside.
 */
import { join } from 'node:path';
import { CHECKPOINT_DUE, SAVED_AT, torchCheckpoint } from '../../src/python-library/checkpoint.js';
import { FRESH_START, SET_ASIDE } from '../../src/python-library/run-identity.js';
import { describeWith, pythonHas } from '../support/components.js';
import { runLibrary } from '../support/python-library.js';
import { tempDir } from '../support/scaffold.js';

const LIBRARY = [FRESH_START, SET_ASIDE, ...torchCheckpoint(true)];

const SETUP = `import os, random, re, sys, types
import numpy, torch
path = os.path.join(sys.argv[1], "run", "last.pt")
def training_state():
    model = torch.nn.Linear(3, 2)
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    return model, opt, torch.optim.lr_scheduler.StepLR(opt, step_size=1, gamma=0.5)
def draws():
    return (random.random(), float(numpy.random.rand()), float(torch.rand(1)))
def asides():
    return [f for f in os.listdir(os.path.dirname(path)) if re.fullmatch(r"last\\.\\d{8}-\\d{6}\\.pt", f)]
torch.manual_seed(0)
model, opt, sched = training_state()
model(torch.ones(1, 3)).sum().backward()
opt.step()
sched.step()
`;

describeWith('torch on /usr/bin/python3 (python3-torch)', pythonHas('torch'))('torch checkpoints', () => {
  test('resume restores the objects, counters, RNG states and wandb run id saved', () => {
    const out = runLibrary(LIBRARY, `${SETUP}
sys.modules["wandb"] = types.SimpleNamespace(run=types.SimpleNamespace(id="abc"))  # the script tracks with wandb
ahead = torch.arange(3.0, requires_grad=True) * 2  # a batch fetched ahead, still in the graph
save_checkpoint(path, 7, counters={"batch": 40, "ahead": ahead, "stream": (i for i in range(2))}, model=model, optimizer=opt, scheduler=sched)
expected = draws()
assert os.listdir(os.path.dirname(path)) == ["last.pt"], "no temporary file left"
fresh, opt2, sched2 = training_state()
draws()
reads, real_load = [], torch.load
torch.load = lambda *a, **k: (reads.append(a[0]), real_load(*a, **k))[1]
assert checkpoint_run_id(path) == "abc"
assert resume_checkpoint(path, model=fresh, optimizer=opt2, scheduler=sched2) == 7
assert torch.equal(fresh.weight, model.weight) and torch.equal(fresh.bias, model.bias)
assert opt2.state_dict()["state"], "optimizer momentum restored"
assert sched2.last_epoch == 1
assert draws() == expected, "python, numpy and torch generators restored"
batch, ahead2, epoch, stream = carried_values(path, batch=0, ahead=torch.zeros(3), epoch=5, stream=None)
assert batch == 40 and epoch == 5 and stream is None, "saved values back, the rest (and what cannot be saved) as they are now"
assert torch.equal(ahead2, torch.arange(3.0) * 2) and not ahead2.requires_grad
assert checkpoint_run_id(path) == "abc"
assert reads == [path], "the checkpoint is read from disk once"
assert "model" not in _loaded[path][1], "only the small part is kept once resumed"
print("ok")`, { args: [tempDir()] });
    expect(out.stderr).toBe('');
    expect(out.stdout).toMatch(/^expkit: resumed from .*last\.pt at 7\nok\n$/);
  });

  test('a crash while saving leaves the previous checkpoint whole; torch without weights_only still loads it', () => {
    const out = runLibrary(LIBRARY, `${SETUP}
save_checkpoint(path, 7, model=model)
real_save, real_load = torch.save, torch.load
def crashing_save(obj, f):
    with open(f, "wb") as out:
        out.write(b"half a checkpoint")
    raise KeyboardInterrupt
torch.save = crashing_save
try:
    save_checkpoint(path, 8, model=model)
except KeyboardInterrupt:
    pass
torch.save = real_save
def load_before_1_13(f, map_location=None):
    return real_load(f, map_location=map_location)
torch.load = load_before_1_13
assert load_checkpoint(path)["progress"] == 7
print("ok")`, { args: [tempDir()] });
    expect(out.stderr).toBe('');
    expect(out.stdout).toBe('ok\n');
  });

  test('a run saved as final starts afresh on a rerun, its checkpoint kept aside', () => {
    const out = runLibrary(LIBRARY, `${SETUP}
sys.modules["wandb"] = types.SimpleNamespace(run=types.SimpleNamespace(id="abc"))
save_checkpoint(path, 9, final=True, model=model)
assert checkpoint_run_id(path) is None, "a finished run's wandb run is not continued"
fresh, _, _ = training_state()
assert resume_checkpoint(path, model=fresh) == 0
assert not torch.equal(fresh.weight, model.weight)
assert not os.path.exists(path) and len(asides()) == 1
assert torch.load(os.path.join(os.path.dirname(path), asides()[0]))["progress"] == 9
assert resume_checkpoint(path, model=fresh) == 0
print("ok")`, { args: [tempDir()] });
    expect(out.stderr).toBe('');
    expect(out.stdout).toMatch(/had finished\nexpkit: starting fresh; the previous checkpoint is kept at .*last\.\d{8}-\d{6}\.pt\nok\n$/);
  });

  test.each([
    ['EXPKIT_RESUME=0', [], { EXPKIT_RESUME: '0' }],
    ['--no-resume', ['--no-resume'], {}],
  ])('%s starts fresh and keeps the checkpoint aside', (_name, flags, env) => {
    const dir = tempDir();
    const save = runLibrary(LIBRARY, `${SETUP}\nsave_checkpoint(path, 3, model=model)\nprint("ok")`, { args: [dir] });
    expect(save.stdout).toBe('ok\n');
    const out = runLibrary(LIBRARY, `${SETUP}
assert checkpoint_run_id(path) is None
assert resume_checkpoint(path, model=model) == 0
assert not os.path.exists(path) and len(asides()) == 1
print("ok")`, { args: [dir, ...flags], env });
    expect(out.stderr).toBe('');
    expect(out.stdout).toContain(`starting fresh; the previous checkpoint is kept at ${join(dir, 'run', 'last.')}`);
  });
});

describeWith('python3 (/usr/bin/python3)', pythonHas('sys'))('checkpoint_due', () => {
  test('due once EXPKIT_CHECKPOINT_SECONDS have passed since the loop started or the last checkpoint, per file', () => {
    // A clock the test moves by hand: no sleeping, no timing in the test.
    const out = runLibrary([SAVED_AT, CHECKPOINT_DUE], `import time
now = [100.0]
time.monotonic = lambda: now[0]
assert checkpoint_due("a") is False, "the clock starts at the first call"
now[0] = 399.0
assert checkpoint_due("a") is False
now[0] = 400.0
assert checkpoint_due("a") is True and checkpoint_due("a") is False, "then the next one is 300 s away again"
assert checkpoint_due("b") is False, "each checkpoint file keeps its own clock"
print("ok")`);
    expect(out.stderr).toBe('');
    expect(out.stdout).toBe('ok\n');
    const always = runLibrary([SAVED_AT, CHECKPOINT_DUE], 'print(checkpoint_due("a"), checkpoint_due("a"))', { env: { EXPKIT_CHECKPOINT_SECONDS: '0' } });
    expect(always.stdout).toBe('True True\n');
  });
});
