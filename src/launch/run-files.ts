/** Reading what the wrapper wrote into a run folder. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RUN_FILES } from './paths.js';

export interface RunFiles {
  pid: number | null;
  /** The wrapper's start time and boot id, recorded with its PID. */
  pidStart: { startTime: string | null; bootId: string | null } | null;
  startedAt: string | null;
  endedAt: string | null;
  exitCode: number | null;
  stopRequested: boolean;
  /** The log line `--stop-on` stopped the run at, or null. */
  stoppedOn: string | null;
  notStarted: string | null;
}

function read(dir: string, file: string): string | null {
  try {
    return readFileSync(join(dir, file), 'utf8').trim();
  } catch {
    return null;
  }
}

function int(text: string | null): number | null {
  if (text === null || !/^-?\d+$/.test(text)) return null;
  return Number(text);
}

function pidStart(text: string | null): RunFiles['pidStart'] {
  if (text === null) return null;
  const [startTime, bootId] = text.split(' ');
  return { startTime: /^\d+$/.test(startTime ?? '') ? startTime : null, bootId: bootId || null };
}

export function readRunFiles(dir: string): RunFiles {
  return {
    pid: int(read(dir, RUN_FILES.pid)),
    pidStart: pidStart(read(dir, RUN_FILES.pidStart)),
    startedAt: read(dir, RUN_FILES.startedAt),
    endedAt: read(dir, RUN_FILES.endedAt),
    exitCode: int(read(dir, RUN_FILES.exitCode)),
    stopRequested: read(dir, RUN_FILES.stopRequested) !== null,
    stoppedOn: read(dir, RUN_FILES.stoppedOn),
    notStarted: read(dir, RUN_FILES.notStarted),
  };
}

/** The last `bytes` of the log (whole lines), or '' when there is none yet. */
export function readLogTail(path: string, bytes = 256 * 1024): string {
  try {
    const buf = readFileSync(path);
    if (buf.length <= bytes) return buf.toString('utf8');
    const text = buf.subarray(buf.length - bytes).toString('utf8');
    return text.slice(text.indexOf('\n') + 1);
  } catch {
    return '';
  }
}
