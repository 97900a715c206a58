import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SYSTEM_PYTHON } from '../support/components.js';
import { useProject } from '../support/runs.js';

/**
 * Writes its output in chunks, each only once the test has created go-N, and says so with wrote-N:
 * the test reads between chunks for certain, with no timing. Chunk 1 ends in the middle of a
 * '€' (3 bytes in UTF-8) and chunk 2 completes it.
 */
const SLOW_WRITER = `import os, sys, time
chunks = [b"epoch 1 loss 0.5\\n", "h\\u00e9 \\u20ac".encode()[:-1], "\\u20ac".encode()[-1:] + b" ok\\nepoch 2 \\xf0\\x9f\\x98\\x80\\n", b"done\\n"]
for i, c in enumerate(chunks):
    while not os.path.exists(f"go-{i}"):
        time.sleep(0.02)
    sys.stdout.buffer.write(c)
    sys.stdout.buffer.flush()
    open(f"wrote-{i}", "w").close()
`;

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 1500 && !check(); i++) await new Promise((r) => setTimeout(r, 20));
  if (!check()) throw new Error('the writer did not answer');
}

describe('expkit logs RUN --since OFFSET', () => {
  const p = useProject();

  test('reading repeatedly with nextOffset reassembles exactly the log, never half a character', async () => {
    writeFileSync(join(p.dir, 'slow.py'), SLOW_WRITER);
    expect((await p.cli(['launch', '--backend', 'process', '--name', 'slow', '--', SYSTEM_PYTHON, 'slow.py'])).exitCode).toBe(0);
    let offset = 0;
    const parts: string[] = [];
    const read = async () => {
      const r = await p.json(['logs', 'slow', '--since', String(offset)]);
      expect(Object.keys(r).sort()).toEqual(['ended', 'nextOffset', 'schemaVersion', 'state', 'text']);
      parts.push(r.text);
      offset = r.nextOffset;
      return r;
    };
    const first = await read();
    expect(first).toMatchObject({ text: '', nextOffset: 0, ended: false });
    for (let i = 0; i < 4; i++) {
      writeFileSync(join(p.dir, `go-${i}`), '');
      await until(() => existsSync(join(p.dir, `wrote-${i}`)));
      const r = await read();
      if (i === 0) expect(r).toMatchObject({ text: 'epoch 1 loss 0.5\n', nextOffset: 17, state: 'running', ended: false });
      // Chunk 1 stops 2 bytes into '€': they wait for the next read.
      if (i === 1) expect(r).toMatchObject({ text: 'hé ', nextOffset: 17 + 4, ended: false });
      if (i === 2) expect(r.text).toBe('€ ok\nepoch 2 😀\n');
    }
    expect((await p.cli(['wait', 'slow', '--timeout', '30'])).exitCode).toBe(0);
    const last = await read();
    expect(last).toMatchObject({ state: 'succeeded', ended: true });
    expect(parts.join('')).toBe(p.log('slow'));
    expect(offset).toBe(Buffer.byteLength(p.log('slow')));
    // At the end, nothing more: the same offset again gives no text and still `ended`.
    expect(await p.json(['logs', 'slow', '--since', String(offset)])).toMatchObject({ text: '', nextOffset: offset, ended: true });
  });

  test('without --json: the text on stdout, the next offset on stderr', async () => {
    const r = await p.cli(['logs', 'slow', '--since', '17']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe(p.log('slow').slice('epoch 1 loss 0.5\n'.length));
    expect(r.stderr).toBe(`next offset: ${Buffer.byteLength(p.log('slow'))} (run succeeded, log complete)\n`);
  });

  test.each([['-1'], ['abc'], ['1.5'], ['99999']])('a bad offset (%s) is exit 2 with one line', async (bad) => {
    const r = await p.cli(['logs', 'slow', '--since', bad]);
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')[0]).toMatch(/^expkit: --since /);
    const j = await p.cli(['logs', 'slow', '--json', '--since', bad]);
    expect(j.exitCode).toBe(2);
    expect(JSON.parse(j.stdout).error.message).toMatch(/^--since /);
  });
});
