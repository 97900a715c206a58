/** Problems a training log reveals, each with a concrete suggestion. Pure. */
import { isNonFiniteLossLine } from './non-finite-loss.js';

export type AnomalyKind = 'nan-loss' | 'cuda-oom' | 'traceback' | 'killed' | 'nccl';

export interface Anomaly {
  kind: AnomalyKind;
  /** 1-based line in the log. */
  line: number;
  text: string;
  suggestion: string;
}

interface Rule {
  kind: AnomalyKind;
  re: { test(line: string): boolean };
  suggestion: string;
}

const KILLED_SUGGESTION = 'the process was killed, most likely by the kernel OOM killer: lower host memory use (DataLoader num_workers, dataset caching) or ask for more memory (--mem on SLURM)';

const RULES: Rule[] = [
  {
    kind: 'nan-loss',
    re: { test: isNonFiniteLossLine },
    suggestion: 'the loss diverged: lower the learning rate, add gradient clipping (clip_grad_norm_), or check the inputs for NaN; with fp16 use a GradScaler or bf16',
  },
  {
    kind: 'cuda-oom',
    re: /CUDA out of memory|OutOfMemoryError|CUBLAS_STATUS_ALLOC_FAILED/,
    suggestion: 'the GPU ran out of memory: lower the batch size, use gradient accumulation or mixed precision, or pick a GPU with more free memory (expkit doctor shows their load)',
  },
  {
    kind: 'traceback',
    re: /^Traceback \(most recent call last\):/,
    suggestion: 'the script raised an exception: read the last lines of the traceback (expkit logs RUN -n 40), fix it, and try the fix quickly with --smoke',
  },
  {
    kind: 'killed',
    re: /^Killed\s*$|oom[-_ ]kill|Out of memory: Killed process|signal 9|SIGKILL/i,
    suggestion: KILLED_SUGGESTION,
  },
  {
    kind: 'nccl',
    re: /NCCL (error|WARN|timeout)|ncclInternalError|ncclSystemError|ncclUnhandledCudaError|NCCL_ERROR/i,
    suggestion: 'a distributed (NCCL) failure: rerun with NCCL_DEBUG=INFO, check that all ranks reach the same collectives, and try NCCL_P2P_DISABLE=1 or NCCL_IB_DISABLE=1 on machines without those links',
  },
];

const MAX_PER_KIND = 3;

/** The final exception line of a traceback starting at `start` (index into lines). */
function tracebackSummary(lines: string[], start: number): string {
  for (let i = start + 1; i < Math.min(lines.length, start + 400); i++) {
    const l = lines[i];
    if (l.length > 0 && !/^\s/.test(l) && !l.startsWith('Traceback') && !/^During handling|^The above exception/.test(l)) return l.trim();
  }
  return lines[start].trim();
}

/** Exit code 137 is 128 + SIGKILL: with no expkit stop behind it, usually the OOM killer. */
const SIGKILL_EXIT = 137;

/**
 * Anomalies in LOG. EXIT_CODE (of a run that was not stopped on purpose) adds a `killed` anomaly
 * for SIGKILL when the log itself does not say so: the OOM killer leaves nothing in the log.
 */
export function detectAnomalies(log: string, exitCode: number | null = null): Anomaly[] {
  const lines = log.split(/\r?\n|\r/);
  const found: Anomaly[] = [];
  const counts = new Map<AnomalyKind, number>();
  lines.forEach((text, i) => {
    for (const rule of RULES) {
      if (!rule.re.test(text)) continue;
      const n = counts.get(rule.kind) ?? 0;
      if (n >= MAX_PER_KIND) continue;
      counts.set(rule.kind, n + 1);
      const shown = rule.kind === 'traceback' ? tracebackSummary(lines, i) : text.trim();
      found.push({ kind: rule.kind, line: i + 1, text: shown.slice(0, 300), suggestion: rule.suggestion });
    }
  });
  if (exitCode === SIGKILL_EXIT && !counts.has('killed')) {
    found.push({ kind: 'killed', line: Math.max(1, lines.length - (lines[lines.length - 1] === '' ? 1 : 0)), text: 'exit code 137: killed by SIGKILL', suggestion: KILLED_SUGGESTION });
  }
  return found;
}

const PROGRESS_RE = /\b(epoch|step|iter(ation)?|batch|loss|acc(uracy)?)\b|\d+\s*\/\s*\d+|\d+(\.\d+)?%|it\/s|s\/it/i;

/** The last line that looks like progress (epoch/step/loss/percent), or null. */
export function lastProgressLine(log: string): string | null {
  const lines = log.split(/\r?\n|\r/);
  for (let i = lines.length - 1; i >= 0; i--) {
    const t = lines[i].trim();
    if (t && PROGRESS_RE.test(t) && !/^Traceback/.test(t)) return t.slice(0, 300);
  }
  return null;
}

/** The line that best explains a crash: a traceback's exception, else the last anomaly, else null. */
export function crashLine(log: string): string | null {
  const anomalies = detectAnomalies(log);
  const tb = anomalies.filter((a) => a.kind === 'traceback').pop();
  return (tb ?? anomalies[anomalies.length - 1])?.text ?? null;
}
