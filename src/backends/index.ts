import type { BackendName } from '../launch/manifest.js';
import { commandOnPath } from '../launch/which.js';
import type { Backend } from './types.js';
import { processBackend } from './process.js';
import { tmuxBackend } from './tmux.js';
import { screenBackend } from './screen.js';
import { slurmBackend } from './slurm.js';
import { ExitCode, ExpkitError } from '../core/errors.js';

const ALL: Record<BackendName, Backend> = { process: processBackend, tmux: tmuxBackend, screen: screenBackend, slurm: slurmBackend };

export function backendFor(name: BackendName): Backend {
  return ALL[name];
}

/** `auto`: tmux when present, else screen, else a detached background process. */
export function resolveBackendName(choice: string): BackendName {
  if (choice === 'auto') return commandOnPath('tmux') ? 'tmux' : commandOnPath('screen') ? 'screen' : 'process';
  if (choice in ALL) return choice as BackendName;
  throw new ExpkitError(`unknown backend ${JSON.stringify(choice)}: use auto, process, tmux, screen or slurm`, { exitCode: ExitCode.Usage });
}
