/** Local process checks and signals (Linux /proc). */
import { readFileSync } from 'node:fs';
import { environValue, judgeProcess, parseStartTime, RUN_ID_VAR, type ExpectedProcess, type ObservedProcess, type ProcessIdentity, type Verdict } from '../launch/identity.js';

/** Fields of /proc/PID/stat after the command name: state and process group. */
function stat(pid: number): { state: string; pgid: number } | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { state: rest[0], pgid: Number(rest[2]) };
  } catch {
    return null;
  }
}

/** Alive and not a zombie (an exited child can linger as a zombie for a while). */
export function isAlive(pid: number): boolean {
  const s = stat(pid);
  return s !== null && s.state !== 'Z' && s.state !== 'X';
}

/** True when PID is alive and its command line mentions `needle` (guards against PID reuse). */
export function isAliveRunning(pid: number, needle: string): boolean {
  if (!isAlive(pid)) return false;
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(needle);
  } catch {
    return false;
  }
}

function readOrNull(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

export function bootId(): string | null {
  return readOrNull('/proc/sys/kernel/random/boot_id')?.trim() || null;
}

/** What /proc says about PID now: alive, start time, boot and the run marker in its environment. */
export function observeProcess(pid: number): ObservedProcess {
  const statText = readOrNull(`/proc/${pid}/stat`);
  const environ = readOrNull(`/proc/${pid}/environ`);
  return {
    alive: isAlive(pid),
    startTime: statText === null ? null : parseStartTime(statText),
    bootId: bootId(),
    runId: environ === null ? undefined : environValue(environ, RUN_ID_VAR),
  };
}

/** PID's identity now (to record at launch), or null when it is not running. */
export function identityOf(pid: number): ProcessIdentity | null {
  const seen = observeProcess(pid);
  return seen.alive ? { pid, startTime: seen.startTime, bootId: seen.bootId } : null;
}

/** Whether PID is still the process described by `expected` (see launch/identity.ts). */
export function judgePid(pid: number, expected: ExpectedProcess): Verdict {
  return judgeProcess(expected, observeProcess(pid));
}

export function processGroup(pid: number): number | null {
  return stat(pid)?.pgid ?? null;
}

/** Signal PID's whole process group when it leads one, else PID alone. */
export function signalTree(pid: number, signal: NodeJS.Signals): void {
  const pgid = processGroup(pid);
  try {
    process.kill(pgid === pid ? -pid : pid, signal);
  } catch {
    /* already gone */
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Poll `done` every `every` ms until it is true or `timeoutMs` passes; returns the last answer. */
export async function pollUntil(done: () => boolean | Promise<boolean>, timeoutMs: number, every = 100): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await done()) return true;
    if (Date.now() >= deadline) return false;
    await sleep(every);
  }
}
