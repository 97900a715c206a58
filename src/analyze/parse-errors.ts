/** Syntax errors tree-sitter recovered from: ERROR and MISSING nodes, outermost only. */
import type { SyntaxNode } from '../parser/index.js';
import { columnAt, type SourceText } from '../core/source-text.js';

export function findParseErrors(root: SyntaxNode, src: SourceText): { line: number; column: number }[] {
  const out: { line: number; column: number }[] = [];
  if (!root.hasError) return out;
  const visit = (node: SyntaxNode) => {
    if (node.isError || node.isMissing) {
      out.push({ line: node.startPosition.row + 1, column: columnAt(src, node.startIndex) });
      return;
    }
    for (const child of node.children) if (child.hasError || child.isMissing) visit(child);
  };
  visit(root);
  return out;
}
