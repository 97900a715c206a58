import { spawnSync } from 'node:child_process';
import { pyString, shJoin, shQuote } from '../../src/core/quote.js';

const hostile = ["plain", "with space", "it's", '$(touch /tmp/expkit-pwned)', '`id`', 'a\nb', '"dq"', '', '-dash', 'back\\slash', 'ünï €'];

describe('shQuote', () => {
  test.each(hostile)('round-trips %j through a real shell without executing it', (value) => {
    const out = spawnSync('bash', ['-c', `printf '%s' ${shQuote(value)}`], { encoding: 'utf8' });
    expect(out.stdout).toBe(value);
  });

  test('leaves safe words bare and joins argv', () => {
    expect(shQuote('train.py')).toBe('train.py');
    expect(shJoin(['python', 'train.py', '--model', 'gpt 2'])).toBe("python train.py --model 'gpt 2'");
  });
});

describe('pyString', () => {
  test.each(hostile)('is a Python literal that evaluates to %j', (value) => {
    const out = spawnSync('python3', ['-c', `import sys; sys.stdout.write(${pyString(value)})`], { encoding: 'utf8' });
    expect(out.status).toBe(0);
    expect(out.stdout).toBe(value);
  });

  test.each(hostile)('single-quoted, is a Python literal that evaluates to %j', (value) => {
    const out = spawnSync('python3', ['-c', `import sys; sys.stdout.write(${pyString(value, "'")})`], { encoding: 'utf8' });
    expect(out.status).toBe(0);
    expect(out.stdout).toBe(value);
  });
});
