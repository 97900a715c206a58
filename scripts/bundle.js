#!/usr/bin/env node
/**
 * Bundle the CLI that tsc emitted (dist/) into dist/bundle/: one file per command plus shared
 * chunks, loaded on demand as before. Node resolves and reads each ES module on its own, and
 * `expkit instrument` loads about eighty: bundled, its start-up is ~30 ms shorter, and every
 * command's a little (agents call `status` and `logs` often).
 *
 * tsc stays the compiler and type checker; esbuild only joins its output. The tree-sitter
 * bindings stay outside (a native addon, and a WASM runtime that finds its .wasm beside itself).
 * Modules that find files relative to themselves (queries/, grammars/, package.json) sit two
 * levels below the package root in dist/ and in dist/bundle/ alike.
 */
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist', 'bundle');
rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: [join(root, 'dist', 'cli.js')],
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['tree-sitter', 'tree-sitter-python', 'web-tree-sitter'],
  // Bundled CommonJS dependencies (commander) call require(): give ES modules one.
  banner: { js: "import { createRequire as __expkitRequire } from 'node:module'; const require = __expkitRequire(import.meta.url);" },
  logLevel: 'warning',
});
