import { createRequire } from 'node:module';
import type { Capture, ParsedSource, PythonParser, SyntaxNode } from './types.js';
import { treeEdits, type TreeEdit } from './tree-edits.js';
import { combinedQuerySource, isPublicCapture } from './queries.js';

interface NativeTree {
  rootNode: SyntaxNode;
  edit(edit: TreeEdit): void;
}
interface NativeParser {
  setLanguage(lang: unknown): void;
  parse(input: string, oldTree?: unknown, options?: { bufferSize?: number }): NativeTree;
}
interface NativeQuery {
  captures(node: SyntaxNode): Capture[];
}
interface NativeModule {
  new (): NativeParser;
  Query: new (lang: unknown, source: string) => NativeQuery;
}

/** Load the native binding; throws when its compiled addon is missing or does not load. */
export function loadNativeParser(): PythonParser {
  const require = createRequire(import.meta.url);
  const Parser = require('tree-sitter') as NativeModule;
  const language = require('tree-sitter-python') as unknown;
  const parser = new Parser();
  parser.setLanguage(language);
  let query: NativeQuery | undefined;
  const trees = new WeakMap<ParsedSource, NativeTree>();
  const parsed = (text: string, oldTree?: NativeTree): ParsedSource => {
    // The default 32 KiB input buffer makes the binding re-enter JS per chunk; one buffer is faster.
    const tree = parser.parse(text, oldTree, { bufferSize: text.length * 2 + 1024 });
    const source: ParsedSource = {
      root: tree.rootNode,
      captures() {
        query ??= new Parser.Query(language, combinedQuerySource());
        return query.captures(tree.rootNode).filter((c) => isPublicCapture(c.name));
      },
      dispose() {
        /* native trees are garbage-collected */
      },
    };
    trees.set(source, tree);
    return source;
  };
  return {
    backend: 'native',
    parse: (text) => parsed(text),
    reparse(previous, before, changes, text) {
      const tree = trees.get(previous);
      if (!tree) return parsed(text);
      for (const edit of treeEdits(before, changes)) tree.edit(edit);
      return parsed(text, tree);
    },
  };
}
