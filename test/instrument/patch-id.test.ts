import { canonicalJson, patchId } from '../../src/instrument/patch-id.js';

describe('patchId', () => {
  const original = Buffer.from('print(1)\n');
  const options = { seed: { value: 42, deterministic: false } };
  test('depends on the original bytes, the options and the diff, and on nothing else', () => {
    const id = patchId(original, options, 'DIFF');
    expect(patchId(Buffer.from('print(1)\n'), { seed: { deterministic: false, value: 42 } }, 'DIFF')).toBe(id);
    expect(patchId(Buffer.from('print(2)\n'), options, 'DIFF')).not.toBe(id);
    expect(patchId(original, { seed: { value: 43, deterministic: false } }, 'DIFF')).not.toBe(id);
    expect(patchId(original, options, 'DIFF2')).not.toBe(id);
  });
  test('canonical JSON sorts keys and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: [{ d: undefined, c: 'x' }] })).toBe('{"a":[{"c":"x"}],"b":1}');
  });
});
