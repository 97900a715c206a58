#!/usr/bin/env node
// Launch overhead: `expkit launch --backend process -- true` until the run is recorded (the CLI
// returned with manifest.json written) and started (the wrapper wrote started_at), against a
// Node process that spawns `true` detached (the same cold start, no bookkeeping) and a bare spawn.
// Runs the built CLI (npm run build first). Prints its numbers; always exits 0.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = join(dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'expkit.js');
const N = Number(process.env.BENCH_N ?? 15);
const now = () => Number(process.hrtime.bigint()) / 1e6;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function run(cmd, args, opts) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'], ...opts });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, out }));
  });
}

async function waitFor(path, timeoutMs = 5000) {
  const deadline = now() + timeoutMs;
  while (!existsSync(path)) {
    if (now() > deadline) return false;
    await new Promise((r) => setImmediate(r));
  }
  return true;
}

const dir = mkdtempSync(join(tmpdir(), 'expkit-bench-'));
mkdirSync(join(dir, 'experiments'));
const env = { ...process.env, EXPKIT_HOME: join(dir, '.expkit') };
const recorded = [];
const started = [];
const nodeSpawn = [];
const bare = [];
try {
  if (!existsSync(join(dirname(BIN), '..', 'dist', 'cli.js'))) spawnSync('npm', ['run', 'build'], { stdio: 'inherit' });
  for (let i = 0; i < N + 2; i++) {
    const t0 = now();
    const r = await run(process.execPath, [BIN, 'launch', '--backend', 'process', '--json', '--', 'true'], { cwd: dir, env });
    const t1 = now();
    if (r.code !== 0) throw new Error(`launch exited ${r.code}`);
    const name = JSON.parse(r.out).runs[0].name;
    await waitFor(join(dir, '.expkit', 'runs', name, 'started_at'));
    const t2 = now();
    if (i >= 2) {
      recorded.push(t1 - t0);
      started.push(t2 - t0);
    }
    const s0 = now();
    await run(process.execPath, ['-e', "require('child_process').spawn('true',{detached:true,stdio:'ignore'}).unref()"], { cwd: dir });
    const s1 = now();
    await run('true', []);
    const s2 = now();
    if (i >= 2) {
      nodeSpawn.push(s1 - s0);
      bare.push(s2 - s1);
    }
  }
  const m = { recorded: median(recorded), started: median(started), nodeSpawn: median(nodeSpawn), bare: median(bare) };
  const f = (x) => `${x.toFixed(1)} ms`;
  console.log(`launch bench (median of ${N} runs, ${process.platform}, node ${process.version})`);
  console.log(`  expkit launch --backend process -- true, until recorded: ${f(m.recorded)}`);
  console.log(`  ... until the wrapper has started the command:          ${f(m.started)}`);
  console.log(`  node spawning true detached (same cold start):          ${f(m.nodeSpawn)}`);
  console.log(`  bare spawn of true from a running process:              ${f(m.bare)}`);
  console.log(`  ratio started / node spawn: ${(m.started / m.nodeSpawn).toFixed(2)}x (target <= 3x), under 300 ms: ${m.started < 300 ? 'yes' : 'no'}`);
  console.log(JSON.stringify({ bench: 'launch', n: N, ...m, ratio: m.started / m.nodeSpawn }));
} catch (err) {
  console.log(`launch bench failed: ${err.message}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.exit(0);
