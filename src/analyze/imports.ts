/** Finding 1: the top-of-file import block and every module imported anywhere. */
import type { SyntaxNode } from '../parser/index.js';
import type { AnalysisContext } from './context.js';
import { calleeName, endLineOf, lineOf } from './syntax.js';
import type { ImportsFinding } from './types.js';

const IMPORT_TYPES = new Set(['import_statement', 'import_from_statement', 'future_import_statement']);

/** `try: import x / except ImportError:` and `if cond: import x` count as part of the block. */
function isImportStatement(node: SyntaxNode): boolean {
  if (IMPORT_TYPES.has(node.type)) return true;
  if (node.type === 'try_statement' || node.type === 'if_statement') {
    const body = node.childForFieldName(node.type === 'try_statement' ? 'body' : 'consequence');
    return body?.namedChildren.some((s) => IMPORT_TYPES.has(s.type)) ?? false;
  }
  return false;
}

/**
 * Statements that real scripts put between imports and that do not end the block:
 * `sys.path.insert(...)`, `os.environ[...] = ...`, `warnings.filterwarnings(...)`, `matplotlib.use(...)`.
 */
function isImportSupport(node: SyntaxNode): boolean {
  if (node.type !== 'expression_statement') return false;
  const expr = node.namedChildren[0];
  if (!expr) return false;
  if (expr.type === 'call') {
    const name = calleeName(expr) ?? '';
    return /^(sys\.path\.(insert|append)|warnings\.(filterwarnings|simplefilter)|matplotlib\.use|os\.environ\.setdefault)$/.test(name);
  }
  if (expr.type === 'assignment') {
    const left = expr.childForFieldName('left');
    return left?.type === 'subscript' && /^os\.environ\b/.test(left.text);
  }
  return false;
}

function isDocstring(node: SyntaxNode): boolean {
  return node.type === 'expression_statement' && node.namedChildren.length === 1 && node.namedChildren[0]!.type === 'string';
}

export function findImports(ctx: AnalysisContext): ImportsFinding | null {
  const modules = new Set<string>();
  for (const imp of ctx.imports) for (const m of imp.modules) modules.add(m);
  if (modules.size === 0) return null;

  let start: SyntaxNode | null = null;
  let end: SyntaxNode | null = null;
  let seenCode = false;
  for (const stmt of ctx.root.namedChildren) {
    if (stmt.type === 'comment') continue;
    if (!start && !seenCode && isDocstring(stmt)) continue;
    if (isImportStatement(stmt)) {
      start ??= stmt;
      end = stmt;
      continue;
    }
    if (start && isImportSupport(stmt)) continue;
    if (!start && isImportSupport(stmt)) {
      seenCode = true;
      continue;
    }
    if (start) break;
    seenCode = true;
    // The block is at the top: code before the first import means there is no top block,
    // unless the file's first import follows only a few set-up lines (handled above).
    break;
  }
  if (!start || !end) {
    // No block at the top: fall back to the first module-level import statement run.
    const first = ctx.imports.find((imp) => imp.node.parent?.type === 'module');
    if (!first) return { startLine: lineOf(ctx.imports[0]!.node), endLine: endLineOf(ctx.imports[0]!.node), modules: [...modules].sort() };
    start = end = first.node;
    for (let next = first.node.nextNamedSibling; next && (isImportStatement(next) || next.type === 'comment'); next = next.nextNamedSibling) {
      if (next.type !== 'comment') end = next;
    }
  }
  return { startLine: lineOf(start), endLine: endLineOf(end), modules: [...modules].sort() };
}
