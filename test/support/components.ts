/**
 * Tests that need a real component (Debian's python3-torch, tmux, screen, SLURM) use these.
 * Locally a missing component skips those tests with a note; in CI (CI=true) it is a failure,
 * because `scripts/test-setup.sh` is supposed to have installed it.
 */
import { spawnSync } from 'node:child_process';

export const inCI = process.env.CI === 'true';

/** Debian's interpreter, where python3-torch installs; `python3` on PATH may be another one. */
export const SYSTEM_PYTHON = '/usr/bin/python3';

/**
 * The virtual environment with the real frameworks (torch CPU, transformers, TRL, Lightning, Keras 3,
 * accelerate, JAX/optax/flax, wandb) that scripts/test-setup.sh builds from test/python/requirements.txt.
 */
export const FRAMEWORK_VENV = process.env.EXPKIT_TEST_VENV ?? '/opt/expkit-test-venv';
export const FRAMEWORK_PYTHON = `${FRAMEWORK_VENV}/bin/python`;

export function commandExists(cmd: string): boolean {
  return spawnSync('sh', ['-c', 'command -v "$1"', 'sh', cmd], { stdio: 'ignore' }).status === 0;
}

export function pythonHas(module: string, python = SYSTEM_PYTHON): boolean {
  return spawnSync(python, ['-c', `import ${module}`], { stdio: 'ignore' }).status === 0;
}

/**
 * `describe` when the component is there; otherwise `describe.skip` locally and, in CI,
 * a describe block with one failing test that names what is missing.
 */
export function describeWith(component: string, available: boolean): jest.Describe {
  if (available) return describe;
  if (inCI) {
    const failing = ((name: string) =>
      describe(name, () => {
        test(`${component} is installed`, () => {
          throw new Error(`${component} is missing in CI: scripts/test-setup.sh should have installed it`);
        });
      })) as unknown as jest.Describe;
    return failing;
  }
  process.stderr.write(`note: ${component} not available, skipping its tests (they fail in CI)\n`);
  return describe.skip;
}
