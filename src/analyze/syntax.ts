/** Small, pure helpers over tree-sitter nodes. */
import type { SyntaxNode } from '../parser/index.js';

/** 1-based first line of a node. */
export function lineOf(node: SyntaxNode): number {
  return node.startPosition.row + 1;
}

/** 1-based last line of a node (a node ending at column 0 ends on the line before). */
export function endLineOf(node: SyntaxNode): number {
  const { row, column } = node.endPosition;
  return column === 0 && row > node.startPosition.row ? row : row + 1;
}

/** `a.b.c` for identifiers and attribute chains; null for anything else (calls, subscripts). */
export function dottedName(node: SyntaxNode | null): string | null {
  if (!node) return null;
  if (node.type === 'identifier') return node.text;
  if (node.type === 'attribute') {
    const obj = dottedName(node.childForFieldName('object'));
    const attr = node.childForFieldName('attribute');
    return obj && attr ? `${obj}.${attr.text}` : null;
  }
  return null;
}

/** The callee of a call as a dotted name (`torch.save`), or null. */
export function calleeName(call: SyntaxNode): string | null {
  return dottedName(call.childForFieldName('function'));
}

/** The last name of a callee: `save` for `torch.save(...)` and `x().save(...)`. */
export function calleeLastName(call: SyntaxNode): string | null {
  const fn = call.childForFieldName('function');
  if (!fn) return null;
  if (fn.type === 'identifier') return fn.text;
  if (fn.type === 'attribute') return fn.childForFieldName('attribute')?.text ?? null;
  return null;
}

/** The receiver of a method call (`opt` for `opt.step()`), or null. */
export function callReceiver(call: SyntaxNode): SyntaxNode | null {
  const fn = call.childForFieldName('function');
  return fn?.type === 'attribute' ? fn.childForFieldName('object') : null;
}

/** The last name in a receiver expression: `optimizer` for `self.optimizer`, `scaler` for `scaler`. */
export function receiverLastName(node: SyntaxNode | null): string | null {
  if (!node) return null;
  if (node.type === 'identifier') return node.text;
  if (node.type === 'attribute') return node.childForFieldName('attribute')?.text ?? null;
  return null;
}

export function callArguments(call: SyntaxNode): SyntaxNode[] {
  return call.childForFieldName('arguments')?.namedChildren.filter((n) => n.type !== 'comment') ?? [];
}

export function positionalArguments(call: SyntaxNode): SyntaxNode[] {
  return callArguments(call).filter((n) => n.type !== 'keyword_argument' && n.type !== 'dictionary_splat' && n.type !== 'list_splat');
}

export function keywordArgument(call: SyntaxNode, name: string): SyntaxNode | null {
  for (const arg of callArguments(call)) {
    if (arg.type === 'keyword_argument' && arg.childForFieldName('name')?.text === name) return arg.childForFieldName('value');
  }
  return null;
}

/** The nearest ancestor function definition (lambdas count as a boundary but are not returned). */
export function enclosingFunction(node: SyntaxNode): SyntaxNode | null {
  for (let p = node.parent; p; p = p.parent) {
    if (p.type === 'function_definition') return p;
  }
  return null;
}

export function isAncestor(ancestor: SyntaxNode, node: SyntaxNode): boolean {
  return node.startIndex >= ancestor.startIndex && node.endIndex <= ancestor.endIndex && node.id !== ancestor.id;
}

/** `Class.method` for methods, `name` for functions. */
export function qualifiedFunctionName(fn: SyntaxNode): string {
  const name = fn.childForFieldName('name')?.text ?? '<lambda>';
  const cls = enclosingClass(fn);
  return cls ? `${cls.childForFieldName('name')?.text}.${name}` : name;
}

/** The class a function is defined in directly (its body), or null. */
export function enclosingClass(fn: SyntaxNode): SyntaxNode | null {
  let p = fn.parent;
  if (p?.type === 'decorated_definition') p = p.parent;
  if (p?.type === 'block' && p.parent?.type === 'class_definition') return p.parent;
  return null;
}

/** The function's name as a string (or null for a lambda). */
export function functionName(fn: SyntaxNode | null): string | null {
  return fn ? qualifiedFunctionName(fn) : null;
}

/** The statement a node belongs to (the child of a block or of the module). */
export function statementOf(node: SyntaxNode): SyntaxNode {
  let n = node;
  while (n.parent && n.parent.type !== 'block' && n.parent.type !== 'module') n = n.parent;
  return n;
}

/** Names bound by an assignment target: `a`, `a, b`, `(a, b)`, `self.x` → `self.x`. */
export function targetNames(target: SyntaxNode): string[] {
  if (target.type === 'identifier' || target.type === 'attribute') return [target.text];
  if (target.type === 'pattern_list' || target.type === 'tuple_pattern' || target.type === 'list_pattern' || target.type === 'tuple') {
    return target.namedChildren.flatMap(targetNames);
  }
  return [];
}

/** For `a = b = call()`, the names bound on every level of a chained assignment. */
export function assignedNames(call: SyntaxNode): string[] {
  const names: string[] = [];
  let node = call;
  while (node.parent?.type === 'assignment' && node.parent.childForFieldName('right')?.id === node.id) {
    const left = node.parent.childForFieldName('left');
    if (left) names.unshift(...targetNames(left));
    node = node.parent;
  }
  return names;
}

/** The text of a string literal without quotes and prefixes, or null if not a plain string. */
export function stringValue(node: SyntaxNode | null): string | null {
  if (!node || node.type !== 'string') return null;
  const parts = node.namedChildren.filter((c) => c.type === 'string_content');
  if (node.namedChildren.some((c) => c.type === 'interpolation')) return null;
  return parts.map((p) => p.text).join('');
}

/** A function's parameter names, without `self` and without `*args` / `**kwargs`. */
export function parameterNames(fn: SyntaxNode | null): string[] {
  return (fn?.childForFieldName('parameters')?.namedChildren ?? [])
    .filter((p) => p.type !== 'list_splat_pattern' && p.type !== 'dictionary_splat_pattern')
    .map((p) => (p.type === 'identifier' ? p.text : (p.childForFieldName('name')?.text ?? p.namedChildren[0]?.text ?? '')))
    .filter((n) => n !== '' && n !== 'self');
}
