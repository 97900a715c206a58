/**
 * The SKILL.md `expkit agent-skill` prints: how a coding agent does the common jobs with expkit
 * instead of hand edits and `sleep; tail` loops. Every command in its ```sh blocks is run by
 * test/agent-skill/commands.test.ts, so keep them real: placeholders are FILE, SLUG, RUN, ID,
 * PLAN_ID, HASH and OFFSET, and each must come from an earlier command's JSON.
 */

export const SKILL_NAME = 'expkit';

export const SKILL_DESCRIPTION =
  'Turn a Python training script into a reproducible, tracked ML experiment with the expkit CLI: analyze it, add W&B/seeding/checkpointing as an approved patch, scaffold an experiment from a spec, smoke-test then launch seeds, monitor runs incrementally, collect results. Use instead of hand-editing training scripts or polling logs with sleep/tail.';

const BODY = `# expkit for coding agents

expkit does by command what you would otherwise do by hand: it patches training scripts as
reviewable diffs, writes experiments from a spec, launches runs that survive the terminal and
records them, and reads their logs and results for you. Prefer it to editing scripts yourself or
polling logs with \`sleep\` and \`tail\`.

## Rules

- Always pass \`--json\`: stdout is then exactly one JSON document. On failure it is
  \`{"schemaVersion": 1, "error": {"message", "exitCode", "hint"}}\`: read \`message\` and follow
  \`hint\`; never parse stderr.
- Exit codes: 0 success; 1 a negative result (a failed run, a failed smoke test, no disk space);
  2 bad usage or input (fix the command); 3 refused to protect files (changed since the preview,
  would overwrite, spec already running): preview again, do not force; 4 a component is missing
  (run \`expkit doctor --json\`); 124 \`wait\` timed out (the run goes on); 70 an expkit bug.
- Nothing is changed without approval. Previews return an id (\`patchId\`, \`planId\`,
  \`specHash\`); show the researcher the preview, and act only with that id. If the command then
  exits 3, the file or plan changed since: preview again and ask again.
- Never edit what expkit wrote by hand to undo it: use \`expkit revert\`.

## Instrument a training script (W&B, seeding, checkpoint/resume)

\`\`\`sh
expkit analyze FILE --json
expkit instrument FILE --wandb --seed --checkpoint --json
\`\`\`

The first shows what the script does (framework, loops, config, what it already has). The second
changes nothing: it returns \`diff\` (show it to the researcher as it is), \`edits\`, \`skipped\`
(kinds that cannot be placed, with the reason) and \`patchId\`. Once the researcher approves
that diff, apply exactly it:

\`\`\`sh
expkit instrument FILE --wandb --seed --checkpoint --apply --patch-id ID --json
expkit patches FILE --json
\`\`\`

Use the same flags as the preview. Exit 3 means the file or the plan changed since the preview.
\`expkit patches\` lists the applied layers. To undo the newest layer (byte for byte):

\`\`\`sh
expkit revert FILE --json
\`\`\`

## Scaffold an experiment from a spec

Write the spec as \`experiments/SLUG.md\` (YAML frontmatter: \`title\`, \`hypothesis\`, \`setup\`,
\`metrics\`, \`baseline\`, \`seeds\`, \`hyperparameters\`), then preview and write with the plan's id:

\`\`\`sh
expkit scaffold SLUG --dry-run --json
expkit scaffold SLUG --plan-id PLAN_ID --json
\`\`\`

The dry run lists every file (\`path\`, \`bytes\`, \`action\`) and the \`planId\`; show it. A file
with \`action: "conflict"\` exists and differs: ask before adding \`--force\` (to both commands;
the old file is kept as \`FILE.bak\`). \`warnings\` name misspelled spec fields: fix the spec.

## Smoke test, then launch the seeds

\`\`\`sh
expkit doctor --json
expkit launch SLUG --seeds 1,2,3 --smoke --dry-run --json
expkit launch SLUG --seeds 1,2,3 --smoke --spec-hash HASH --json
\`\`\`

\`doctor\` says what a launch will meet (Python, torch/CUDA, wandb, backends, GPUs, disk) and the
fix for each problem. The dry run shows each run's command and the \`specHash\`; the launch with
the same flags and that hash first runs a smoke test in the foreground (exit 1 and its last lines
if it fails: fix the code, do not launch) and then starts one run per seed in the background.
\`runs[].name\` is each run's RUN name. Add \`--stop-on nan\` to stop a run at its first
non-finite loss.

## Monitor without polling loops

\`\`\`sh
expkit status --json
expkit status RUN --json
expkit logs RUN --since OFFSET --json
expkit wait RUN... --all --timeout 10m --json
\`\`\`

\`status\` gives each run's \`state\` (\`running\`, \`succeeded\`, \`failed\`, \`stopped\`, \`lost\`…),
its \`progress\` and \`anomalies\` (\`nan-loss\`, \`cuda-oom\`, \`traceback\`, \`killed\`, \`nccl\`, each
with a suggestion). \`logs --since OFFSET\` returns only the text after OFFSET and the
\`nextOffset\` to pass next time (start with 0): never re-read the whole log. \`wait\` takes
every run of the launch and blocks until all have ended (\`--any\`: until the first one has):
\`ended\` lists them with their state, \`pending\` the others; exit 0 when all that ended
succeeded, 1 otherwise, 124 when the timeout passed first (the runs go on; wait again). A run
that diverges or misbehaves:

\`\`\`sh
expkit stop RUN --json
\`\`\`

## Collect and report

\`\`\`sh
expkit collect SLUG --json
\`\`\`

Once every run has ended: each metric's mean ± std over seeds, the delta to the spec's
\`baseline\`, \`outcome\` (\`succeeded\`, \`failed\`, \`inconclusive\`) with its \`reason\`,
\`missingSeeds\`, \`crashedSeeds\` (with the crash line) and \`divergedSeeds\`. Report these
numbers as they are; the spec gets \`status: completed\` and the result. Exit 3 while runs still
run: wait for them first.
`;

/** The whole SKILL.md: YAML frontmatter (name, description), then the instructions. */
export function skillMarkdown(): string {
  // JSON strings are valid YAML flow scalars: the description needs no YAML quoting rules of its own.
  return `---\nname: ${SKILL_NAME}\ndescription: ${JSON.stringify(SKILL_DESCRIPTION)}\n---\n\n${BODY}`;
}
