/**
 * The part of a tree-sitter syntax node that expkit uses. Both the native binding and
 * web-tree-sitter provide it; indices count UTF-16 code units of the parsed JS string.
 */
export interface Point {
  row: number;
  column: number;
}

export interface SyntaxNode {
  readonly id: number;
  readonly type: string;
  readonly text: string;
  readonly startIndex: number;
  readonly endIndex: number;
  readonly startPosition: Point;
  readonly endPosition: Point;
  readonly parent: SyntaxNode | null;
  readonly nextNamedSibling: SyntaxNode | null;
  readonly previousNamedSibling: SyntaxNode | null;
  readonly children: SyntaxNode[];
  readonly namedChildren: SyntaxNode[];
  readonly isNamed: boolean;
  readonly isMissing: boolean;
  readonly isError: boolean;
  readonly hasError: boolean;
  childForFieldName(name: string): SyntaxNode | null;
  descendantForIndex(startIndex: number, endIndex: number): SyntaxNode;
  childrenForFieldName(name: string): SyntaxNode[];
  /** A cursor over this node's subtree: walking it materialises only the nodes asked for. */
  walk(): TreeCursor;
}

/** The part of tree-sitter's TreeCursor both bindings share. */
export interface TreeCursor {
  readonly nodeType: string;
  readonly currentNode: SyntaxNode;
  gotoFirstChild(): boolean;
  gotoNextSibling(): boolean;
  gotoParent(): boolean;
  /** Frees a WASM cursor (web-tree-sitter keeps it outside the JS heap); the native one has none. */
  delete?(): void;
}

export interface Capture {
  name: string;
  node: SyntaxNode;
}

export type ParserBackend = 'native' | 'wasm';

/** A parsed file. Call `dispose()` when done: WASM trees live outside the JS heap. */
export interface ParsedSource {
  readonly root: SyntaxNode;
  /** Captures of the combined analysis query (queries/python/*.scm), in document order. */
  captures(): Capture[];
  dispose(): void;
}

export interface PythonParser {
  readonly backend: ParserBackend;
  parse(text: string): ParsedSource;
}
