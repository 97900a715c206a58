/** The HF Trainer resumes from the newest checkpoint-N folder of its output_dir. */
import { pyFunction } from './definition.js';

export const HF_LAST_CHECKPOINT = pyFunction('last_checkpoint', [
  'def _expkit_last_checkpoint(output_dir):',
  '    """The newest checkpoint-N folder in output_dir, or None to start fresh (added by expkit)."""',
  '    import os',
  '',
  '    from transformers.trainer_utils import get_last_checkpoint',
  '',
  '    return get_last_checkpoint(output_dir) if os.path.isdir(output_dir) else None',
]);
