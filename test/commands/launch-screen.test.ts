import { backendSuite } from '../support/backend-suite.js';
import { commandExists, describeWith } from '../support/components.js';

describeWith('screen', commandExists('screen'))('launch --backend screen (private SCREENDIR)', () => {
  backendSuite('screen', () => ({}), (handle) => {
    expect(handle).toEqual({ screenSession: 'expkit-ok-run' });
  });
});
