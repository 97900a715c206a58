/** The readable `expkit analyze FILE` report: every finding with its line and source line. */
import type { Analysis, Evidence } from '../analyze/types.js';
import { oneLineSummary, entryPointScore } from '../analyze/project.js';

type LineLookup = (line: number) => string;

function src(line: number, lookup: LineLookup, note = ''): string {
  return `    ${String(line).padStart(5)} │ ${lookup(line)}${note ? `    ← ${note}` : ''}`;
}

function evidence(items: Evidence[]): string[] {
  return items.map((e) => `    ${String(e.line).padStart(5)} │ ${e.text}`);
}

function yesNo(present: boolean, lines: number[]): string {
  return present ? `yes (line${lines.length > 1 ? 's' : ''} ${lines.join(', ')})` : 'no';
}

export function formatAnalysis(a: Analysis, lookup: LineLookup): string {
  const out: string[] = [];
  out.push(`${a.file}`);
  const variant = a.framework.variant ? ` (${a.framework.variant})` : '';
  out.push(`  framework: ${a.framework.name}${variant}`);
  out.push(...evidence(a.framework.evidence.slice(0, 6)));
  for (const o of a.framework.objects) {
    const bound = o.variable ? `bound to \`${o.variable}\`` : 'not bound to a name';
    out.push(src(o.line, lookup, `${o.role} ${o.callee}, ${bound}${o.function ? ` in ${o.function}()` : ''}`));
  }
  const lib = a.framework.libraryTrainer;
  if (lib) {
    out.push(`  library trainer: \`${lib.variable}\` (${lib.callee}, line ${lib.line}); its training loop lives in ${lib.module}, run at line ${lib.runLine}`);
    for (const cb of lib.callbacks) out.push(src(cb.line, lookup, `callback ${cb.method}${cb.event ? ` ${cb.event}` : ''}${cb.callback ? ` → ${cb.callback}` : ''}`));
  }

  out.push(a.imports ? `  imports: lines ${a.imports.startLine}–${a.imports.endLine}; modules: ${a.imports.modules.join(', ')}` : '  imports: none');

  const c = a.config;
  if (c.kind === 'none') out.push('  config: none (no command-line configuration)');
  else {
    const parts = [`  config: ${c.kind}`];
    if (c.parserVar) parts.push(`parser \`${c.parserVar}\``);
    if (c.createdLine) parts.push(`created at line ${c.createdLine}`);
    if (c.parseLine) parts.push(`parsed at line ${c.parseLine}`);
    if (c.argsVars.length) parts.push(`bound to ${c.argsVars.map((v) => `\`${v}\``).join(', ')}`);
    out.push(parts.join(', '));
    for (const arg of c.arguments) {
      const details = [arg.dest && `dest ${arg.dest}`, arg.type && `type ${arg.type}`, arg.default !== null && `default ${arg.default}`].filter(Boolean).join(', ');
      out.push(src(arg.line, lookup, `${arg.flags.join(' ')}${details ? ` (${details})` : ''}`));
    }
  }

  if (a.trainLoops.length === 0) out.push('  training: none found (this file does not train)');
  a.trainLoops.forEach((loop, i) => {
    const where = loop.function ? ` in ${loop.function}()` : ' at module level';
    const label = loop.kind === 'framework-call' ? 'framework call' : `${loop.kind} loop`;
    out.push(`  training ${i === 0 ? '(best)' : `#${i + 1}`}: ${label}, lines ${loop.line}–${loop.endLine}${where}`);
    for (const m of loop.stepMarkers) out.push(src(m.line, lookup, m.kind));
    if (loop.via.length > 0) {
      const chain = loop.via.map((v) => `${v.function}() (called at line ${v.callLine}, defined at line ${v.line})`).join(' → ');
      out.push(`    step reached through ${chain}`);
    }
    if (loop.outer) out.push(`    called from the ${loop.outer.function ? `${loop.outer.function}() ` : ''}loop at lines ${loop.outer.line}–${loop.outer.endLine}`);
    if (loop.className) out.push(`    trainer class ${loop.className}: ${loop.methods.map((m) => `${m}()`).join(' → ')}`);
  });

  if (a.evalPoints.length === 0) out.push('  evaluation: none found');
  else {
    out.push('  evaluation:');
    for (const p of a.evalPoints) out.push(src(p.line, lookup, p.kind));
  }

  const x = a.exitPoints;
  out.push(`  entry: ${x.mainGuardLine ? `__main__ guard at lines ${x.mainGuardLine}–${x.mainGuardEndLine}` : 'no __main__ guard'}${x.mainFunction ? `, calls ${x.mainFunction}() (lines ${x.mainFunctionLine}–${x.mainFunctionEndLine})` : x.moduleLevel ? ', module-level script' : ''}`);
  for (const l of x.sysExitLines) out.push(src(l, lookup, 'exit'));
  for (const l of x.returnLines) out.push(src(l, lookup, `return from ${x.mainFunction}()`));

  const { seed, checkpoint } = a.existing;
  const seedNote = seed.randomDefault ? `, random unless given (line ${seed.randomDefaultLine})` : '';
  const ckptNote = checkpoint.kind ? ` ${checkpoint.kind === 'resumable' ? 'resumable' : 'weights export only'}${checkpoint.resumes ? ', resumed' : ', never resumed'}` : '';
  const ckptLibrary = checkpoint.library ? `, library ${checkpoint.library}` : '';
  out.push(`  already there: wandb ${yesNo(a.existing.wandb.present, a.existing.wandb.lines)}; seed ${yesNo(seed.present, seed.lines)}${seedNote}; checkpoint ${yesNo(checkpoint.present, checkpoint.lines)}${ckptNote}${ckptLibrary}`);
  out.push(`  distributed: ${yesNo(a.distributed.present, a.distributed.lines)}`);
  if (a.parseErrors.length) {
    out.push(`  syntax errors (${a.parseErrors.length}); analysis is partial around them:`);
    for (const e of a.parseErrors) out.push(src(e.line, lookup, `column ${e.column}`));
  }
  return out.join('\n') + '\n';
}

export function formatProject(ranked: { analysis: Analysis }[], root: string): string {
  if (ranked.length === 0) return `${root}: no training entry points found\n`;
  const lines = [`Likely training entry points in ${root} (best first):`];
  ranked.forEach(({ analysis }, i) => {
    lines.push(`  ${String(i + 1).padStart(2)}. ${analysis.file}  [score ${entryPointScore(analysis)}]  ${oneLineSummary(analysis)}`);
  });
  lines.push(`Run \`expkit analyze ${ranked[0]!.analysis.file}\` for the details.`);
  return lines.join('\n') + '\n';
}
