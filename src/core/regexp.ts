/** Text to match literally inside a regular expression (a metric name, a line ending). */
export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
