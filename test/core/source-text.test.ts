import { columnAt, lineAt, lineCount, lineText, makeSourceText } from '../../src/core/source-text.js';

describe('SourceText positions', () => {
  const src = makeSourceText('\uFEFFa = "é😀"\r\n\tb = 1\nc');

  test('BOM is stripped from the text and remembered', () => {
    expect(src.hasBom).toBe(true);
    expect(src.text.startsWith('a = ')).toBe(true);
  });

  test('lines and code-point columns from UTF-16 indices', () => {
    const bIndex = src.text.indexOf('b');
    expect(lineAt(src, bIndex)).toBe(2);
    expect(columnAt(src, bIndex)).toBe(2); // after one tab
    const quoteIndex = src.text.lastIndexOf('"');
    expect(columnAt(src, quoteIndex)).toBe(8); // a, ,=, ,", é, 😀 → the quote is the 8th character
    expect(lineAt(src, src.text.length - 1)).toBe(3);
  });

  test('line text drops the CR of CRLF; counts lines without a final newline', () => {
    expect(lineText(src, 1)).toBe('a = "é😀"');
    expect(lineText(src, 2)).toBe('\tb = 1');
    expect(lineCount(src)).toBe(3);
    expect(src.eol).toBe('\n'); // one CRLF, one LF: ties go to LF
  });
});
