// The benchmark corpus, generated from the fixtures: many realistic training scripts and one
// 3,000-line file. LF line endings, no BOM, no syntax errors, so every file is valid Python.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fixtureNames, fixturePath } from '../test/support/fixtures.js';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const CORPUS_DIR = join(ROOT, 'bench', '.corpus');

function fixtureTexts() {
  return fixtureNames()
    .filter((f) => f !== 'syntax_error.py')
    .map((f) => ({ name: f, text: readFileSync(fixturePath(f), 'utf8').replace(/^\uFEFF/, '').replace(/\r\n/g, '\n').replace(/\n?$/, '\n') }));
}

/** Whole fixtures back to back until 3,000 lines, padded with assignments to exactly `lines`. */
export function bigScript(lines = 3000) {
  const parts = [];
  let count = 0;
  const fixtures = fixtureTexts();
  for (let i = 0; ; i++) {
    const { text } = fixtures[i % fixtures.length];
    const n = text.split('\n').length; // text ends with \n: n - 1 lines plus one blank separator
    if (count + n > lines) break;
    parts.push(text + '\n');
    count += n;
  }
  for (let i = count; i < lines; i++) parts.push(`PAD_${i} = ${i}\n`);
  return parts.join('');
}

/**
 * A 3,000-line script that instrument really patches: plain_mlp.py (nothing seeded, checkpointed or
 * tracked) with renamed copies of its helper functions before main().
 */
export function bigInstrumentableScript(lines = 3000) {
  const text = readFileSync(fixturePath('plain_mlp.py'), 'utf8');
  const cut = text.indexOf('\ndef main():');
  const helpersStart = text.indexOf('def make_dataset');
  const helpers = text.slice(helpersStart, cut);
  const head = text.slice(0, cut);
  const tail = text.slice(cut);
  const count = (t) => t.split('\n').length - 1;
  const parts = [head];
  let total = count(head) + count(tail);
  for (let k = 1; total + count(helpers) + 1 <= lines; k++) {
    parts.push('\n' + helpers.replace(/\b(make_dataset|MLP|train_epoch|evaluate)\b/g, `$1_${k}`));
    total += count(helpers) + 1;
  }
  for (; total < lines; total++) parts.push(`PAD_${total} = ${total}\n`);
  return parts.join('') + tail;
}

/** Writes the corpus (fixture copies in `copies` sub-projects, plus big.py) and returns its files. */
export function writeCorpus(copies = 10) {
  rmSync(CORPUS_DIR, { recursive: true, force: true });
  const files = [];
  for (let c = 0; c < copies; c++) {
    const dir = join(CORPUS_DIR, `project_${c}`);
    mkdirSync(dir, { recursive: true });
    for (const { name, text } of fixtureTexts()) {
      const path = join(dir, name);
      writeFileSync(path, text);
      files.push(path);
    }
  }
  const big = join(CORPUS_DIR, 'big.py');
  writeFileSync(big, bigScript());
  files.push(big);
  const instrumentable = join(CORPUS_DIR, '..', '.instrument', 'big_train.py');
  mkdirSync(dirname(instrumentable), { recursive: true });
  writeFileSync(instrumentable, bigInstrumentableScript());
  return { files, big, instrumentable };
}
