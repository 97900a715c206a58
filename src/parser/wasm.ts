import { fileURLToPath } from 'node:url';
import type { Capture, ParsedSource, PythonParser, SyntaxNode } from './types.js';
import { treeEdits } from './tree-edits.js';
import { combinedQuerySource, isPublicCapture } from './queries.js';

export const GRAMMAR_WASM = fileURLToPath(new URL('../../grammars/tree-sitter-python.wasm', import.meta.url));

/** Load web-tree-sitter with the bundled grammar: no native build needed. */
export async function loadWasmParser(): Promise<PythonParser> {
  const { Parser, Language, Query, Edit } = await import('web-tree-sitter');
  await Parser.init();
  const language = await Language.load(GRAMMAR_WASM);
  const parser = new Parser();
  parser.setLanguage(language);
  let query: InstanceType<typeof Query> | undefined;
  type Tree = NonNullable<ReturnType<typeof parser.parse>>;
  const trees = new WeakMap<ParsedSource, Tree>();
  const parsed = (text: string, oldTree?: Tree): ParsedSource => {
    const tree = parser.parse(text, oldTree);
    if (!tree) throw new Error('web-tree-sitter returned no tree');
    const source: ParsedSource = {
      root: tree.rootNode as unknown as SyntaxNode,
      captures() {
        query ??= new Query(language, combinedQuerySource());
        return (query.captures(tree.rootNode) as unknown as Capture[]).filter((c) => isPublicCapture(c.name));
      },
      dispose() {
        tree.delete();
      },
    };
    trees.set(source, tree);
    return source;
  };
  return {
    backend: 'wasm',
    parse: (text) => parsed(text),
    reparse(previous, before, changes, text) {
      const tree = trees.get(previous);
      if (!tree) return parsed(text);
      for (const edit of treeEdits(before, changes)) tree.edit(new Edit(edit));
      return parsed(text, tree);
    },
  };
}
