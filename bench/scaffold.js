#!/usr/bin/env node
// Scaffold's time against the number of hyperparameters (issue 9: 20k took 5.8 s, 200k over 120 s).
// Linear means the 200k/20k ratio stays near 10 (a quadratic step would make it ~100).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './corpus.js';

const BIN = join(ROOT, 'bin', 'expkit.js');
const dir = mkdtempSync(join(tmpdir(), 'expkit-bench-scaffold-'));

function scaffoldMs(n) {
  const spec = join(dir, `spec-${n}.md`);
  const lines = Array.from({ length: n }, (_, i) => `  h${i}: ${i % 3 === 0 ? i : i % 3 === 1 ? `${i}.5` : `"v${i}"`}\n`);
  // Declared as read by the user's own code (extra_hyperparameters): unread ones are refused.
  const declared = Array.from({ length: n }, (_, i) => `  - h${i}\n`).join('');
  writeFileSync(spec, `---\nhyperparameters:\n${lines.join('')}extra_hyperparameters:\n${declared}---\n`);
  const t = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [BIN, 'scaffold', `n${n}`, '--spec', spec, '--dir', dir, '--dry-run', '--json'], { stdio: ['ignore', 'ignore', 'pipe'] });
  if (r.status !== 0) throw new Error(`scaffold with ${n} hyperparameters failed: ${r.stderr}`);
  return Number(process.hrtime.bigint() - t) / 1e6;
}

const small = scaffoldMs(20_000);
const large = scaffoldMs(200_000);
console.log(`scaffold --dry-run: 20k hyperparameters ${small.toFixed(0)} ms, 200k ${large.toFixed(0)} ms → ${(large / small).toFixed(1)}× for 10× the input (target: linear, ≤ 15×)`);
