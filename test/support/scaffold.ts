/** Helpers for scaffold tests: render a config into a temporary project, hostile spec values. */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderScaffold } from '../../src/scaffold/index.js';
import { resolveScaffoldConfig, type ScaffoldInput } from '../../src/scaffold/resolve.js';
import { tempDir as makeTempDir } from './temp.js';

/** A fresh temporary directory, removed after the test file's tests (test/support/temp.ts). */
export function tempDir(prefix = 'expkit-scaffold-'): string {
  return makeTempDir(prefix);
}

/** Render SLUG's scaffold into PROJECT/experiments/code/SLUG/ and return that directory. */
export function writeScaffold(project: string, input: Partial<ScaffoldInput> & { slug: string }): string {
  const config = resolveScaffoldConfig({ spec: null, ...input });
  const dir = join(project, 'experiments', 'code', input.slug);
  mkdirSync(dir, { recursive: true });
  for (const f of renderScaffold(config)) {
    writeFileSync(join(dir, f.path), f.content);
    chmodSync(join(dir, f.path), f.mode);
  }
  return dir;
}

/** Spec values that would run `touch MARKER` if any of them reached a shell or Python unquoted. */
export function hostileSpecData(marker: string): Record<string, unknown> {
  const payload = `x'; $(touch ${marker}); \`touch ${marker}\` "\n"""\n'''`;
  return {
    title: `T ${payload}`,
    hypothesis: `h\n${payload}`,
    setup: { model: payload, dataset: payload, hardware: payload, conda_env: payload, venv: payload, python: payload, notes: payload },
    hyperparameters: { note: payload, tag: "it's \"quoted\" \\ back", tiny_lr: 1e-7 },
    extra_hyperparameters: ['note', 'tag', 'tiny_lr'],
    baseline: { name: payload },
    unknown_field: payload,
  };
}
