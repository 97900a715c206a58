/** Environment handling for run records: secrets never reach a file. */
import { shQuote } from '../core/quote.js';

const SECRET_RE = /KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL/i;

export function isSecretName(name: string): boolean {
  return SECRET_RE.test(name);
}

/** The `WANDB_*` settings worth recording, without secrets. */
export function wandbSettings(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) {
    if (k.startsWith('WANDB_') && !isSecretName(k) && v !== undefined) out[k] = v;
  }
  return out;
}

/**
 * Variables the run must not take from its launcher: bash's read-only ones, the launcher's own
 * shell bookkeeping and terminal, and the marker of a run that launched this one.
 */
const NOT_INHERITED = new Set(['BASHOPTS', 'BASH_VERSINFO', 'EUID', 'PPID', 'SHELLOPTS', 'UID', 'PWD', 'OLDPWD', 'SHLVL', '_', 'TMUX', 'TMUX_PANE', 'STY', 'WINDOW', 'EXPKIT_RUN_ID']);

/** `export K='V'` lines for the wrapper to source: the launcher's environment, as the run gets it. */
export function envFileText(env: NodeJS.ProcessEnv): string {
  const lines: string[] = [];
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined || NOT_INHERITED.has(k) || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) continue;
    lines.push(`export ${k}=${shQuote(v)}`);
  }
  return lines.join('\n') + '\n';
}

/** What a tmux or screen client needs to find (or start) its server. */
const MULTIPLEXER_VARS = /^(PATH|HOME|USER|LOGNAME|SHELL|LANG|LC_[A-Z]+|TZ|TERM|TMUX_TMPDIR|TMPDIR|SCREENDIR)$/;

/**
 * The environment for tmux and screen clients, as an override for io/exec (undefined removes): a
 * server started by a client keeps that client's environment for good and hands it to later
 * windows, so it must never see the launcher's secrets. The run gets its own from `launch.env`.
 */
export function multiplexerEnv(env: NodeJS.ProcessEnv): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(env)) out[k] = MULTIPLEXER_VARS.test(k) ? v : undefined;
  return out;
}
