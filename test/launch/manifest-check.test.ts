import { parseManifest } from '../../src/launch/manifest-check.js';

const good = { schemaVersion: 1, name: 'r', backend: 'process', handle: {}, command: ['true'], cwd: '/p', createdAt: '2026-01-01T00:00:00Z', logPath: '/p/output.log', seed: null, slug: null };

describe('reading manifest.json defensively', () => {
  test('a complete record is accepted', () => {
    expect(parseManifest(JSON.stringify(good))).toEqual({ ok: true, manifest: good });
  });

  test.each([
    ['{}', 'manifest.json: schemaVersion is not 1'],
    ['null', 'manifest.json holds null, not a run record'],
    ['[]', 'manifest.json holds a list, not a run record'],
    ['"x"', 'manifest.json holds string, not a run record'],
    [JSON.stringify(good).slice(0, 40), 'manifest.json is not valid JSON'],
    ['\u0000\u00ff\u0001binary', 'manifest.json is not valid JSON'],
    ['', 'manifest.json is not valid JSON'],
    [JSON.stringify({ ...good, backend: 'k8s' }), 'manifest.json: backend is missing or unknown'],
    [JSON.stringify({ ...good, command: 'rm -rf /' }), 'manifest.json: command is not a list of strings'],
    [JSON.stringify({ ...good, handle: null }), 'manifest.json: handle is missing'],
  ])('%j → %s', (text, reason) => {
    const r = parseManifest(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason.startsWith(reason)).toBe(true);
  });
});
