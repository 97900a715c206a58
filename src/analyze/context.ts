/**
 * Everything the finders share, built from one pass of the combined query over the tree:
 * captures by name, import bindings, functions by name and names bound from calls.
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

export class AnalysisContext {
  private readonly byName = new Map<string, SyntaxNode[]>();
  readonly imports: ImportRecord[] = [];
  /** Local name → what it refers to: `pl` → `pytorch_lightning`, `Trainer` → `transformers.Trainer`. */
  readonly importedNames = new Map<string, string>();
  /** Function definitions by plain name (methods too, by their plain name). */
  readonly functions = new Map<string, SyntaxNode[]>();
  /** Name → the calls it is assigned from (`optimizer` → `torch.optim.AdamW(...)`). */
  readonly bindings = new Map<string, CallBinding[]>();

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
    for (const assignment of this.captured('assignment.from_call')) {
      const left = assignment.childForFieldName('left');
      const call = assignment.childForFieldName('right');
      if (!left || !call) continue;
      const callee = this.resolve(calleeName(call) ?? call.childForFieldName('function')?.text ?? '');
      for (const name of targetNames(left)) {
        const list = this.bindings.get(name) ?? [];
        list.push({ callee, call });
        this.bindings.set(name, list);
      }
    }
  }

  /** Nodes captured under `name`, in document order. */
  captured(name: string): SyntaxNode[] {
    return this.byName.get(name) ?? [];
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
    return this.imports.some((imp) => imp.modules.some((m) => prefixes.some((p) => m === p || m.startsWith(p + '.'))));
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
