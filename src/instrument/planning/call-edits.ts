/** Edits inside calls: add a keyword argument, change one, or add an element to a list argument. */
import type { SyntaxNode } from '../../parser/index.js';
import { lineAt } from '../../core/source-text.js';
import type { PatchKind } from '../types.js';
import { instrumentLines } from '../../python-library/definition.js';
import { EXTEND } from '../../python-library/settings.js';
import type { ListMerge, PlanContext } from './context.js';

export function keywordValue(ctx: PlanContext, call: SyntaxNode, name: string): SyntaxNode | null {
  for (const arg of call.childForFieldName('arguments')?.namedChildren ?? []) {
    if (arg.type === 'keyword_argument' && ctx.text(arg.childForFieldName('name')!) === name) return arg.childForFieldName('value');
  }
  return null;
}

/** Add `name=value` to a call, on its own line when the call spans lines. */
export function addKeyword(ctx: PlanContext, call: SyntaxNode, keyword: string, kind: PatchKind, reason: string): void {
  const args = call.childForFieldName('arguments');
  if (!args) return;
  const items = args.namedChildren.filter((n) => n.type !== 'comment');
  const close = args.endIndex - 1; // the ')'
  const last = items[items.length - 1];
  if (!last) {
    ctx.b.insertText(args.startIndex + 1, keyword, kind, reason);
    return;
  }
  const between = ctx.src.text.slice(last.endIndex, close);
  const hasComma = between.includes(',');
  const multiLine = lineAt(ctx.src, close) > lineAt(ctx.src, last.endIndex);
  if (multiLine) {
    // One argument per line: add ours as a new line before the closing parenthesis.
    if (!hasComma) ctx.b.insertText(last.endIndex, ',', kind, reason);
    ctx.b.insertAfterLine(lineAt(ctx.src, last.endIndex), [`${keyword},`], kind, reason, ctx.b.indentOf(last));
    return;
  }
  ctx.b.insertText(last.endIndex + (hasComma ? between.indexOf(',') + 1 : 0), hasComma ? ` ${keyword}` : `, ${keyword}`, kind, reason);
}

/** Replace the value of `name=` in a call. */
export function replaceKeyword(ctx: PlanContext, value: SyntaxNode, text: string, kind: PatchKind, reason: string): void {
  ctx.b.replace(value, text, kind, reason);
}

/**
 * Make sure a list-valued keyword (`callbacks=`, `logger=`) includes `element`. Several patches
 * may add to the same keyword: elements are collected and written as one edit by flushListMerges.
 */
export function mergeIntoList(ctx: PlanContext, call: SyntaxNode, name: string, element: string, kind: PatchKind, reason: string, single = false): void {
  const key = `${call.startIndex}:${name}`;
  const pending = ctx.listMerges.get(key);
  if (pending) {
    pending.elements.push(element);
    if (!pending.reasons.includes(reason)) pending.reasons.push(reason);
  } else ctx.listMerges.set(key, { call, name, elements: [element], kind, reasons: [reason], single });
}

/** Make sure a dict-valued keyword (`trainer_defaults=`) has `entry` (`"logger": …`); collected like list elements. */
export function mergeIntoDict(ctx: PlanContext, call: SyntaxNode, name: string, entry: string, kind: PatchKind, reason: string): void {
  mergeIntoList(ctx, call, name, entry, kind, reason);
  ctx.listMerges.get(`${call.startIndex}:${name}`)!.dict = true;
}

/** Write one collected list merge: append to a list literal, wrap another value, or add the keyword. */
export function writeListMerge(ctx: PlanContext, m: ListMerge): void {
  if (m.dict) {
    writeDictEntries(ctx, m);
    return;
  }
  const single = m.single && m.elements.length === 1;
  writeListElements(ctx, m.call, m.name, m.elements.join(', '), m.kind, m.reasons.join('; '), single, m.elements.length);
}

function writeListElements(ctx: PlanContext, call: SyntaxNode, name: string, element: string, kind: PatchKind, reason: string, single: boolean, count: number): void {
  const value = keywordValue(ctx, call, name);
  if (!value) {
    addKeyword(ctx, call, `${name}=${single ? element : `[${element}]`}`, kind, reason);
    return;
  }
  if (value.type === 'list') {
    const items = value.namedChildren.filter((n) => n.type !== 'comment');
    const last = items[items.length - 1];
    if (!last) {
      ctx.b.insertText(value.startIndex + 1, element, kind, reason);
      return;
    }
    const between = ctx.src.text.slice(last.endIndex, value.endIndex - 1);
    ctx.b.insertText(last.endIndex + (between.includes(',') ? between.indexOf(',') + 1 : 0), between.includes(',') ? ` ${element}` : `, ${element}`, kind, reason);
    return;
  }
  const text = ctx.text(value);
  if (/^(None|True|False)$/.test(text)) {
    ctx.b.replace(value, single || count > 1 ? (count > 1 ? `[${element}]` : element) : `[${element}]`, kind, reason);
    return;
  }
  // A variable or call: None, one object or a list, known only at run time.
  ctx.needHelper('_expkit_extend', instrumentLines(EXTEND));
  ctx.b.replace(value, `_expkit_extend(${text}, ${element})`, kind, reason);
}

/**
 * The value of `key` in a dict literal (`trainer_defaults={"callbacks": ImageSampler(), …}`), or
 * null when the literal has no such entry (or the value is not a literal dict).
 */
export function dictEntry(ctx: PlanContext, dict: SyntaxNode | null, key: string): SyntaxNode | null {
  if (dict?.type !== 'dictionary') return null;
  for (const pair of dict.namedChildren) {
    const k = pair.type === 'pair' ? pair.childForFieldName('key') : null;
    if (k?.type === 'string' && ctx.text(k).slice(1, -1) === key) return pair.childForFieldName('value');
  }
  return null;
}

/**
 * Add ELEMENTS to a dict entry's list value: appended to a list literal, a single object made a list
 * with them, a variable (None, one object or a list) extended at run time.
 */
export function extendEntry(ctx: PlanContext, value: SyntaxNode, elements: string[], kind: PatchKind, reason: string): void {
  const element = elements.join(', ');
  if (value.type === 'list') {
    const items = value.namedChildren.filter((n) => n.type !== 'comment');
    const last = items[items.length - 1];
    if (!last) ctx.b.insertText(value.startIndex + 1, element, kind, reason);
    else ctx.b.insertText(last.endIndex, `, ${element}`, kind, reason);
    return;
  }
  const text = ctx.text(value);
  if (text === 'None') ctx.b.replace(value, `[${element}]`, kind, reason);
  else if (value.type === 'call') ctx.b.replace(value, `[${text}, ${element}]`, kind, reason);
  else {
    ctx.needHelper('_expkit_extend', instrumentLines(EXTEND));
    ctx.b.replace(value, `_expkit_extend(${text}, ${element})`, kind, reason);
  }
}

function writeDictEntries(ctx: PlanContext, m: ListMerge): void {
  const entries = m.elements.join(', ');
  const reason = m.reasons.join('; ');
  const value = keywordValue(ctx, m.call, m.name);
  if (!value) addKeyword(ctx, m.call, `${m.name}={${entries}}`, m.kind, reason);
  else if (value.type === 'dictionary') ctx.b.insertText(value.startIndex + 1, value.namedChildren.length ? `${entries}, ` : entries, m.kind, reason);
  else ctx.b.replace(value, `{**(${ctx.text(value)} or {}), ${entries}}`, m.kind, reason);
}
