/**
 * The `wait` tool runs in this process, unlike the others (cli-runner.ts): a child's wait is silent
 * until it ends, and the client needs to hear while it waits. waitForRuns prints nothing (stdout is
 * the protocol channel) and tells each run that ends through onChange; a heartbeat in between keeps
 * a client that resets its request timeout on progress from giving up on a long wait.
 */
import { waitExitCode, waitForRuns, type WaitMode, type WaitResult } from '../commands/wait.js';
import { describeError } from '../core/run-command.js';
import type { CliOutcome } from './cli-runner.js';

/** Seconds between heartbeats; EXPKIT_MCP_HEARTBEAT_MS overrides it (tests wait on a heartbeat). */
export function heartbeatMs(env: NodeJS.ProcessEnv = process.env): number {
  const n = Number(env.EXPKIT_MCP_HEARTBEAT_MS);
  return Number.isFinite(n) && n >= 50 ? n : 10_000;
}

export interface Progress {
  progress: number;
  total?: number;
  message: string;
}

/** What a progress notification says when runs ended (pure, for the message's wording). */
export function endedMessage(r: WaitResult, total: number): string {
  const last = r.ended[r.ended.length - 1];
  return `${last.name} ended: ${last.state}${last.exitCode !== null ? ` (exit ${last.exitCode})` : ''}; ${r.ended.length}/${total} ended`;
}

export function heartbeatMessage(r: WaitResult | null, total: number, seconds: number): string {
  const pending = r ? r.pending.map((p) => `${p.name} (${p.state})`).join(', ') : `${total} run(s)`;
  return `still waiting after ${Math.round(seconds)}s: ${r ? r.ended.length : 0}/${total} ended; pending ${pending}`;
}

/**
 * Wait on RUNS of the project at ROOT. NOTIFY (only when the client gave a progressToken) hears one
 * progress per run that ends and a heartbeat; progress counts the runs ended plus a fraction of the
 * time waited, so it always increases, as MCP requires.
 */
export async function waitTool(
  a: { runs: string[]; mode: WaitMode; timeout_s: number },
  ctx: { root: string; signal?: AbortSignal; notify?: (p: Progress) => Promise<void> },
): Promise<CliOutcome> {
  const total = new Set(a.runs).size;
  const started = Date.now();
  let latest: WaitResult | null = null;
  let last = -1;
  // The result must not overtake the notifications before it: the client drops progress for a finished request.
  let sent: Promise<void> = Promise.resolve();
  const send = (message: string) => {
    if (!ctx.notify) return;
    const waited = a.timeout_s > 0 ? Math.min(1, (Date.now() - started) / 1000 / a.timeout_s) : 1;
    // Ended runs dominate; the time waited moves it on between ends (never past the next whole run).
    const progress = Math.max(last + 1e-6, (latest?.ended.length ?? 0) + 0.99 * waited);
    last = progress;
    const notify = ctx.notify;
    sent = sent.then(() => notify({ progress, total, message }));
  };
  const timer = ctx.notify ? setInterval(() => send(heartbeatMessage(latest, total, (Date.now() - started) / 1000)), heartbeatMs()) : null;
  try {
    const result = await waitForRuns(a.runs, {
      mode: a.mode,
      timeout: a.timeout_s,
      root: ctx.root,
      signal: ctx.signal,
      onChange: (r) => {
        latest = r;
        send(endedMessage(r, total));
      },
    });
    if (timer) clearInterval(timer);
    await sent;
    // The SDK's client handles a notification a tick later than a response, and forgets a request's
    // progress handler with its response: a moment between the two lets the last "ended" through.
    if (ctx.notify && result.ended.length > 0) await new Promise((r) => setTimeout(r, 25));
    return { ok: true, exitCode: waitExitCode(result), json: result };
  } catch (err) {
    return { ok: false, error: describeError(err) };
  } finally {
    if (timer) clearInterval(timer);
  }
}
