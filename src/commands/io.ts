/** The terminal a command talks to; tests pass their own. */
import { createInterface } from 'node:readline/promises';
import { useColor } from '../printers/diff.js';

export interface CommandIo {
  out(text: string): void;
  err(text: string): void;
  /** Color the diff on stdout. */
  color: boolean;
  /** Whether a person can be asked: stdin and stderr are terminals. */
  interactive: boolean;
  /** Ask a yes/no question; true only for an explicit yes. */
  confirm(question: string): Promise<boolean>;
}

export function processIo(): CommandIo {
  return {
    out: (t) => void process.stdout.write(t),
    err: (t) => void process.stderr.write(t),
    color: useColor(process.stdout.isTTY),
    interactive: Boolean(process.stdin.isTTY && process.stderr.isTTY),
    async confirm(question) {
      const rl = createInterface({ input: process.stdin, output: process.stderr });
      try {
        return /^y(es)?$/i.test((await rl.question(question)).trim());
      } finally {
        rl.close();
      }
    },
  };
}
