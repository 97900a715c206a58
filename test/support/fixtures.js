// Where fixture scripts live, for the tests and for bench/ (plain JS so bench/ can import it;
// types in fixtures.d.ts). A training-script fixture is a style directory,
// fixtures/instrument/<style>/input.py, next to its expected instrumented outputs
// (fixtures/instrument/README.md). Tests still name fixtures as before, 'plain_mlp.py'; a name with
// no style directory falls back to fixtures/<name> (syntax_error.py, and new fixtures not moved yet).
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures');
export const STYLES = join(FIXTURES, 'instrument');

/** 'plain_mlp.py' → fixtures/instrument/plain_mlp/input.py when that style exists, else fixtures/plain_mlp.py. */
export function fixturePath(name) {
  const input = join(STYLES, name.replace(/\.py$/, ''), 'input.py');
  return name.endsWith('.py') && existsSync(input) ? input : join(FIXTURES, name);
}

/** The style directories (each holds an input.py), sorted. */
export function styleNames() {
  if (!existsSync(STYLES)) return [];
  return readdirSync(STYLES, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(STYLES, d.name, 'input.py')))
    .map((d) => d.name)
    .sort();
}

/** Every fixture script by the name tests use ('<style>.py', and each loose fixtures/*.py), sorted. */
export function fixtureNames() {
  const loose = readdirSync(FIXTURES).filter((f) => f.endsWith('.py'));
  return [...new Set([...styleNames().map((s) => `${s}.py`), ...loose])].sort();
}
