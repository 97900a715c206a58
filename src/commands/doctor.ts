import { ExpkitError } from '../core/errors.js';
export async function doctorCommand(_opts: { python?: string; json?: boolean }): Promise<number> {
  throw new ExpkitError('doctor is being built');
}
