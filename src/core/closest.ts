/** "Did you mean …?" for names a user typed: edit distance and the closest known name. */

/**
 * Optimal-string-alignment distance: insertions, deletions, substitutions and swaps of two
 * neighbouring characters each cost 1 (`metircs` is one swap from `metrics`).
 */
export function editDistance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) rows[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2][j - 2] + 1);
      rows[i][j] = d;
    }
  }
  return rows[a.length][b.length];
}

/**
 * Whether NAME and KNOWN share a `_`-separated word, or one begins with the other
 * (`hidden` and `hidden_size`, `drop` and `dropout`); words under 3 characters do not count.
 */
function sharesWord(name: string, known: string): boolean {
  const words = (s: string) => s.toLowerCase().split(/[_\-.]+/).filter((w) => w.length >= 3);
  const mine = words(name);
  return words(known).some((w) => mine.some((m) => w.startsWith(m) || m.startsWith(w)));
}

/**
 * The known name closest to NAME: one sharing a word with it first, then the smallest edit
 * distance (ties: the first in KNOWN). Null when KNOWN is empty.
 */
export function closestName(name: string, known: readonly string[]): string | null {
  let best: { name: string; score: number } | null = null;
  for (const k of known) {
    const score = editDistance(name.toLowerCase(), k.toLowerCase()) - (sharesWord(name, k) ? 1000 : 0);
    if (!best || score < best.score) best = { name: k, score };
  }
  return best?.name ?? null;
}

/**
 * The known name NAME is probably a misspelling of: within 1 edit for names of up to 4
 * characters, 2 for longer ones. Null when nothing is that close (a name of its own).
 */
export function likelyTypoOf(name: string, known: readonly string[]): string | null {
  const limit = name.length <= 4 ? 1 : 2;
  let best: { name: string; distance: number } | null = null;
  for (const k of known) {
    if (k === name) return null;
    const distance = editDistance(name.toLowerCase(), k.toLowerCase());
    if (distance <= limit && (!best || distance < best.distance)) best = { name: k, distance };
  }
  return best?.name ?? null;
}
