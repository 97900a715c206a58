/**
 * The analyzer under both parser backends: targeted findings and the hand-checked fixtures.
 *
 * One test file on purpose: jest gives each test file a fresh module registry, and a second copy
 * of the native tree-sitter wrapper in the same worker process breaks the first (its addon is
 * process-global). The CLI loads it once per process, as this file does.
 */
import type { ParserBackend } from '../../src/parser/index.js';
import { analyzeText, BACKENDS, nativeLoads } from '../support/analyze.js';
import { describeWith } from '../support/components.js';
import { findingCases } from './findings.cases.js';
import { fixtureCases } from './fixtures.cases.js';

const available = (b: ParserBackend) => b === 'wasm' || nativeLoads();

for (const backend of BACKENDS) {
  describeWith(`the tree-sitter ${backend} binding`, available(backend))(`analyzer (${backend})`, () => {
    findingCases((text, file) => analyzeText(text, backend, file));
    fixtureCases((text, file) => analyzeText(text, backend, file));
  });
}
