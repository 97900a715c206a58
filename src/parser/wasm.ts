import { fileURLToPath } from 'node:url';
import type { Capture, PythonParser, SyntaxNode } from './types.js';
import { combinedQuerySource, isPublicCapture } from './queries.js';

export const GRAMMAR_WASM = fileURLToPath(new URL('../../grammars/tree-sitter-python.wasm', import.meta.url));

/** Load web-tree-sitter with the bundled grammar: no native build needed. */
export async function loadWasmParser(): Promise<PythonParser> {
  const { Parser, Language, Query } = await import('web-tree-sitter');
  await Parser.init();
  const language = await Language.load(GRAMMAR_WASM);
  const parser = new Parser();
  parser.setLanguage(language);
  let query: InstanceType<typeof Query> | undefined;
  return {
    backend: 'wasm',
    parse(text) {
      const tree = parser.parse(text);
      if (!tree) throw new Error('web-tree-sitter returned no tree');
      return {
        root: tree.rootNode as unknown as SyntaxNode,
        captures() {
          query ??= new Query(language, combinedQuerySource());
          return (query.captures(tree.rootNode) as unknown as Capture[]).filter((c) => isPublicCapture(c.name));
        },
        dispose() {
          tree.delete();
        },
      };
    },
  };
}
