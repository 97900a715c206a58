/** `expkit scaffold SLUG`: read the spec, render the templates, write them safely. */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { ExitCode, ExpkitError } from '../core/errors.js';
import { assertValidName } from '../core/names.js';
import { shJoin, shQuote } from '../core/quote.js';
import { scaffoldJson, scaffoldText, type ScaffoldSummary } from '../printers/scaffold.js';
import { renderScaffold } from '../scaffold/index.js';
import { planFiles } from '../scaffold/plan.js';
import { scaffoldPlanId } from '../scaffold/plan-id.js';
import { sameApprovalId } from '../core/approval-id.js';
import { resolveScaffoldConfig } from '../scaffold/resolve.js';
import { readScaffoldSpec } from '../scaffold/spec-input.js';
import { checkNothingInTheWay, writePlannedFiles } from '../scaffold/write.js';
import { findSpecPath } from '../spec/frontmatter.js';

export interface ScaffoldOptions {
  framework?: string;
  spec?: string;
  dir?: string;
  dryRun?: boolean;
  force?: boolean;
  json?: boolean;
  condaEnv?: string;
  venv?: string;
  python?: string;
  /** The planId of an approved dry run: write only if the plan is still exactly that. */
  planId?: string;
}

export async function scaffoldCommand(slug: string, opts: ScaffoldOptions): Promise<number> {
  assertValidName('slug', slug);
  const projectDir = resolve(opts.dir ?? '.');
  if (!existsSync(projectDir) || !statSync(projectDir).isDirectory()) {
    throw new ExpkitError(`project directory not found: ${opts.dir}`, { exitCode: ExitCode.Usage });
  }
  const specPath = findSpecPath(projectDir, slug, opts.spec);
  const spec = specPath ? readScaffoldSpec(specPath) : null;
  const config = resolveScaffoldConfig({ slug, spec, framework: opts.framework, condaEnv: opts.condaEnv, venv: opts.venv, python: opts.python });
  // config.yaml records the spec relative to the project, so it reads the same on every machine.
  if (specPath) config.specPath = relative(projectDir, resolve(specPath)) || specPath;
  const experimentDir = `experiments/code/${slug}`;
  const abs = (projectPath: string) => join(projectDir, projectPath);
  checkNothingInTheWay(projectDir, experimentDir);
  const existing = (projectPath: string): string | null => {
    const path = abs(projectPath);
    if (!existsSync(path)) return null;
    if (!statSync(path).isFile()) throw new ExpkitError(`${path} exists and is not a file; nothing written`, { exitCode: ExitCode.Refused });
    return readFileSync(path, 'utf8');
  };
  const files = planFiles(renderScaffold(config), experimentDir, existing, (p) => existsSync(abs(p)), opts.force ?? false);

  const planId = scaffoldPlanId(files);
  if (opts.planId !== undefined && !sameApprovalId(opts.planId, planId)) {
    throw new ExpkitError(`the scaffold plan is not the approved one (--plan-id ${opts.planId}, now ${planId}): the spec, the flags or the files changed since the preview; nothing written`, {
      exitCode: ExitCode.Refused,
      hint: `preview again with expkit scaffold ${slug} --dry-run --json and approve the new planId`,
    });
  }

  const conflicts = files.filter((f) => f.action === 'conflict');
  if (conflicts.length > 0 && !opts.dryRun) {
    const names = conflicts.map((f) => f.projectPath).join(', ');
    throw new ExpkitError(`${conflicts.length} file(s) already exist and differ: ${names}; nothing written`, {
      exitCode: ExitCode.Refused,
      hint: 'preview with --dry-run; --force replaces them and keeps each old file as FILE.bak',
    });
  }
  if (!opts.dryRun) writePlannedFiles(projectDir, files);

  const cwd = process.cwd();
  const rel = (path: string) => relative(cwd, path) || '.';
  const cd = projectDir === cwd ? '' : `cd ${shQuote(rel(projectDir))} && `;
  const summary: ScaffoldSummary = {
    slug,
    framework: config.framework,
    dryRun: opts.dryRun ?? false,
    spec: specPath ? rel(resolve(specPath)) : null,
    directory: rel(abs(experimentDir)),
    files,
    planId,
    warnings: config.warnings,
    next: {
      smoke: `${cd}${shJoin([`${experimentDir}/run.sh`, '--smoke'])}`,
      full: `${cd}${experimentDir}/run.sh`,
      launch: `${cd}${shJoin(['expkit', 'launch', slug])}`,
    },
  };
  if (opts.json) {
    process.stdout.write(scaffoldJson(summary));
  } else {
    for (const w of config.warnings) process.stderr.write(`expkit: warning: ${w}\n`);
    process.stdout.write(scaffoldText(summary));
  }
  return ExitCode.Ok;
}
