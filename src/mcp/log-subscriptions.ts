/**
 * Subscriptions to run logs (`expkit://runs/NAME/log`): the log's size is polled on an interval and
 * each growth (or shrink, e.g. a rerun) is announced once with notifications/resources/updated; the
 * client then reads the resource, or `logs` with `since`. Polling, not fs.watch: it behaves the same
 * on every file system, NFS included, where SLURM logs often live.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { ExitCode, ExpkitError } from '../core/errors.js';
import { RUN_FILES, runsDir } from '../launch/paths.js';
import { loadRunEntry } from '../launch/registry.js';
import { parseRunUri } from './resources.js';

export const LOG_POLL_MS = 500;

function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0; // not written yet
  }
}

export class LogSubscriptions {
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly root: string,
    private readonly updated: (uri: string) => void,
    private readonly pollMs = LOG_POLL_MS,
  ) {}

  /** Only run logs can be subscribed to (manifests change only as a run's state does: use wait). */
  subscribe(uri: string): void {
    const parsed = parseRunUri(uri);
    if (!parsed || parsed.kind !== 'log') throw new ExpkitError(`cannot subscribe to ${uri}`, { exitCode: ExitCode.Usage, hint: 'subscribe to a run log: expkit://runs/NAME/log' });
    if (this.timers.has(uri)) return;
    const path = join(loadRunEntry(runsDir(this.root), parsed.name).dir, RUN_FILES.log);
    let size = sizeOf(path);
    const timer = setInterval(() => {
      const now = sizeOf(path);
      if (now === size) return;
      size = now;
      this.updated(uri);
    }, this.pollMs);
    timer.unref(); // a forgotten subscription never keeps the server alive
    this.timers.set(uri, timer);
  }

  unsubscribe(uri: string): void {
    clearInterval(this.timers.get(uri));
    this.timers.delete(uri);
  }

  close(): void {
    for (const uri of [...this.timers.keys()]) this.unsubscribe(uri);
  }

  get active(): string[] {
    return [...this.timers.keys()];
  }
}
