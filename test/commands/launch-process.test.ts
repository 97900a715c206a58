import { backendSuite } from '../support/backend-suite.js';

describe('launch --backend process (real Python runs)', () => {
  backendSuite('process', () => ({}), (handle) => {
    expect(handle.pid).toBeGreaterThan(1);
    expect(handle.pgid).toBe(handle.pid);
  });
});
