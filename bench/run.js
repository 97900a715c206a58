#!/usr/bin/env node
// `npm run bench`: expkit's performance on a generated corpus (see bench/corpus.js).
// Numbers, not assertions: each line says what was measured and the target it is held to.
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, CORPUS_DIR, writeCorpus } from './corpus.js';

const BIN = join(ROOT, 'bin', 'expkit.js');
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x) => `${x.toFixed(1)} ms`;

function wall(argv, env = {}) {
  const t = process.hrtime.bigint();
  const r = spawnSync(argv[0], argv.slice(1), { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...env } });
  const elapsed = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.status !== 0) throw new Error(`${argv.join(' ')} failed: ${r.stderr}`);
  return elapsed;
}

function medianWall(argv, runs, env) {
  wall(argv, env); // warm the file cache
  return median(Array.from({ length: runs }, () => wall(argv, env)));
}

async function inProcess(backend, files) {
  const { analyzeSource } = await import('../dist/analyze/index.js');
  const { makeSourceText } = await import('../dist/core/source-text.js');
  const parser = backend === 'native' ? (await import('../dist/parser/native.js')).loadNativeParser() : await (await import('../dist/parser/wasm.js')).loadWasmParser();
  const sources = files.map((f) => makeSourceText(readFileSync(f, 'utf8')));
  const round = () => {
    let parse = 0;
    let analyze = 0;
    for (const src of sources) {
      let t = performance.now();
      parser.parse(src.text).dispose();
      parse += performance.now() - t;
      t = performance.now();
      analyzeSource(parser, src, 'bench.py');
      analyze += performance.now() - t;
    }
    return { parse, analyze };
  };
  round(); // JIT warm-up
  const rounds = Array.from({ length: 5 }, round);
  return { parse: median(rounds.map((r) => r.parse)), analyze: median(rounds.map((r) => r.analyze)) };
}

const { files, big, instrumentable } = writeCorpus();
const bytes = files.reduce((n, f) => n + statSync(f).size, 0);
console.log(`corpus: ${files.length} files, ${(bytes / 1e6).toFixed(2)} MB (${CORPUS_DIR}); big.py: 3,000 lines`);

console.log('\n## analyze');
for (const backend of ['native', 'wasm']) {
  try {
    const r = await inProcess(backend, files);
    console.log(`in-process (${backend}): analyze ${ms(r.analyze)} vs raw parse ${ms(r.parse)} → ${(r.analyze / r.parse).toFixed(2)}× (target ≤ 1.5×)`);
  } catch (err) {
    console.log(`in-process (${backend}): unavailable (${err.message.split('\n')[0]})`);
  }
}
const batch = medianWall([process.execPath, BIN, 'analyze', '--json', CORPUS_DIR], 3);
console.log(`batch: expkit analyze --json DIR: ${ms(batch)} → ${(bytes / 1e6 / (batch / 1000)).toFixed(2)} MB/s`);
const nodeZero = medianWall([process.execPath, '-e', '0'], 10);
const coldAnalyze = {};
for (const backend of ['native', 'wasm']) {
  const cold = medianWall([process.execPath, BIN, 'analyze', big], 10, { EXPKIT_PARSER: backend });
  coldAnalyze[backend] = cold;
  console.log(`cold: expkit analyze big.py (${backend}) ${ms(cold)} vs node -e 0 ${ms(nodeZero)} → ${(cold / nodeZero).toFixed(2)}×${backend === 'native' ? ' (target ≤ 2.5×)' : ''}`);
}

console.log('\n## instrument');
// Interleaved pairs (analyze, then instrument, of the same file): load on a shared machine drifts over
// seconds, and two batches run one after the other would each see a different machine.
const analyzeArgv = [process.execPath, BIN, 'analyze', instrumentable];
const instrumentArgv = [process.execPath, BIN, 'instrument', instrumentable, '--wandb', '--seed', '--checkpoint'];
const pairEnv = { EXPKIT_PARSER: 'native' };
wall(analyzeArgv, pairEnv);
wall(instrumentArgv, pairEnv);
const pairs = Array.from({ length: 15 }, () => [wall(analyzeArgv, pairEnv), wall(instrumentArgv, pairEnv)]);
const analyzeTrain = median(pairs.map(([a]) => a));
const instrument = median(pairs.map(([, i]) => i));
const pairRatio = median(pairs.map(([a, i]) => i / a));
console.log(`cold: expkit instrument big_train.py (3,000 lines) --wandb --seed --checkpoint ${ms(instrument)} vs cold analyze of it ${ms(analyzeTrain)} → ${pairRatio.toFixed(2)}× (median of 15 interleaved pairs; target ≤ 1.3×; includes CPython's compile check)`);

console.log('\n## launch');
const launch = spawnSync(process.execPath, [join(ROOT, 'bench', 'launch.js')], { stdio: 'inherit' });
if (launch.status !== 0) console.log('launch bench failed');

console.log('\n## scaffold');
const scaffold = spawnSync(process.execPath, [join(ROOT, 'bench', 'scaffold.js')], { stdio: 'inherit' });
if (scaffold.status !== 0) console.log('scaffold bench failed');
