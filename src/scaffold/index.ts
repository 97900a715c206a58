/**
 * The scaffold's files for a resolved config: pure, no I/O. Paths are relative to the
 * experiment directory (experiments/code/SLUG/).
 */
import { configYaml } from './config-yaml.js';
import { hfTrainerFiles } from './hf-trainer.js';
import { lightningFiles } from './lightning.js';
import { pytorchFiles } from './pytorch.js';
import { requirementsTxt } from './requirements.js';
import { runSh } from './run-sh.js';
import type { GeneratedFile, ScaffoldConfig } from './types.js';

export function renderScaffold(config: ScaffoldConfig): GeneratedFile[] {
  const code =
    config.framework === 'hf-trainer' ? hfTrainerFiles(config) : config.framework === 'lightning' ? lightningFiles(config) : pytorchFiles(config);
  return [...code, configYaml(config), runSh(config), requirementsTxt(config.framework)];
}
