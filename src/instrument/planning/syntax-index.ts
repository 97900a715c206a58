/**
 * The script's code as the planners look it up: calls, keyword arguments, definitions, imports
 * and assignments, gathered in one walk over the tree. Lookups go through this index rather than
 * regular expressions over the text, so commented-out code and docstrings never count
 * (research scripts keep old `trainer.fit(…, ckpt_path=…)` lines in comments).
 */
import type { SyntaxNode } from '../../parser/index.js';
import { targetNames } from '../../analyze/syntax.js';

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
  /** Every call, in source order, with its callee's text (whitespace removed: `pl.Trainer`); walked for on first use. */
  readonly calls: Array<{ node: SyntaxNode; callee: string }>;
  /** Keyword arguments by keyword (`ckpt_path` → its keyword_argument nodes). */
  keywords: Map<string, SyntaxNode[]>;
  /** Function definitions by name (methods too). */
  functions: Map<string, SyntaxNode[]>;
  /** Class definitions by name. */
  classes: Map<string, SyntaxNode[]>;
  imports: ImportBinding[];
  /** Assignment statements by each name they bind (`a, b = …` under both; `self.x = …` under `self.x`). */
  assignments: Map<string, SyntaxNode[]>;
  /** `if`/`elif` conditions, in source order. */
  conditions: SyntaxNode[];
}

/** Node types the index keeps; everything else is only walked through. */
const KEPT = new Set(['call', 'keyword_argument', 'function_definition', 'class_definition', 'import_statement', 'import_from_statement', 'assignment', 'if_statement', 'elif_clause']);
/** Subtrees with nothing the index keeps (an f-string's interpolations may call). */
const SKIPPED = new Set(['comment']);

/**
 * One walk with a tree cursor: only the nodes the index keeps are materialised (on the native
 * binding, reading every node's children costs several times the walk).
 */
export function indexSyntax(root: SyntaxNode): SyntaxIndex {
  let calls: Array<{ node: SyntaxNode; callee: string }> | undefined;
  const structure = walkIndex(root, false);
  return {
    ...structure,
    get calls() {
      calls ??= walkIndex(root, true).calls;
      return calls;
    },
  };
}

type Walked = Omit<SyntaxIndex, 'calls'> & { calls: Array<{ node: SyntaxNode; callee: string }> };

/** The cursor walk: the structure (definitions, imports, assignments, keywords, conditions), or the calls. */
function walkIndex(root: SyntaxNode, callsOnly: boolean): Walked {
  const index: Walked = { calls: [], keywords: new Map(), functions: new Map(), classes: new Map(), imports: [], assignments: new Map(), conditions: [] };
  const push = (map: Map<string, SyntaxNode[]>, key: string, node: SyntaxNode) => {
    const list = map.get(key);
    if (list) list.push(node);
    else map.set(key, [node]);
  };
  const keep = (node: SyntaxNode): void => {
    switch (node.type) {
      case 'call': {
        const fn = node.childForFieldName('function');
        if (fn) index.calls.push({ node, callee: fn.text.replace(/\s+/g, '') });
        break;
      }
      case 'keyword_argument': {
        const name = node.childForFieldName('name')?.text;
        if (name) push(index.keywords, name, node);
        break;
      }
      case 'function_definition':
      case 'class_definition': {
        const name = node.childForFieldName('name')?.text;
        if (name) push(node.type === 'function_definition' ? index.functions : index.classes, name, node);
        break;
      }
      case 'import_statement':
      case 'import_from_statement':
        index.imports.push(...importBindings(node));
        break;
      case 'assignment': {
        const left = node.childForFieldName('left');
        if (left) for (const name of targetNames(left)) push(index.assignments, name.replace(/\s+/g, ''), node);
        break;
      }
      default: {
        const condition = node.childForFieldName('condition');
        if (condition) index.conditions.push(condition);
      }
    }
  };
  const cursor = root.walk();
  try {
    for (;;) {
      const type = cursor.nodeType;
      if (callsOnly ? type === 'call' : KEPT.has(type) && type !== 'call') keep(cursor.currentNode);
      if (!SKIPPED.has(type) && type !== 'import_statement' && type !== 'import_from_statement' && cursor.gotoFirstChild()) continue;
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent()) return index;
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
