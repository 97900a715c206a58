import { parseSpecText, updateSpecText } from '../../src/spec/frontmatter.js';

const spec = `---
title: Baseline CNN on MNIST
# the hypothesis we test
hypothesis: dropout helps
seeds: [1, 2, 3]
custom_field: kept
---
# Notes

Body text stays as it is.
`;

describe('spec frontmatter', () => {
  test('parses fields and keeps unknown ones', () => {
    const parsed = parseSpecText(spec, 'exp.md');
    expect(parsed.data).toEqual({ title: 'Baseline CNN on MNIST', hypothesis: 'dropout helps', seeds: [1, 2, 3], custom_field: 'kept' });
  });

  test('a file without frontmatter has empty data', () => {
    expect(parseSpecText('# just notes\n', 'x.md').data).toEqual({});
  });

  test('malformed YAML names the file line', () => {
    const bad = '---\ntitle: ok\nseeds: [1, 2\nmodel: x\n---\nbody\n';
    expect(() => parseSpecText(bad, 'bad.md')).toThrow(/bad\.md at line [34]/);
  });

  test('an unclosed frontmatter is an error', () => {
    expect(() => parseSpecText('---\ntitle: x\n', 'open.md')).toThrow(/no closing/);
  });

  test('a list is not a frontmatter', () => {
    expect(() => parseSpecText('---\n- a\n- b\n---\n', 'l.md')).toThrow(/mapping/);
  });

  test('updates keep comments, other fields and the body byte for byte', () => {
    const out = updateSpecText(spec, 'exp.md', { status: 'running', run: 'train-0101-1200' });
    expect(out).toContain('# the hypothesis we test');
    expect(out).toContain('custom_field: kept');
    expect(out.endsWith('---\n# Notes\n\nBody text stays as it is.\n')).toBe(true);
    expect(parseSpecText(out, 'exp.md').data).toMatchObject({ status: 'running', run: 'train-0101-1200', seeds: [1, 2, 3] });
  });

  test('updates keep CRLF line endings', () => {
    const crlf = spec.replace(/\n/g, '\r\n');
    const out = updateSpecText(crlf, 'exp.md', { status: 'completed' });
    expect(out.replace(/\r\n/g, '')).not.toContain('\n');
    expect(parseSpecText(out, 'exp.md').data.status).toBe('completed');
  });
});
