import { ExpkitError } from '../core/errors.js';

export async function analyzeCommand(_paths: string[], _opts: { json?: boolean }): Promise<number> {
  throw new ExpkitError('analyze is being built');
}
