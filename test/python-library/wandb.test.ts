/** wandb helpers, run for real without wandb installed or imported where it is not needed. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FRESH_START } from '../../src/python-library/run-identity.js';
import { INIT_WANDB, IS_RANK_ZERO, WANDB_RUN_ID } from '../../src/python-library/wandb.js';
import { SYSTEM_PYTHON, describeWith } from '../support/components.js';
import { runLibrary } from '../support/python-library.js';
import { tempDir } from '../support/scaffold.js';

describeWith('python3 (/usr/bin/python3)', existsSync(SYSTEM_PYTHON))('wandb helpers', () => {
  test('wandb_run_id keeps the id in the run folder until a fresh start', () => {
    const dir = tempDir();
    const id = (env: Record<string, string> = {}) => {
      const out = runLibrary([FRESH_START, WANDB_RUN_ID], 'import sys\nprint(wandb_run_id(sys.argv[1]))', { args: [dir], env });
      expect(out.stderr).toBe('');
      return out.stdout.trim();
    };
    const first = id();
    expect(first).toMatch(/^[0-9a-f]{8}$/);
    expect(id()).toBe(first);
    const fresh = id({ EXPKIT_RESUME: '0' });
    expect(fresh).not.toBe(first);
    expect(readFileSync(join(dir, 'wandb-run-id'), 'utf8')).toBe(fresh);
  });

  test('init_wandb starts nothing and imports no wandb when disabled or off rank 0', () => {
    const code = `import sys
assert init_wandb(False, "p", {}) is None
assert init_wandb(True, "p", {}) is None
assert "wandb" not in sys.modules
print("ok")`;
    const out = runLibrary([IS_RANK_ZERO, INIT_WANDB], code, { env: { RANK: '1' } });
    expect(out.stderr).toBe('');
    expect(out.stdout).toBe('ok\n');
  });
});
