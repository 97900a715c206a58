#!/usr/bin/env node
// Copies tree-sitter-python.wasm from the pinned tree-sitter-python package into grammars/.
import { copyFileSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkgJson = require.resolve('tree-sitter-python/package.json', { paths: [root] });
const { version } = JSON.parse(readFileSync(pkgJson, 'utf8'));
const from = join(dirname(pkgJson), 'tree-sitter-python.wasm');
const to = join(root, 'grammars', 'tree-sitter-python.wasm');
copyFileSync(from, to);
console.log(`grammars/tree-sitter-python.wasm refreshed from tree-sitter-python@${version}`);
