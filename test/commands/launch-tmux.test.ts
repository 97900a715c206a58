import { backendSuite } from '../support/backend-suite.js';
import { commandExists, describeWith } from '../support/components.js';

describeWith('tmux', commandExists('tmux'))('launch --backend tmux (private socket)', () => {
  backendSuite('tmux', () => ({}), (handle) => {
    expect(handle).toMatchObject({ session: 'experiments', windowId: expect.stringMatching(/^@\d+$/), socket: expect.stringMatching(/^expkit-test-/) });
  });
});
