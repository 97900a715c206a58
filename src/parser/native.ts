import { createRequire } from 'node:module';
import type { Capture, PythonParser, SyntaxNode } from './types.js';
import { combinedQuerySource, isPublicCapture } from './queries.js';

interface NativeTree {
  rootNode: SyntaxNode;
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
  return {
    backend: 'native',
    parse(text) {
      // The default 32 KiB input buffer makes the binding re-enter JS per chunk; one buffer is faster.
      const tree = parser.parse(text, undefined, { bufferSize: text.length * 2 + 1024 });
      return {
        root: tree.rootNode,
        captures() {
          query ??= new Parser.Query(language, combinedQuerySource());
          return query.captures(tree.rootNode).filter((c) => isPublicCapture(c.name));
        },
        dispose() {
          /* native trees are garbage-collected */
        },
      };
    },
  };
}
