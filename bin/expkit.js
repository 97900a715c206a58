#!/usr/bin/env node
// Thin launcher: the CLI is built into dist/bundle/ (tsc, then scripts/bundle.js) by `npm ci` through the `prepare` script.
import('../dist/bundle/cli.js').catch((err) => {
  if (err && err.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes('dist/bundle/cli.js')) {
    process.stderr.write('expkit: not built yet; run `npm ci` (or `npm run build`) in the expkit checkout\n');
    process.exit(70);
  }
  throw err;
});
