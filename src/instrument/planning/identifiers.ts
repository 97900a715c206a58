/** Rewritten pattern sources: planners build the same patterns for every name they look up. */
const rewritten = new Map<string, string>();

/**
 * Python identifiers are Unicode (`modèle`, `optimiseur`, `損失`); JavaScript's `\w` is ASCII.
 * `unicodeIds` rewrites a pattern's `\w` and `[A-Za-z_]` into Unicode classes (and adds the `u` flag),
 * so the planners' name patterns read the same names Python does.
 */
export function unicodeIds(re: RegExp): RegExp {
  const flags = re.flags.includes('u') ? re.flags : `${re.flags}u`;
  let source = rewritten.get(re.source);
  if (source === undefined) {
    source = rewrite(re.source);
    rewritten.set(re.source, source);
  }
  // A new RegExp each time (callers use lastIndex); V8 caches its compiled form by source and flags.
  return new RegExp(source, flags);
}

function rewrite(src: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (c === '\\') {
      const next = src[i + 1]!;
      if (next === 'w') out += inClass ? '\\p{L}\\p{N}_' : '[\\p{L}\\p{N}_]';
      else out += c + next;
      i++;
      continue;
    }
    if (c === '[' && !inClass) inClass = true;
    else if (c === ']' && inClass) inClass = false;
    out += c;
  }
  return out.replace(/A-Za-z_/g, '\\p{L}_');
}
