/** Finding 8: distributed training, so patches can guard on rank 0. */
import type { AnalysisContext } from './context.js';
import { lineOf } from './syntax.js';
import type { Presence } from './types.js';

const DISTRIBUTED_MODULES = ['torch.distributed', 'torch.nn.parallel', 'deepspeed', 'horovod', 'torch_xla.distributed'];

export function findDistributed(ctx: AnalysisContext): Presence {
  const lines = [
    ...ctx.imports.filter((imp) => imp.modules.some((m) => DISTRIBUTED_MODULES.some((d) => m === d || m.startsWith(`${d}.`)))).map((imp) => lineOf(imp.node)),
    ...ctx.captured('distributed.call').map(lineOf),
    ...ctx.captured('distributed.env').map(lineOf),
    ...ctx.captured('distributed.rank').map(lineOf),
  ];
  const sorted = [...new Set(lines)].sort((a, b) => a - b);
  return { present: sorted.length > 0, lines: sorted };
}
