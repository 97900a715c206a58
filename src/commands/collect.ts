import { ExpkitError } from '../core/errors.js';
export async function collectCommand(_t: string, _opts: { json?: boolean }): Promise<number> {
  throw new ExpkitError('collect is being built');
}
