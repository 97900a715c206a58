/**
 * The reusable Python snippets: indentation works, and with real torch the seeding, RNG-state
 * and atomic checkpoint functions do what they promise.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  CHECKPOINT_IMPORTS, SEEDING_IMPORTS, WANDB_IMPORTS, checkpointSnippet, indentBlock, rngStateSnippet, seedingSnippet, wandbInitSnippet,
} from '../../src/snippets/python.js';
import { SYSTEM_PYTHON, describeWith, pythonHas } from '../support/components.js';
import { tempDir } from '../support/scaffold.js';

const py = (code: string, ...args: string[]) => spawnSync(SYSTEM_PYTHON, ['-c', code, ...args], { encoding: 'utf8' });

describe('indentBlock', () => {
  test('indents non-empty lines only', () => {
    expect(indentBlock('a\n\n  b\n', 4)).toBe('    a\n\n      b\n');
    expect(indentBlock('a', '\t')).toBe('\ta');
    expect(indentBlock('a\n', '')).toBe('a\n');
  });
});

describeWith('python3 (/usr/bin/python3)', existsSync(SYSTEM_PYTHON))('snippets at an indentation', () => {
  test('compile inside a block', () => {
    const body = [seedingSnippet(4), rngStateSnippet(4), checkpointSnippet(4), wandbInitSnippet(4)].join('\n\n');
    const out = py('import sys; compile(sys.argv[1], "snippet", "exec")', `if True:\n${body}`);
    expect(out.stderr).toBe('');
    expect(out.status).toBe(0);
  });

  test('init_wandb does not import wandb when disabled', () => {
    const code = `${WANDB_IMPORTS.join('\n')}\nimport sys\n${wandbInitSnippet()}\nassert init_wandb(False, "p", {}) is None\nassert "wandb" not in sys.modules\nprint("ok")`;
    const out = py(code);
    expect(out.stderr).toBe('');
    expect(out.stdout).toBe('ok\n');
  });
});

describeWith('torch on /usr/bin/python3 (python3-torch)', pythonHas('torch'))('seeding and checkpoints with torch', () => {
  const prelude = [...new Set([...SEEDING_IMPORTS, ...CHECKPOINT_IMPORTS])].join('\n') + '\nimport sys\n\n' + [seedingSnippet(), rngStateSnippet(), checkpointSnippet()].join('\n\n');

  test('same seed, same draws from python, numpy and torch', () => {
    const out = py(`${prelude}
def draw():
    return (random.random(), float(np.random.rand()), float(torch.rand(1)))
seed_everything(3)
a = draw()
seed_everything(3, deterministic=True)
b = draw()
seed_everything(4)
c = draw()
assert a == b, (a, b)
assert a != c
assert os.environ["PYTHONHASHSEED"] == "4"
print("ok")`);
    expect(out.stderr).toBe('');
    expect(out.stdout).toBe('ok\n');
  });

  test('save_checkpoint is atomic and load_latest_checkpoint restores the highest epoch and RNG', () => {
    const dir = join(tempDir(), 'ckpt');
    const out = py(`${prelude}
directory = sys.argv[1]
torch.manual_seed(0)
model = torch.nn.Linear(3, 2)
opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
sched = torch.optim.lr_scheduler.StepLR(opt, step_size=1, gamma=0.5)
model(torch.ones(1, 3)).sum().backward()
opt.step()
sched.step()
save_checkpoint(directory, 2, model, opt, sched)
save_checkpoint(directory, 10, model, opt, sched, step=40, wandb_run_id="abc", extra={"k": 1})
expected_next = torch.rand(2)
weights = model.weight.detach().clone()
open(os.path.join(directory, "epoch_99.pt.tmp123"), "w").close()
open(os.path.join(directory, "notes.txt"), "w").close()
fresh = torch.nn.Linear(3, 2)
opt2 = torch.optim.SGD(fresh.parameters(), lr=0.1, momentum=0.9)
sched2 = torch.optim.lr_scheduler.StepLR(opt2, step_size=1, gamma=0.5)
torch.rand(5)
state = load_latest_checkpoint(directory, fresh, opt2, sched2)
assert state["epoch"] == 10 and state["step"] == 40, state["epoch"]
assert state["wandb_run_id"] == "abc" and state["extra"] == {"k": 1}
assert state["path"].endswith("epoch_0010.pt")
assert torch.equal(fresh.weight, weights)
assert opt2.state_dict()["state"], "optimizer momentum restored"
assert sched2.last_epoch == 1
assert torch.equal(torch.rand(2), expected_next), "RNG restored"
assert load_latest_checkpoint(os.path.join(directory, "missing"), fresh, opt2) is None
print("ok")`, dir);
    expect(out.stderr).toBe('');
    expect(out.stdout).toBe('ok\n');
    expect(readdirSync(dir).filter((f) => f.includes('.tmp') && !f.startsWith('epoch_99'))).toEqual([]);
  });
});
