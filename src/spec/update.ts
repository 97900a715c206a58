/**
 * Setting the frontmatter fields expkit owns (`status`, `started`, `run`, `completed`, `outcome`,
 * `result`) in place. The spec is the user's file: everything else in it stays byte for byte —
 * comments, key order, flow sequences such as `[1, 2]`, CRLF, a BOM, and bytes that are not UTF-8.
 *
 * The file is handled through a latin1 view (one character per byte), never decoded as UTF-8, so
 * YAML offsets are byte offsets and bytes outside the edited values are copied untouched. YAML's
 * syntax is all ASCII, so the view parses to the same structure as the real text.
 */
import { isDeepStrictEqual } from 'node:util';
import { isMap, isScalar, stringify, type Node, type Pair } from 'yaml';
import { ExitCode, ExpkitError } from '../core/errors.js';
import { OPEN_RE, parseYaml, splitFrontmatter } from './fence.js';

const BOM = '\xEF\xBB\xBF';

interface Edit {
  /** Offsets in the YAML text between the fences. */
  start: number;
  end: number;
  /** Replacement text in the latin1 view (UTF-8 bytes as characters). */
  text: string;
}

/**
 * Set top-level frontmatter fields in a spec's bytes and return the new bytes. An existing field's
 * value is replaced where it stands (a comment after it on its line stays); a missing field is
 * added as `key: value` after the last frontmatter line, before the closing `---`, in the order
 * given; a file without frontmatter gets one at its top.
 */
export function updateSpecBytes(bytes: Uint8Array, path: string, updates: Record<string, unknown>): Buffer {
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  const bom = view.startsWith(BOM) ? BOM.length : 0;
  const body = view.slice(bom);
  const split = splitFrontmatter(body);
  if (!split) {
    if (OPEN_RE.test(body)) {
      throw new ExpkitError(`malformed frontmatter in ${path} at line 1: the opening '---' has no closing '---'`, { exitCode: ExitCode.Usage });
    }
    const eol = body.includes('\r\n') ? '\r\n' : '\n';
    const fields = Object.entries(updates).map(([k, v]) => fieldLine(k, v, eol)).join('');
    return Buffer.from(view.slice(0, bom) + `---${eol}${fields}---${eol}` + body, 'latin1');
  }

  const doc = parseYaml(split, path);
  const yamlStart = bom + split.yamlStart;
  const edits: Edit[] = [];
  const appended: string[] = [];
  const contents = doc.contents;
  if (contents !== null && !isMap(contents)) {
    throw new ExpkitError(`malformed frontmatter in ${path} at line 2: expected a mapping of fields`, { exitCode: ExitCode.Usage });
  }
  if (isMap(contents) && contents.flow) {
    throw new ExpkitError(`cannot update the frontmatter of ${path}: it is a flow mapping ({…}); write one "key: value" per line`, { exitCode: ExitCode.Usage });
  }
  for (const [key, value] of Object.entries(updates)) {
    const pair = contents?.items.find((p) => isScalar(p.key) && p.key.value === key) as Pair<Node, Node | null> | undefined;
    if (pair) edits.push(valueEdit(split.yamlText, pair, value));
    else appended.push(fieldLine(key, value, split.eol));
  }
  if (appended.length) edits.push({ start: split.yamlText.length, end: split.yamlText.length, text: appended.join('') });

  let out = view;
  for (const e of edits.sort((a, b) => b.start - a.start)) {
    out = out.slice(0, yamlStart + e.start) + e.text + out.slice(yamlStart + e.end);
  }
  const result = Buffer.from(out, 'latin1');
  assertReadsBack(result, path, updates);
  return result;
}

/** A guard against a YAML shape not foreseen above: the new file must parse to the new values. */
function assertReadsBack(bytes: Buffer, path: string, updates: Record<string, unknown>): void {
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  const data = (parseYaml(splitFrontmatter(text)!, path).toJS() ?? {}) as Record<string, unknown>;
  for (const [key, value] of Object.entries(updates)) {
    if (!isDeepStrictEqual(data[key], value)) {
      throw new ExpkitError(`could not update field "${key}" of ${path} in place; the file was left as it was`, {
        exitCode: ExitCode.Usage,
        hint: `set it by hand (${key}: ${JSON.stringify(value)}) or rewrite the field as one "key: value" line`,
      });
    }
  }
}

/** Replace PAIR's value in YAML (offsets relative to it), keeping the key, its colon and any comment. */
function valueEdit(yaml: string, pair: Pair<Node, Node | null>, value: unknown): Edit {
  const keyEnd = pair.key.range![1];
  const colon = yaml.indexOf(':', keyEnd) + 1;
  const node = pair.value;
  const text = yamlValue(value);
  // An empty value (`status:` or a pair with no value node) ends right after its colon.
  if (!node || !node.range || node.range[0] === node.range[1]) return { start: colon, end: colon, text: ` ${text}` };
  const start = node.range[0];
  let end = node.range[1];
  // Block values (lists, `|` text) end after their last line break: keep the line structure.
  while (end > start && /[\r\n \t]/.test(yaml[end - 1])) end--;
  const between = yaml.slice(colon, start);
  if (!/[\r\n]/.test(between)) return { start, end, text };
  // The value began on a later line. Without a comment in between, it moves up beside its key;
  // with one, the comment stays and the value goes on its own indented line.
  if (!between.includes('#')) return { start: colon, end, text: ` ${text}` };
  const lineStart = yaml.lastIndexOf('\n', start - 1) + 1;
  return { start: lineStart, end, text: `  ${text}` };
}

function fieldLine(key: string, value: unknown, eol: string): string {
  return `${yamlValue(key)}: ${yamlValue(value)}${eol}`;
}

/** Line breaks YAML 1.1 readers (PyYAML) also count, and control characters: always escaped. */
const NEEDS_ESCAPE = /[\x00-\x1f\x7f\x85\u2028\u2029]/;

/** A double-quoted YAML string: JSON's escapes are YAML's, plus the three line breaks JSON leaves bare. */
function quoted(text: string): string {
  return JSON.stringify(text).replace(/[\x7f\x85\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * One value on one line as YAML, in the latin1 view: plain when that reads back the same, quoted
 * otherwise; lists in flow style (`[a, b]`).
 */
function yamlValue(value: unknown): string {
  let text: string;
  if (typeof value === 'string' && NEEDS_ESCAPE.test(value)) text = quoted(value);
  else if (Array.isArray(value) && value.some((v) => typeof v === 'string' && NEEDS_ESCAPE.test(v))) {
    text = `[${value.map((v) => (typeof v === 'string' ? quoted(v) : JSON.stringify(v))).join(', ')}]`;
  } else {
    // Only lists are written in flow style: a flow context would quote text with commas.
    const style = Array.isArray(value) ? ({ collectionStyle: 'flow', flowCollectionPadding: false } as const) : {};
    text = stringify(value, { lineWidth: 0, ...style }).replace(/\n$/, '');
  }
  return Buffer.from(text, 'utf8').toString('latin1');
}

/** updateSpecBytes for a spec held as text (tests, previews); files are updated as bytes. */
export function updateSpecText(text: string, path: string, updates: Record<string, unknown>): string {
  return updateSpecBytes(Buffer.from(text, 'utf8'), path, updates).toString('utf8');
}
