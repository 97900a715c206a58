import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { REPO_ROOT } from '../support/cli.js';

test('grammars/tree-sitter-python.wasm is the pinned tree-sitter-python grammar (npm run grammar:refresh)', () => {
  const require = createRequire(join(REPO_ROOT, 'package.json'));
  const pkg = dirname(require.resolve('tree-sitter-python/package.json'));
  const shipped = readFileSync(join(pkg, 'tree-sitter-python.wasm'));
  const committed = readFileSync(join(REPO_ROOT, 'grammars', 'tree-sitter-python.wasm'));
  expect(committed.equals(shipped)).toBe(true);
});
