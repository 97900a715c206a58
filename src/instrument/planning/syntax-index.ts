/**
 * The script's code as the planners look it up: calls, keyword arguments, definitions, imports
 * and assignments, confirmed by the tree, so commented-out code and docstrings never count
 * (research scripts keep old `trainer.fit(…, ckpt_path=…)` lines in comments).
 */
import type { SyntaxNode } from '../../parser/index.js';
import { targetNames } from '../../analyze/syntax.js';
import { unicodeIds } from './identifiers.js';

/** One name an import statement binds: `import lightning as L` → { module: 'lightning', name: 'L' }. */
export interface ImportBinding {
  /** The module imported from (`torch.nn`), or imported itself. */
  module: string;
  /** For `from m import x [as y]`: `x`; null for `import m`. */
  imported: string | null;
  /** The name bound in the script (`L`, `np`, `torch` for `import torch.nn`). */
  name: string;
  statement: SyntaxNode;
}

export interface SyntaxIndex {
  /** Every call, in source order, with its callee's text (whitespace removed: `pl.Trainer`). */
  readonly calls: Array<{ node: SyntaxNode; callee: string }>;
  /** The keyword arguments `name=…` of any call (`ckpt_path` → its keyword_argument nodes). */
  keywordsNamed(name: string): SyntaxNode[];
  /** Function definitions by name (methods too). */
  readonly functions: Map<string, SyntaxNode[]>;
  /** Class definitions by name. */
  readonly classes: Map<string, SyntaxNode[]>;
  readonly imports: ImportBinding[];
  /**
   * Assignment statements inside `scope` (nested code included) or, for null, outside every function,
   * by each name they bind (`a, b = …` under both; `self.x = …` under `self.x`).
   */
  assignmentsIn(scope: SyntaxNode | null): Map<string, SyntaxNode[]>;
  /** `if`/`elif` conditions, in source order. */
  readonly conditions: SyntaxNode[];
}

/**
 * Each kind of lookup is built the first time it is asked for, from its tokens in the text (`def`,
 * `import`, `=`, …) confirmed by the tree: a token in a comment or a string finds no such node. The
 * planner of one patch asks for a few kinds, and walking every node of a long script costs more than
 * the whole plan (reading a node's children is expensive on the native binding).
 */
export function indexSyntax(root: SyntaxNode, text: string = root.text): SyntaxIndex {
  const cache = new Map<string, unknown>();
  const once = <T>(key: string, build: () => T): T => {
    if (!cache.has(key)) cache.set(key, build());
    return cache.get(key) as T;
  };
  /** The node of `type` a token at [start, end) belongs to, found through its parent: null in a comment or string. */
  const holder = (start: number, end: number, type: string): SyntaxNode | null => {
    const token = root.descendantForIndex(start, end);
    return token.startIndex === start && token.parent?.type === type ? token.parent : null;
  };
  const byName = (re: RegExp, type: string, field: string, group = 1): Map<string, SyntaxNode[]> => {
    const out = new Map<string, SyntaxNode[]>();
    for (const m of text.matchAll(re)) {
      const at = m.index! + m[0].lastIndexOf(m[group]!);
      const node = holder(at, at + m[group]!.length, type);
      if (node && node.childForFieldName(field)?.startIndex === at) push(out, m[group]!, node);
    }
    return out;
  };
  /** The outermost function definitions' ranges, in order: what module-level code lies between. */
  const functionRanges = () => once('functionRanges', () => outermost([...index.functions.values()].flat()));
  /**
   * The assignments whose `=` lies in [start, end), by name (`=` alone: not `==`, `!=`, `<=`, `+=`,
   * `:=`, …; an augmented assignment is no binding here). Scoped, since a planner asks about one
   * function or the module-level code, and confirming every `=` of a long script costs as much as a plan.
   */
  const assignmentsBetween = (ranges: ReadonlyArray<{ start: number; end: number }>): Map<string, SyntaxNode[]> => {
    const out = new Map<string, SyntaxNode[]>();
    const equals = /(?<![=!<>:+\-*/%&|^@])=(?!=)/g;
    for (const { start, end } of ranges) {
      equals.lastIndex = start;
      for (let m = equals.exec(text); m && m.index < end; m = equals.exec(text)) {
        const node = holder(m.index, m.index + 1, 'assignment');
        const left = node?.childForFieldName('left');
        if (left) for (const name of new Set(targetNames(left).map((n) => n.replace(/\s+/g, '')))) push(out, name, node!);
      }
    }
    return out;
  };
  const index: SyntaxIndex = {
    get calls() {
      return once('calls', () => walkCalls(root));
    },
    keywordsNamed(name: string) {
      if (!/^[\p{L}\p{N}_]+$/u.test(name)) return [];
      return once(`keyword:${name}`, () => [...byName(unicodeIds(new RegExp(`(?<![\\w.])(${name})\\s*=(?!=)`, 'g')), 'keyword_argument', 'name').values()].flat());
    },
    get functions() {
      return once('functions', () => byName(unicodeIds(/\bdef\s+([A-Za-z_]\w*)/g), 'function_definition', 'name'));
    },
    get classes() {
      return once('classes', () => byName(unicodeIds(/\bclass\s+([A-Za-z_]\w*)/g), 'class_definition', 'name'));
    },
    get imports() {
      return once('imports', () => {
        const seen = new Set<number>();
        const out: ImportBinding[] = [];
        for (const m of text.matchAll(/\b(?:import|from)\b/g)) {
          const stmt = holder(m.index!, m.index! + m[0].length, 'import_statement') ?? holder(m.index!, m.index! + m[0].length, 'import_from_statement');
          if (!stmt || seen.has(stmt.id) || stmt.startIndex !== m.index) continue;
          seen.add(stmt.id);
          out.push(...importBindings(stmt));
        }
        return out;
      });
    },
    assignmentsIn(scope: SyntaxNode | null) {
      if (scope) return once(`assignments:${scope.startIndex}:${scope.endIndex}`, () => assignmentsBetween([{ start: scope.startIndex, end: scope.endIndex }]));
      return once('assignments:module', () => {
        const gaps: Array<{ start: number; end: number }> = [];
        let at = 0;
        for (const fn of functionRanges()) {
          gaps.push({ start: at, end: fn.start });
          at = fn.end;
        }
        gaps.push({ start: at, end: text.length });
        return assignmentsBetween(gaps);
      });
    },
    get conditions() {
      return once('conditions', () => {
        const out: SyntaxNode[] = [];
        for (const m of text.matchAll(/\b(?:if|elif)\b/g)) {
          const node = holder(m.index!, m.index! + m[0].length, 'if_statement') ?? holder(m.index!, m.index! + m[0].length, 'elif_clause');
          const condition = node?.startIndex === m.index ? node.childForFieldName('condition') : null;
          if (condition) out.push(condition);
        }
        return out;
      });
    },
  };
  return index;
}

function push(map: Map<string, SyntaxNode[]>, key: string, node: SyntaxNode): void {
  const list = map.get(key);
  if (list) list.push(node);
  else map.set(key, [node]);
}

/** Every call, with a tree cursor: only the calls are materialised. */
function walkCalls(root: SyntaxNode): Array<{ node: SyntaxNode; callee: string }> {
  const calls: Array<{ node: SyntaxNode; callee: string }> = [];
  const cursor = root.walk();
  try {
    for (;;) {
      const type = cursor.nodeType;
      if (type === 'call') {
        const node = cursor.currentNode;
        const fn = node.childForFieldName('function');
        if (fn) calls.push({ node, callee: fn.text.replace(/\s+/g, '') });
      }
      if (type !== 'comment' && cursor.gotoFirstChild()) continue;
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent()) return calls;
      }
    }
  } finally {
    cursor.delete?.();
  }
}

function importBindings(stmt: SyntaxNode): ImportBinding[] {
  const out: ImportBinding[] = [];
  if (stmt.type === 'import_statement') {
    for (const item of stmt.namedChildren) {
      if (item.type === 'dotted_name') out.push({ module: item.text, imported: null, name: item.text.split('.')[0]!, statement: stmt });
      else if (item.type === 'aliased_import') {
        const module = item.childForFieldName('name')?.text;
        const alias = item.childForFieldName('alias')?.text;
        if (module && alias) out.push({ module, imported: null, name: alias, statement: stmt });
      }
    }
    return out;
  }
  const module = stmt.childForFieldName('module_name')?.text;
  if (!module) return out;
  for (const item of stmt.childrenForFieldName('name')) {
    if (item.type === 'dotted_name') out.push({ module, imported: item.text, name: item.text, statement: stmt });
    else if (item.type === 'aliased_import') {
      const imported = item.childForFieldName('name')?.text;
      const alias = item.childForFieldName('alias')?.text;
      if (imported && alias) out.push({ module, imported, name: alias, statement: stmt });
    }
  }
  return out;
}

/** The [start, end) ranges of the nodes not inside another of them, in order. */
function outermost(nodes: readonly SyntaxNode[]): Array<{ start: number; end: number }> {
  const out: Array<{ start: number; end: number }> = [];
  for (const n of [...nodes].sort((a, b) => a.startIndex - b.startIndex)) {
    const last = out[out.length - 1];
    if (last && n.startIndex < last.end) last.end = Math.max(last.end, n.endIndex);
    else out.push({ start: n.startIndex, end: n.endIndex });
  }
  return out;
}
