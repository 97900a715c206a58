/** Whether a metric improves by going up or down. Pure. */

export type Direction = 'lower' | 'higher';

const LOWER_RE = /loss|error|err\b|perplexity|ppl|wer|cer|mse|mae|rmse/i;

function parseGoal(value: unknown): Direction | null {
  if (typeof value !== 'string') return null;
  const v = value.toLowerCase();
  if (['min', 'minimize', 'lower', 'down', 'lower_is_better', 'decrease'].includes(v)) return 'lower';
  if (['max', 'maximize', 'higher', 'up', 'higher_is_better', 'increase'].includes(v)) return 'higher';
  return null;
}

/**
 * Directions the spec's `metrics` states. Accepted shapes: a list of names, a list of
 * `{name, goal|direction}`, or a mapping `name: min|max` / `name: {goal|direction}`.
 */
export function specDirections(metrics: unknown): { order: string[]; directions: Map<string, Direction> } {
  const order: string[] = [];
  const directions = new Map<string, Direction>();
  const add = (name: unknown, spec: unknown) => {
    if (typeof name !== 'string') return;
    order.push(name);
    const obj = spec && typeof spec === 'object' ? (spec as Record<string, unknown>) : null;
    const d = parseGoal(obj ? (obj.goal ?? obj.direction ?? obj.mode) : spec);
    if (d) directions.set(name, d);
  };
  if (Array.isArray(metrics)) {
    for (const m of metrics) {
      if (typeof m === 'string') add(m, null);
      else if (m && typeof m === 'object') add((m as Record<string, unknown>).name, m);
    }
  } else if (metrics && typeof metrics === 'object') {
    for (const [k, v] of Object.entries(metrics)) add(k, v);
  }
  return { order, directions };
}

export function metricDirection(name: string, stated: Map<string, Direction>): Direction {
  return stated.get(name) ?? (LOWER_RE.test(name) ? 'lower' : 'higher');
}
