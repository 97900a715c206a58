/**
 * The global random generators a checkpoint saves and restores, so a resumed run draws the same
 * numbers as an uninterrupted one: one expression to read each and one to set it back, shared by
 * every checkpoint helper (torch loops, JAX loops). Functions using them import `random`, `numpy`
 * and `torch` themselves.
 */
export type Generator = 'python' | 'numpy' | 'torch' | 'cuda';

const CAPTURE: Record<Generator, string> = {
  python: 'random.getstate()',
  numpy: 'numpy.random.get_state()',
  torch: 'torch.get_rng_state()',
  cuda: 'torch.cuda.get_rng_state_all()',
};

const RESTORE: Record<Generator, (saved: string) => string> = {
  python: (s) => `random.setstate(${s})`,
  numpy: (s) => `numpy.random.set_state(${s})`,
  torch: (s) => `torch.set_rng_state(${s})`,
  cuda: (s) => `torch.cuda.set_rng_state_all(${s})`,
};

/** Only where it exists: CUDA states are saved and restored only on a machine with CUDA. */
const AVAILABLE: Partial<Record<Generator, string>> = { cuda: 'torch.cuda.is_available()' };

/** A dict literal of the states of GENERATORS: `{"python": random.getstate(), …}`. */
export function rngDict(generators: Generator[]): string {
  return `{${generators.map((g) => `"${g}": ${CAPTURE[g]}`).join(', ')}}`;
}

/** Function-body lines storing GENERATOR's state into SAVED (a dict expression), guarded where it may not exist. */
export function captureRngInto(saved: string, generator: Generator): string[] {
  const line = `${saved}["${generator}"] = ${CAPTURE[generator]}`;
  const available = AVAILABLE[generator];
  return available ? [`    if ${available}:`, `        ${line}`] : [`    ${line}`];
}

/**
 * Function-body lines restoring GENERATORS from SAVED (a dict expression). An `if-saved` generator is
 * restored only when the checkpoint holds it (an older checkpoint, or one saved without CUDA).
 */
export function restoreRng(saved: string, generators: Array<[Generator, 'always' | 'if-saved']>): string[] {
  return generators.flatMap(([g, mode]) => {
    const restore = RESTORE[g](`${saved}["${g}"]`);
    if (mode === 'always') return [`    ${restore}`];
    const available = AVAILABLE[g];
    return [`    if "${g}" in ${saved}${available ? ` and ${available}` : ''}:`, `        ${restore}`];
  });
}
