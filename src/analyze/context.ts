/**
 * Everything the finders share: captures of the combined query (structure: imports, functions,
 * classes, loops, blocks), calls by the name they call, import bindings, names bound from calls.
 *
 * Cost model: with either binding, every captured node and every property read crosses into
 * native or WASM code, and query text predicates are evaluated in JavaScript once per candidate.
 * So the query captures structure only, and a finder's calls (`backward`, `add_argument`, …) are
 * found by name in the text and confirmed by the tree at that position: a name inside a string
 * or comment is not a call there.
 */
import type { Capture, SyntaxNode } from '../parser/index.js';
import { lineText, type SourceText } from '../core/source-text.js';
import { calleeName, endLineOf, lineOf, targetNames } from './syntax.js';
import type { Evidence } from './types.js';

export interface ImportRecord {
  node: SyntaxNode;
  /** Modules this statement imports: `a.b` for `import a.b` and `from a.b import c`. */
  modules: string[];
}

export interface CallBinding {
  /** The call's callee, resolved through imports (`transformers.Trainer`), or as written. */
  callee: string;
  call: SyntaxNode;
}

/** A node with its indices read once: scope lookups then stay in JavaScript. */
interface Span {
  node: SyntaxNode;
  start: number;
  end: number;
}

interface CallSite {
  call: SyntaxNode;
  /** `x.name(...)` rather than `name(...)`. */
  isMethod: boolean;
}

export class AnalysisContext {
  private readonly byName = new Map<string, SyntaxNode[]>();
  private readonly callSites = new Map<string, CallSite[]>();
  private readonly assignmentsByName = new Map<string, CallBinding[]>();
  private readonly importQueries = new Map<string, boolean>();
  private classNameSet?: Set<string>;
  private scopeIndex?: { functions: Span[]; loops: Span[] };
  readonly imports: ImportRecord[] = [];
  /** Local name → what it refers to: `pl` → `pytorch_lightning`, `Trainer` → `transformers.Trainer`. */
  readonly importedNames = new Map<string, string>();
  /** Function definitions by plain name (methods too, by their plain name). */
  readonly functions = new Map<string, SyntaxNode[]>();

  constructor(
    readonly src: SourceText,
    readonly root: SyntaxNode,
    captures: Capture[],
  ) {
    for (const { name, node } of captures) {
      let list = this.byName.get(name);
      if (!list) this.byName.set(name, (list = []));
      list.push(node);
    }
    for (const node of this.captured('import.statement')) this.addImport(node);
    for (const fn of this.captured('definition.function')) {
      const name = fn.childForFieldName('name')?.text;
      if (!name) continue;
      const list = this.functions.get(name) ?? [];
      list.push(fn);
      this.functions.set(name, list);
    }
  }

  /** Nodes captured under `name`, in document order. */
  captured(name: string): SyntaxNode[] {
    return this.byName.get(name) ?? [];
  }

  /** The source text of a node, sliced from the file (one crossing for the indices, none for the text). */
  textOf(node: SyntaxNode): string {
    return this.src.text.slice(node.startIndex, node.endIndex);
  }

  /** Calls whose callee's last name is one of `names`: `f(...)` and `x.f(...)`, in document order. */
  calls(...names: string[]): SyntaxNode[] {
    return this.callsWhere(names, () => true);
  }

  /** Method calls `x.name(...)` only. */
  methodCalls(...names: string[]): SyntaxNode[] {
    return this.callsWhere(names, (s) => s.isMethod);
  }

  /** Plain calls `name(...)` only. */
  functionCalls(...names: string[]): SyntaxNode[] {
    return this.callsWhere(names, (s) => !s.isMethod);
  }

  private callsWhere(names: string[], keep: (s: CallSite) => boolean): SyntaxNode[] {
    const uncached = names.filter((n) => !this.callSites.has(n));
    if (uncached.length > 1 && uncached.every((n) => /^\w+$/.test(n))) this.scanCalls(uncached);
    const out: SyntaxNode[] = [];
    for (const name of names) for (const site of this.callSitesOf(name)) if (keep(site)) out.push(site.call);
    if (names.length > 1) out.sort((a, b) => a.startIndex - b.startIndex);
    return out;
  }

  /** Calls of `name` (a regex of identifier characters, e.g. `DEFINE_\\w+`), found in the text, confirmed by the tree. */
  callSitesOf(name: string): CallSite[] {
    const cached = this.callSites.get(name);
    if (cached) return cached;
    const sites: CallSite[] = [];
    for (const m of this.src.text.matchAll(new RegExp(`(?<![\\w])(${name})\\s*\\(`, 'g'))) {
      const site = this.callSiteAt(m.index!, m[1]!.length);
      if (site) sites.push(site);
    }
    this.callSites.set(name, sites);
    return sites;
  }

  /** One pass over the text for several plain names at once (a pass per defined function adds up). */
  private scanCalls(names: string[]): void {
    for (const n of names) this.callSites.set(n, []);
    for (const m of this.src.text.matchAll(new RegExp(`(?<![\\w])(${names.join('|')})\\s*\\(`, 'g'))) {
      const site = this.callSiteAt(m.index!, m[1]!.length);
      if (site) this.callSites.get(m[1]!)!.push(site);
    }
  }

  /** The call whose callee name spans [start, start + length), if the tree agrees it is one. */
  private callSiteAt(start: number, length: number): CallSite | null {
    const end = start + length;
    const id = this.root.descendantForIndex(start, end);
    if (id.type !== 'identifier') return null;
    const parent = id.parent;
    if (parent?.type === 'call' && parent.startIndex === start) return { call: parent, isMethod: false };
    if (parent?.type === 'attribute' && parent.endIndex === end && parent.parent?.type === 'call') return { call: parent.parent, isMethod: true };
    return null;
  }

  /**
   * Nodes of `type` at the matches of `pattern` in the source text (group 1 when it has one, else the
   * whole match). The tree decides: a match inside a comment or an unrelated string finds no such node.
   */
  nodesAtText(pattern: RegExp, type: string): SyntaxNode[] {
    const out: SyntaxNode[] = [];
    const re = new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`);
    for (const m of this.src.text.matchAll(re)) {
      const start = m.index! + (m[1] !== undefined ? m[0].indexOf(m[1]) : 0);
      const end = start + (m[1] ?? m[0]).length;
      const node = this.root.descendantForIndex(start, end);
      const hit = node.type === type ? node : node.parent?.type === type ? node.parent : null;
      if (hit) out.push(hit);
    }
    return out;
  }

  /** The calls `name` is assigned from (`optimizer` → `torch.optim.AdamW(...)`), found on demand. */
  bindingsOf(name: string): CallBinding[] {
    const cached = this.assignmentsByName.get(name);
    if (cached) return cached;
    const found: CallBinding[] = [];
    const escaped = name.replace(/[.]/g, '\\.');
    // `name = …`, `name, other = …`, `(a, name) = …`, `a = name = …`: a target followed by `=`.
    // An annotated `name: Type = …` too.
    for (const m of this.src.text.matchAll(new RegExp(`(?<![\\w.])${escaped}\\s*(?:,\\s*[\\w.*]+\\s*)*[)\\]]?\\s*(?::[^=\\n]*)?=(?!=)`, 'g'))) {
      let node: SyntaxNode | null = this.root.descendantForIndex(m.index!, m.index! + name.length);
      if (node.type === 'identifier' && node.parent?.type === 'attribute' && node.parent.startIndex === m.index) node = node.parent;
      while (node?.parent && /^(pattern_list|tuple_pattern|list_pattern|tuple)$/.test(node.parent.type)) node = node.parent;
      const assignment = node?.parent;
      if (!node || assignment?.type !== 'assignment' || assignment.childForFieldName('left')?.id !== node.id) continue;
      if (!targetNames(node).includes(name)) continue;
      let right = assignment.childForFieldName('right');
      while (right?.type === 'assignment') right = right.childForFieldName('right');
      if (right?.type === 'call') found.push({ callee: this.resolve(calleeName(right) ?? right.childForFieldName('function')?.text ?? ''), call: right });
    }
    this.assignmentsByName.set(name, found);
    return found;
  }

  private scopes(): { functions: Span[]; loops: Span[] } {
    this.scopeIndex ??= {
      functions: this.captured('definition.function').map((node) => ({ node, start: node.startIndex, end: node.endIndex })),
      loops: this.captured('definition.loop').map((node) => ({ node, start: node.startIndex, end: node.endIndex })),
    };
    return this.scopeIndex;
  }

  /** The innermost function definition around a position (functions are captured in document order). */
  functionAt(index: number): SyntaxNode | null {
    let best: Span | null = null;
    for (const f of this.scopes().functions) {
      if (f.start > index) break;
      if (index < f.end && (!best || f.start >= best.start)) best = f;
    }
    return best?.node ?? null;
  }

  /** Loops around a position inside its own function, innermost first. */
  loopsAt(index: number, endIndex = index): SyntaxNode[] {
    const { functions, loops } = this.scopes();
    let fnStart = -1;
    for (const f of functions) {
      if (f.start > index) break;
      if (index < f.end && f.start > fnStart) fnStart = f.start;
    }
    return loops
      .filter((l) => l.start <= index && endIndex <= l.end && l.start > fnStart && l.start !== index)
      .sort((a, b) => b.start - a.start)
      .map((l) => l.node);
  }

  /** Resolve the first segment of a dotted name through the file's imports. */
  resolve(dotted: string): string {
    const dot = dotted.indexOf('.');
    const head = dot < 0 ? dotted : dotted.slice(0, dot);
    const target = this.importedNames.get(head);
    if (!target) return dotted;
    return dot < 0 ? target : target + dotted.slice(dot);
  }

  /** The resolved callee of a call (`torch.optim.AdamW` for `optim.AdamW(...)`). */
  resolvedCallee(call: SyntaxNode): string | null {
    const name = calleeName(call);
    return name === null ? null : this.resolve(name);
  }

  /** Whether any module imported by the file starts with one of `prefixes` (`lightning` matches `lightning.pytorch`). */
  importsModule(...prefixes: string[]): boolean {
    const key = prefixes.join(' ');
    let known = this.importQueries.get(key);
    if (known === undefined) {
      known = this.imports.some((imp) => imp.modules.some((m) => prefixes.some((p) => m === p || m.startsWith(p + '.'))));
      this.importQueries.set(key, known);
    }
    return known;
  }

  /** Names of the classes the file defines. */
  get classNames(): ReadonlySet<string> {
    this.classNameSet ??= new Set(this.captured('definition.class').map((c) => this.textOf(c.childForFieldName('name')!)));
    return this.classNameSet;
  }

  line(node: SyntaxNode): number {
    return lineOf(node);
  }

  endLine(node: SyntaxNode): number {
    return endLineOf(node);
  }

  /** The source line as evidence, trimmed. */
  evidence(line: number): Evidence {
    return { line, text: lineText(this.src, line).trim() };
  }

  lineText(line: number): string {
    return lineText(this.src, line).trim();
  }

  private addImport(node: SyntaxNode): void {
    const modules: string[] = [];
    if (node.type === 'import_statement') {
      for (const name of node.childrenForFieldName('name')) {
        const dotted = name.type === 'aliased_import' ? name.childForFieldName('name') : name;
        const module = dotted?.text.replace(/\s+/g, '') ?? '';
        if (!module) continue;
        modules.push(module);
        if (name.type === 'aliased_import') {
          const alias = name.childForFieldName('alias')?.text;
          if (alias) this.importedNames.set(alias, module);
        } else {
          const head = module.split('.')[0]!;
          if (!this.importedNames.has(head)) this.importedNames.set(head, head);
        }
      }
    } else if (node.type === 'import_from_statement') {
      const moduleNode = node.childForFieldName('module_name');
      const module = moduleNode?.text.replace(/\s+/g, '') ?? '';
      if (module) modules.push(module);
      for (const name of node.childrenForFieldName('name')) {
        const imported = name.type === 'aliased_import' ? name.childForFieldName('name') : name;
        const local = name.type === 'aliased_import' ? name.childForFieldName('alias')?.text : imported?.text.replace(/\s+/g, '');
        if (imported && local) this.importedNames.set(local, `${module}.${imported.text}`);
      }
    } else if (node.type === 'future_import_statement') {
      modules.push('__future__');
    }
    this.imports.push({ node, modules });
  }
}
