/** Finding 7: tracking, seeding and checkpointing that are already there. */
import type { SyntaxNode } from '../parser/index.js';
import type { AnalysisContext } from './context.js';
import { dottedName, lineOf, receiverLastName } from './syntax.js';
import type { Presence } from './types.js';

function presence(lines: number[]): Presence {
  const sorted = [...new Set(lines)].sort((a, b) => a - b);
  return { present: sorted.length > 0, lines: sorted };
}

/** `report_to="wandb"`, `report_to=["wandb", "tensorboard"]`, `log_with="wandb"`. */
function namesWandb(value: SyntaxNode): boolean {
  if (value.type === 'string') return /^[rbuf]*["']{1,3}wandb["']{1,3}$/i.test(value.text) || value.text.replace(/["']/g, '') === 'all';
  if (value.type === 'list' || value.type === 'tuple') return value.namedChildren.some(namesWandb);
  return false;
}

/** torch.save / model.save / fabric.save / accelerator.save — not np.save or image.save. */
function isCheckpointSave(receiver: SyntaxNode | null): boolean {
  const dotted = dottedName(receiver);
  if (dotted === 'torch') return true;
  const last = receiverLastName(receiver) ?? '';
  return /model|net|fabric|accelerator|ckpt|checkpoint|manager|saver|trainer|module|engine/i.test(last);
}

export function findExisting(ctx: AnalysisContext): { wandb: Presence; seed: Presence; checkpoint: Presence } {
  const wandbImports = ctx.imports.filter((imp) => imp.modules.some((m) => m === 'wandb' || m.startsWith('wandb.'))).map((imp) => lineOf(imp.node));
  const trackerKeywords = ctx
    .captured('existing.tracker_keyword')
    .filter((kw) => {
      const value = kw.childForFieldName('value');
      return value !== null && namesWandb(value);
    })
    .map(lineOf);
  const seedLines = ctx
    .captured('existing.seed')
    .filter((n) => n.type !== 'keyword_argument' || n.parent?.type === 'argument_list')
    .map(lineOf);
  const saves = ctx
    .captured('existing.save')
    .filter((call) => isCheckpointSave(call.childForFieldName('function')?.childForFieldName('object') ?? null))
    .map(lineOf);
  return {
    wandb: presence([...wandbImports, ...ctx.captured('existing.wandb').map(lineOf), ...trackerKeywords]),
    seed: presence(seedLines),
    checkpoint: presence([...ctx.captured('existing.checkpoint').map(lineOf), ...saves]),
  };
}
