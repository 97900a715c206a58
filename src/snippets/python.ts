/**
 * Python snippets that expkit writes into generated and instrumented code: seeding, RNG state,
 * atomic checkpoints with resume-latest, rank-0 wandb (and a stored run id), atomic results JSON
 * and the git commit, flags with a YAML config file.
 * Each is a pure function returning Python source, indented by `indent`; the matching
 * `*_IMPORTS` constants list the import statements it relies on.
 */
export { indentBlock } from './indent.js';
export { SEEDING_IMPORTS, seedingSnippet, rngStateSnippet } from './seeding.js';
export { CHECKPOINT_IMPORTS, checkpointSnippet } from './checkpoint.js';
export { WANDB_IMPORTS, WANDB_RUN_ID_IMPORTS, wandbInitSnippet, wandbRunIdSnippet } from './wandb.js';
export { RESULTS_IMPORTS, resultsSnippet } from './results.js';
export { CONFIG_IMPORTS, configSnippet } from './config.js';
