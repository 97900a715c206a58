/** Finding 8: distributed training, so patches can guard on rank 0. */
import type { SyntaxNode } from '../parser/index.js';
import type { AnalysisContext } from './context.js';
import { callReceiver, lineOf } from './syntax.js';
import type { Presence } from './types.js';

// Not `torch.nn.parallel` as such: its DataParallel is single-process (its DistributedDataParallel counts).
const DISTRIBUTED_MODULES = ['torch.distributed', 'deepspeed', 'horovod', 'torch_xla.distributed'];
const DISTRIBUTED_CALLS = [
  'init_process_group', 'destroy_process_group', 'DistributedDataParallel', 'DDP', 'DistributedSampler',
  'Accelerator', 'Fabric', 'get_rank', 'get_world_size', 'barrier', 'all_reduce', 'is_initialized',
];
const SPAWNERS = new Set(['mp', 'torch.multiprocessing', 'multiprocessing']);
/** Variables set by torchrun and SLURM, read as `os.environ["RANK"]` or `os.getenv("RANK")`. */
const RANK_ENV = /["'](WORLD_SIZE|RANK|LOCAL_RANK|LOCAL_WORLD_SIZE|SLURM_PROCID|SLURM_LOCALID|MASTER_ADDR|MASTER_PORT)["']/;
/** accelerator.is_main_process, fabric.global_rank, trainer.is_global_zero, args.local_rank. */
const RANK_ATTRIBUTE = /\.\s*(is_main_process|is_local_main_process|global_rank|is_global_zero|local_rank)\b/;

/** `from torch.nn.parallel import DistributedDataParallel (as DDP)`. */
function importsName(node: SyntaxNode, name: string): boolean {
  return node.childrenForFieldName('name').some((n) => (n.type === 'aliased_import' ? n.childForFieldName('name') : n)?.text === name);
}

export function findDistributed(ctx: AnalysisContext): Presence {
  const lines = [
    ...ctx.imports.filter((imp) => imp.modules.some((m) => DISTRIBUTED_MODULES.some((d) => m === d || m.startsWith(`${d}.`)))).map((imp) => lineOf(imp.node)),
    ...ctx.imports.filter((imp) => imp.modules.includes('torch.nn.parallel') && importsName(imp.node, 'DistributedDataParallel')).map((imp) => lineOf(imp.node)),
    ...ctx.calls(...DISTRIBUTED_CALLS).map(lineOf),
    ...ctx.methodCalls('spawn').filter((c) => SPAWNERS.has(callReceiver(c)?.text ?? '')).map(lineOf),
    ...ctx.nodesAtText(RANK_ENV, 'string').map(lineOf),
    ...ctx.nodesAtText(RANK_ATTRIBUTE, 'attribute').map(lineOf),
  ];
  const sorted = [...new Set(lines)].sort((a, b) => a - b);
  return { present: sorted.length > 0, lines: sorted };
}
