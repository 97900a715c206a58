/** Running library definitions for real: their public form, then CODE, in one Python process. */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import type { PyDefinition } from '../../src/python-library/definition.js';
import { publicSource } from '../../src/python-library/public-module.js';
import { SYSTEM_PYTHON } from './components.js';

/** Run DEFINITIONS (public names) followed by CODE with SYSTEM_PYTHON; ARGS become sys.argv[1:]. */
export function runLibrary(
  definitions: PyDefinition[],
  code: string,
  options: { args?: string[]; env?: Record<string, string>; cwd?: string } = {},
): SpawnSyncReturns<string> {
  const env: NodeJS.ProcessEnv = { ...process.env, ...options.env };
  if (!options.env || !('EXPKIT_RESUME' in options.env)) delete env.EXPKIT_RESUME;
  const program = `${publicSource(definitions)}\n\n${code}`;
  return spawnSync(SYSTEM_PYTHON, ['-c', program, ...(options.args ?? [])], { encoding: 'utf8', env, cwd: options.cwd });
}
