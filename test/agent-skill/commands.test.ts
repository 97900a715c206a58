/**
 * The skill is accurate to the CLI: every `expkit …` command in its ```sh blocks runs, in order,
 * in a scratch project (a small training script, a spec for a tiny real experiment), with its
 * placeholders filled from the JSON of earlier commands, and exits only with a code the README
 * documents for that situation.
 */
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { SKILL_DESCRIPTION, skillMarkdown } from '../../src/agent-skill/skill.js';
import { fixturePath } from '../support/cli.js';
import { SYSTEM_PYTHON } from '../support/components.js';
import { useProject } from '../support/runs.js';

/** The commands of the skill's ```sh blocks, in order, as argument arrays (without `expkit`). */
function skillCommands(markdown: string): string[][] {
  const blocks = [...markdown.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((m) => m[1]);
  const lines = blocks.flatMap((b) => b.split('\n')).filter((l) => l.trim() !== '');
  for (const line of lines) expect(line).toMatch(/^expkit [^|;&<>$`#]+$/); // one plain command per line
  return lines.map((l) => l.trim().split(/\s+/).slice(1));
}

const SPEC = `---
title: Skill check
hypothesis: the skill's commands work
seeds: [1, 2, 3]
metrics: [accuracy, loss]
baseline: 0.1
hyperparameters:
  epochs: 1
  num_samples: 64
  batch_size: 32
---

# Skill check
`;

describe('the SKILL.md', () => {
  test('starts with YAML frontmatter holding name and description, then instructions', () => {
    const text = skillMarkdown();
    const m = /^---\n([\s\S]*?)\n---\n\n# /.exec(text);
    expect(m).not.toBeNull();
    expect(parse(m![1])).toEqual({ name: 'expkit', description: SKILL_DESCRIPTION });
  });

  test('the CLI prints exactly it', async () => {
    const { runCli } = await import('../support/cli.js');
    const out = await runCli(['agent-skill']);
    expect(out.exitCode).toBe(0);
    expect(out.stdout).toBe(skillMarkdown());
  });
});

describe('every command the skill shows runs against the current CLI', () => {
  const p = useProject(() => ({ PYTHON: SYSTEM_PYTHON, WANDB_MODE: 'offline' }));

  test('in order, placeholders filled from earlier results, exit codes as documented', async () => {
    copyFileSync(fixturePath('instrument/plain_mlp/input.py'), join(p.dir, 'train.py'));
    writeFileSync(join(p.dir, 'experiments', 'skill.md'), SPEC);
    const original = readFileSync(join(p.dir, 'train.py'));
    const commands = skillCommands(skillMarkdown());
    // Every job of the issue is shown.
    for (const first of ['analyze', 'instrument', 'patches', 'revert', 'scaffold', 'doctor', 'launch', 'status', 'logs', 'wait', 'stop', 'collect']) {
      expect(commands.map((c) => c[0])).toContain(first);
    }

    const values: Record<string, string> = { FILE: 'train.py', SLUG: 'skill', OFFSET: '0' };
    let runNames: string[] = [];
    let applied = false;

    for (const args of commands) {
      // RUN is one run of the launch (the first); RUN... all of them.
      const uses = args.includes('RUN') || args.includes('RUN...');
      if (uses) expect(runNames.length).toBeGreaterThan(0);
      const filled = args.flatMap((a) => (a === 'RUN...' ? runNames : [a === 'RUN' ? runNames[0]! : (values[a] ?? a)]));
      for (const a of filled) expect(a).not.toMatch(/^(FILE|SLUG|RUN|RUN\.\.\.|ID|PLAN_ID|HASH|OFFSET)$/);
      const out = await p.cli(filled);
      const what = `expkit ${filled.join(' ')} → exit ${out.exitCode}\n${out.stdout}\n${out.stderr}`;
      const json = JSON.parse(out.stdout);
      const allowed = allowedExitCodes(filled, applied);
      if (!allowed.includes(out.exitCode)) throw new Error(`not a documented exit here (${allowed.join('/')}): ${what}`);

      if (filled[0] === 'instrument' && !filled.includes('--apply')) {
        expect(json.diff).toContain('+++ b/train.py');
        if (json.patchId !== undefined) values.ID = json.patchId;
      }
      if (filled[0] === 'instrument' && filled.includes('--apply')) {
        applied = true;
        expect(readFileSync(join(p.dir, 'train.py'))).not.toEqual(original);
      }
      if (filled[0] === 'revert' && applied) expect(readFileSync(join(p.dir, 'train.py'))).toEqual(original);
      if (filled[0] === 'scaffold' && filled.includes('--dry-run')) values.PLAN_ID = json.planId;
      if (filled[0] === 'scaffold' && filled.includes('--plan-id')) expect(existsSync(join(p.dir, 'experiments', 'code', 'skill', 'run.sh'))).toBe(true);
      if (filled[0] === 'launch' && filled.includes('--dry-run')) values.HASH = json.specHash;
      if (filled[0] === 'launch' && filled.includes('--spec-hash')) runNames = json.runs.map((r: { name: string }) => r.name);
      if (filled[0] === 'logs' && filled.includes('--since')) values.OFFSET = String(json.nextOffset);
      if (filled[0] === 'collect') {
        expect(json.n).toBe(3);
        expect(json.seeds).toEqual([1, 2, 3]);
      }
    }
    expect(runNames).toHaveLength(3);
  }, 300000);
});

/**
 * The exit codes the README documents for each command in this walk-through (a fresh, valid
 * project: everything succeeds, except what a missing step makes impossible).
 */
function allowedExitCodes(args: string[], applied: boolean): number[] {
  switch (args[0]) {
    case 'doctor':
      return [0, 1]; // 1: a check is an error (e.g. wandb not logged in is only a warning; low disk is an error)
    case 'revert':
      return applied ? [0] : [2]; // 2: a file with no recorded patch
    case 'patches':
      return [0];
    default:
      return [0]; // analyze, instrument, scaffold, launch, status, logs, wait (every run succeeded), stop (already ended), collect
  }
}
