/**
 * Seeds are integers in 0..2^32-1: the range numpy's `seed()` accepts (torch takes more, numpy is
 * the narrowest library a training script seeds). Pure.
 */
export const MAX_SEED = 2 ** 32 - 1;

export const SEED_RANGE_TEXT = `an integer from 0 to ${MAX_SEED}`;

export function isValidSeed(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 && value <= MAX_SEED;
}

/**
 * The spec's `seeds`: a list of seeds, or a count (`3` is `[1, 2, 3]`, as the scaffold reads it).
 * Entries that are not valid seeds are left out; null when the field says nothing usable.
 */
export function specSeeds(value: unknown): number[] {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0 && value <= 10000) {
    return Array.from({ length: value }, (_, i) => i + 1);
  }
  return Array.isArray(value) ? value.filter(isValidSeed) : [];
}
