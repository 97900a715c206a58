/**
 * What the planners know about the script: its analysis, its syntax tree, and lookups that place
 * code (the statement on a line, a function by name, the scope where configuration is known).
 */
import type { Analysis, TrainLoop } from '../../analyze/types.js';
import type { SyntaxNode } from '../../parser/index.js';
import { lineAt, type SourceText } from '../../core/source-text.js';
import type { InstrumentOptions, PatchKind } from '../types.js';
import { enclosingFunction, parameterNames } from '../../analyze/syntax.js';
import { EditBuilder } from './edit-builder.js';
import { unicodeIds } from './identifiers.js';
import { indexSyntax, type ImportBinding, type SyntaxIndex } from './syntax-index.js';

export interface ListMerge {
  call: SyntaxNode;
  name: string;
  elements: string[];
  kind: PatchKind;
  reasons: string[];
  single: boolean;
  /** Entries of a dict keyword (`trainer_defaults={"logger": …}`) rather than list elements. */
  dict?: boolean;
}

/**
 * One patch kind's contribution, kept apart until its planner succeeds: a planner that gives up
 * leaves no edit, import, helper or list element behind.
 */
export class Fragment {
  readonly b: EditBuilder;
  readonly warnings: string[] = [];
  /** Import lines (`import wandb`), inserted once after the file's imports. */
  readonly imports = new Set<string>();
  /** Helper functions by name, inserted once after the imports. */
  readonly helpers = new Map<string, string[]>();
  /** Module-level statements that run right after the imports and helpers. */
  readonly preamble: string[] = [];
  /** Why each group of preamble statements is there, for the edit's reason. */
  readonly preambleReasons: string[] = [];
  /** Elements to add to list keywords (`callbacks=`), collected so each keyword gets one edit. */
  readonly listMerges = new Map<string, ListMerge>();

  constructor(
    readonly kind: PatchKind,
    src: SourceText,
  ) {
    this.b = new EditBuilder(src);
  }
}

/** Facts one kind's plan leaves for the others (the checkpoint patch tells wandb where the run id is kept). */
export interface SharedFacts {
  /** The checkpoint patch placed per-run checkpoints for a hand-written loop (wandb then resumes the run it stored). */
  resumableCheckpoint: boolean;
}

export class PlanContext {
  private current: Fragment;
  readonly facts: SharedFacts = { resumableCheckpoint: false };

  constructor(
    readonly analysis: Analysis,
    readonly src: SourceText,
    readonly root: SyntaxNode,
    readonly options: InstrumentOptions,
  ) {
    this.current = new Fragment('wandb', src);
  }

  private index?: SyntaxIndex;

  /** Calls, keywords, definitions, imports and assignments of the script, each looked up when first asked for. */
  get syntax(): SyntaxIndex {
    this.index ??= indexSyntax(this.root, this.src.text);
    return this.index;
  }

  /** Calls whose callee is `pattern` (a regular expression source matched against the callee's end: `(?:\\w+\\.)*Trainer`). */
  callsTo(pattern: string): SyntaxNode[] {
    // Found in the text, confirmed by the tree (a match in a comment or string is no call): far
    // cheaper than listing every call when only a few names are asked for.
    const out: SyntaxNode[] = [];
    for (const m of this.src.text.matchAll(unicodeIds(new RegExp(`(?<![\\w])(${pattern})\\s*\\(`, 'g')))) {
      const id = this.root.descendantForIndex(m.index!, m.index! + m[1]!.length);
      const fn = id.parent?.type === 'attribute' ? id.parent : id;
      if (fn.parent?.type === 'call' && fn.parent.childForFieldName('function')?.id === fn.id) out.push(fn.parent);
    }
    return out;
  }

  /** Whether any call passes the keyword `name=` (code only: comments and strings never count). */
  passesKeyword(name: string): boolean {
    return this.syntax.keywordsNamed(name).length > 0;
  }

  /** The import bindings of a module (`import lightning as L`, `from lightning import Trainer`). */
  importsOf(module: string): ImportBinding[] {
    return this.syntax.imports.filter((i) => i.module === module || i.module.startsWith(`${module}.`));
  }

  /**
   * Assignment statements in `scope` (a function, nested code included) or, for null, in
   * module-level code, in source order; only those binding `name` when given.
   */
  assignmentsIn(scope: SyntaxNode | null, name?: string): SyntaxNode[] {
    const byName = this.syntax.assignmentsIn(scope);
    if (name !== undefined) return byName.get(name) ?? [];
    return [...new Set([...byName.values()].flat())].sort((a, b) => a.startIndex - b.startIndex);
  }

  /** Plan one kind into a fresh fragment; returns the fragment, or the reason it was not placed. */
  planFragment(kind: PatchKind, planner: (ctx: PlanContext) => string | null): Fragment | string {
    const previous = this.current;
    const facts = { ...this.facts };
    const fragment = new Fragment(kind, this.src);
    this.current = fragment;
    try {
      const why = planner(this);
      if (why === null) return fragment;
      Object.assign(this.facts, facts);
      return why;
    } finally {
      this.current = previous;
    }
  }

  /** The fragment being planned: its edit builder, imports, helpers. */
  get fragment(): Fragment {
    return this.current;
  }
  get b(): EditBuilder {
    return this.current.b;
  }
  get kind(): PatchKind {
    return this.current.kind;
  }
  get warnings(): string[] {
    return this.current.warnings;
  }
  get helpers(): Map<string, string[]> {
    return this.current.helpers;
  }
  get listMerges(): Map<string, ListMerge> {
    return this.current.listMerges;
  }
  get preamble(): string[] {
    return this.current.preamble;
  }

  /** Module-level statements right after the imports and helpers, and why they are there. */
  addPreamble(lines: string[], reason: string): void {
    this.current.preamble.push(...lines);
    this.current.preambleReasons.push(reason);
  }

  /**
   * Ask for a helper function (or block of them) named after its first function, unless the file
   * already defines it (an earlier expkit layer).
   */
  needHelper(name: string, lines: string[]): void {
    if (this.syntax.functions.get(name)?.some((fn) => fn.parent?.type === 'module')) return;
    this.current.helpers.set(name, lines);
  }

  /** Ask for `import module` (or a from-import line) unless the file already imports it. */
  needImport(line: string, module: string): void {
    const imported = this.analysis.imports?.modules ?? [];
    if (line.startsWith('import ') && imported.includes(module)) return;
    if (line.startsWith('from ') && this.syntax.imports.some((i) => i.imported !== null && normalizedImport(i.statement.text) === normalizedImport(line))) return;
    this.current.imports.add(line);
  }

  text(node: SyntaxNode): string {
    return this.src.text.slice(node.startIndex, node.endIndex);
  }

  /** The outermost statement that starts on a 1-based line (a child of a block or the module). */
  statementAt(line: number): SyntaxNode | null {
    const start = this.src.lineStarts[line - 1];
    if (start === undefined) return null;
    const lineEnd = this.src.lineStarts[line] ?? this.src.text.length;
    const offset = this.src.text.slice(start, lineEnd).search(/\S/);
    if (offset < 0) return null;
    let node: SyntaxNode | null = this.root.descendantForIndex(start + offset, start + offset + 1);
    while (node && node.parent && node.parent.type !== 'block' && node.parent.type !== 'module') node = node.parent;
    if (node?.type === 'decorated_definition' || node?.parent?.type === 'decorated_definition') return node;
    return node && lineAt(this.src, node.startIndex) === line ? node : node;
  }

  /** A function definition by name (the first one), or null. */
  functionNamed(name: string | null): SyntaxNode | null {
    if (!name) return null;
    return this.syntax.functions.get(name.split('.').pop()!)?.[0] ?? null;
  }

  /** Statements of a block-bearing node's body (function, loop, if, with). */
  bodyStatements(node: SyntaxNode): SyntaxNode[] {
    const body = node.childForFieldName('body') ?? node.childForFieldName('consequence');
    return body?.namedChildren.filter((n) => n.type !== 'comment') ?? [];
  }

  /** The first statement of a function body that is not its docstring. */
  firstBodyStatement(fn: SyntaxNode): SyntaxNode | null {
    const stmts = this.bodyStatements(fn);
    const first = stmts[0];
    if (first?.type === 'expression_statement' && first.namedChildren[0]?.type === 'string') return stmts[1] ?? null;
    return first ?? null;
  }

  parameterNames(fn: SyntaxNode | null): string[] {
    return parameterNames(fn);
  }

  /** The loop node at a trainLoop's line. */
  loopNode(loop: { line: number }): SyntaxNode | null {
    const stmt = this.statementAt(loop.line);
    return stmt && (stmt.type === 'for_statement' || stmt.type === 'while_statement') ? stmt : null;
  }

  /** The best hand-written training loop, or null. */
  handLoop(): TrainLoop | null {
    return this.analysis.trainLoops.find((l) => l.kind !== 'framework-call') ?? null;
  }

  /** The entry function node, or null for module-level scripts. */
  entryFunction(): SyntaxNode | null {
    return this.functionNamed(this.analysis.exitPoints.mainFunction);
  }

  /**
   * Whether `name` is bound in `scope` (a function: a parameter, or bound anywhere in its body) or
   * in module-level code (null). Bound means the name is assigned, a loop or `with … as` target,
   * imported or defined — confirmed by the tree, so `rank=0` in a call's arguments is no binding.
   */
  definesName(scope: SyntaxNode | null, name: string): boolean {
    if (scope !== null && this.parameterNames(scope).includes(name)) return true;
    const re = unicodeIds(new RegExp(`(?<![\\w.])${name.replace(/[.]/g, '\\.')}(?![\\w])`, 'g'));
    const parts = scope ? [scope] : this.moduleStatements();
    for (const part of parts) {
      for (const m of this.text(part).matchAll(re)) {
        const at = part.startIndex + m.index!;
        const node = this.root.descendantForIndex(at, at + name.length);
        if (node.startIndex === at && node.endIndex === at + name.length && isBindingTarget(node)) return true;
      }
    }
    return false;
  }

  private moduleCode?: SyntaxNode[];
  private moduleText?: string;

  /** The module's own statements: every top-level statement except function and class definitions (asked for per name, so kept). */
  moduleStatements(): SyntaxNode[] {
    this.moduleCode ??= this.root.namedChildren.filter((n) => !/^(function_definition|class_definition|decorated_definition)$/.test(n.type));
    return this.moduleCode;
  }

  /** The module's own code: every top-level statement except function and class definitions. */
  moduleLevelText(): string {
    this.moduleText ??= this.moduleStatements()
      .map((n) => this.text(n))
      .join('\n');
    return this.moduleText;
  }

  /** The top-level statement of module-level code that first assigns `name` (inside an if/try too). */
  moduleStatementAssigning(name: string): SyntaxNode | null {
    for (const assignment of this.assignmentsIn(null, name)) {
      let outer = assignment;
      while (outer.parent?.type === 'assignment') outer = outer.parent; // `a = b = 0`
      if (outer.parent?.type !== 'expression_statement') continue;
      let top: SyntaxNode = outer;
      while (top.parent && top.parent.type !== 'module') top = top.parent;
      return top;
    }
    return null;
  }

  /** The innermost function around a node (or null at module level). */
  functionAround(node: SyntaxNode): SyntaxNode | null {
    return enclosingFunction(node);
  }
}

/** An import line without its spacing and parentheses, to compare `from a import (b)` with `from a import b`. */
function normalizedImport(line: string): string {
  return line.replace(/[()\s]+/g, ' ').replace(/\s*,\s*/g, ', ').replace(/,\s*$/, '').trim();
}

const PATTERNS = new Set(['pattern_list', 'tuple_pattern', 'list_pattern', 'list_splat_pattern', 'parenthesized_expression', 'tuple', 'list']);

/** Whether a name (identifier or attribute) is where Python binds it: an assignment's left side, a loop or `as` target, a definition or an import. */
function isBindingTarget(node: SyntaxNode): boolean {
  let n = node;
  while (n.parent && PATTERNS.has(n.parent.type)) n = n.parent;
  const p = n.parent;
  if (!p) return false;
  const is = (field: string) => {
    const f = p.childForFieldName(field);
    return f !== null && f.startIndex === n.startIndex && f.endIndex === n.endIndex;
  };
  switch (p.type) {
    case 'assignment':
    case 'augmented_assignment':
    case 'for_statement':
      return is('left');
    case 'as_pattern_target':
      return true;
    case 'named_expression':
    case 'function_definition':
    case 'class_definition':
      return is('name');
    case 'aliased_import':
      return is('alias');
    case 'dotted_name':
      // `import os`, `from torch import nn` (not the module of a from-import).
      return (p.parent?.type === 'import_statement' || (p.parent?.type === 'import_from_statement' && p.parent.childForFieldName('module_name')?.id !== p.id)) && p.namedChildren[0]?.id === n.id;
    default:
      return false;
  }
}
