// Jest's global setup and teardown for temporary folders. Setup gives the run a temp root of its own
// (TMPDIR, inherited by the workers and every process the tests start), so runs of several people on
// one machine never see each other's folders. Teardown fails the run when a suite left an `expkit-*`
// folder there (a missing cleanup), except those a failing test kept on purpose (test/support/temp.ts),
// and otherwise removes the root.
const { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { basename, join } = require('node:path');

const ROOT_ENV = 'EXPKIT_TEST_TMP_ROOT';
const KEPT_LIST = '.kept-on-failure';

async function setup() {
  const root = mkdtempSync(join(tmpdir(), 'expkit-jest-'));
  process.env[ROOT_ENV] = root;
  process.env.TMPDIR = root;
}

async function teardown() {
  const root = process.env[ROOT_ENV];
  if (!root || !existsSync(root)) return;
  const keptFile = join(root, KEPT_LIST);
  const kept = new Set(existsSync(keptFile) ? readFileSync(keptFile, 'utf8').split('\n').filter(Boolean).map((p) => basename(p)) : []);
  const left = readdirSync(root).filter((name) => name.startsWith('expkit-') && !kept.has(name));
  if (left.length > 0) {
    throw new Error(
      `tests left ${left.length} expkit temp folder(s) behind in ${root}: ${left.slice(0, 10).join(', ')}${left.length > 10 ? ', …' : ''}\n` +
        'make them with tempDir() from test/support/temp.ts, which removes them after the file\'s tests',
    );
  }
  if (kept.size > 0) {
    process.stderr.write(`note: kept for a look (a test failed): ${[...kept].map((name) => join(root, name)).join(', ')}\n`);
    return;
  }
  rmSync(root, { recursive: true, force: true });
}

module.exports = { setup, teardown };
