import { assertValidName, nameProblem } from '../../src/core/names.js';

describe('name validation', () => {
  test.each(['mnist-baseline', 'gpt2_small.v2', 'a', '1cycle'])('accepts %j', (name) => {
    expect(nameProblem(name)).toBeNull();
  });

  test.each([
    ['', 'empty'],
    ['../etc', 'path separator'],
    ['a..b', '".."'],
    ['a/b', 'path separator'],
    ['tab\tname', 'control characters'],
    ['-flag', 'only letters'],
    ['has space', 'only letters'],
    ['x'.repeat(101), 'longer than'],
  ])('rejects %j (%s)', (name, reason) => {
    expect(nameProblem(name)).toContain(reason);
    expect(() => assertValidName('slug', name)).toThrow(/invalid slug/);
  });
});
