/**
 * `expkit agent-skill [--install DIR] [--force]`: print the SKILL.md coding agents load, or
 * install it as DIR/expkit/SKILL.md (e.g. DIR = .claude/skills). The install is atomic and never
 * replaces a different SKILL.md (the researcher may have edited it) without --force; with
 * --force the old one is kept as SKILL.md.bak.
 */
import { copyFileSync, existsSync, lstatSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { ExitCode, ExpkitError } from '../core/errors.js';
import { writeFileAtomic } from '../io/atomic.js';
import { storageError } from '../io/write-errors.js';
import { SKILL_NAME, skillMarkdown } from '../agent-skill/skill.js';
import { backupName } from '../scaffold/plan.js';

export interface AgentSkillOptions {
  install?: string;
  force?: boolean;
  json?: boolean;
}

export type InstallAction = 'written' | 'unchanged' | 'replaced';

export async function agentSkillCommand(opts: AgentSkillOptions): Promise<number> {
  const text = skillMarkdown();
  if (opts.install === undefined) {
    process.stdout.write(opts.json ? JSON.stringify({ schemaVersion: 1, name: SKILL_NAME, skill: text }, null, 2) + '\n' : text);
    return ExitCode.Ok;
  }
  const path = resolve(opts.install, SKILL_NAME, 'SKILL.md');
  const { action, backup } = install(path, text, opts.force ?? false);
  const shown = relative(process.cwd(), path) || path;
  if (opts.json) {
    process.stdout.write(JSON.stringify({ schemaVersion: 1, path: shown, action, backup: backup ?? null }, null, 2) + '\n');
  } else {
    const verb = { written: 'wrote', unchanged: 'already up to date:', replaced: 'replaced' }[action];
    process.stdout.write(`${verb} ${shown}${backup ? ` (old one kept as ${relative(process.cwd(), backup) || backup})` : ''}\n`);
  }
  return ExitCode.Ok;
}

function install(path: string, text: string, force: boolean): { action: InstallAction; backup?: string } {
  let action: InstallAction = 'written';
  let backup: string | undefined;
  if (existsSync(path) || isLink(path)) {
    if (!lstatSync(path).isFile()) {
      throw new ExpkitError(`${path} exists and is not a plain file; nothing written`, { exitCode: ExitCode.Refused, hint: 'move it away and run the command again' });
    }
    if (readFileSync(path, 'utf8') === text) return { action: 'unchanged' };
    if (!force) {
      throw new ExpkitError(`${path} exists and differs from expkit's skill; nothing written`, {
        exitCode: ExitCode.Refused,
        hint: 'compare it with `expkit agent-skill`; --force replaces it and keeps the old one as SKILL.md.bak',
      });
    }
    backup = backupName(path, existsSync);
    action = 'replaced';
  }
  try {
    if (backup) copyFileSync(path, backup);
    writeFileAtomic(path, text, { mkdirs: true });
  } catch (err) {
    throw storageError(err, path, 'nothing written');
  }
  return { action, backup };
}

function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}
