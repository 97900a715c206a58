/**
 * Each run gets exactly its own launcher's environment; secrets never stay with tmux or screen;
 * an environment far over tmux's command-line limit works.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { commandExists, describeWith } from '../support/components.js';
import { useProject } from '../support/runs.js';

const SHOW = ['--', 'sh', '-c', 'echo "HF=${HF_TOKEN-unset} MINE=${MINE-unset} CVD=${CUDA_VISIBLE_DEVICES-unset} BIG=${#BIG}"'];
const BIG = 'x'.repeat(20000);

function envSuite(backend: string, serverEnv: (p: ReturnType<typeof useProject>) => string) {
  const p = useProject();

  test('the first launcher’s variables (a secret, CUDA_VISIBLE_DEVICES) reach its run only; nothing secret stays with the server', async () => {
    const first = await p.cli(['launch', '--backend', backend, '--name', 'first', ...SHOW], { HF_TOKEN: 'sekrit-hf-1', MINE: 'first', CUDA_VISIBLE_DEVICES: '3', MY_API_KEY: 'sekrit-key-2' });
    expect(first.exitCode).toBe(0);
    expect((await p.cli(['wait', 'first', '--timeout', '30'])).exitCode).toBe(0);
    const second = await p.cli(['launch', '--backend', backend, '--name', 'second', ...SHOW], { BIG });
    expect(second.exitCode).toBe(0);
    expect((await p.cli(['wait', 'second', '--timeout', '30'])).exitCode).toBe(0);
    expect(p.log('first').trim()).toBe('HF=sekrit-hf-1 MINE=first CVD=3 BIG=0');
    // An environment of 20 KB passes (tmux refused the command line), and the first one does not leak in.
    expect(p.log('second').trim()).toBe(`HF=unset MINE=unset CVD=unset BIG=${BIG.length}`);
    const server = serverEnv(p);
    expect(server).not.toContain('sekrit');
    expect(server).not.toMatch(/^MINE=/m);
    for (const run of ['first', 'second']) {
      expect(existsSync(join(p.runDir(run), 'launch.env'))).toBe(false);
      // The command's own output aside (it printed the secret on purpose), no file holds it.
      for (const f of readdirSync(p.runDir(run)).filter((f) => f !== 'output.log')) expect(readFileSync(join(p.runDir(run), f), 'utf8')).not.toContain('sekrit');
    }
  });
}

describeWith('tmux', commandExists('tmux'))('launch --backend tmux: environments', () => {
  envSuite('tmux', (p) => {
    const t = (...a: string[]) => spawnSync('tmux', ['-L', p.env.EXPKIT_TMUX_SOCKET, ...a], { encoding: 'utf8' }).stdout;
    return t('show-environment', '-t', 'experiments') + t('show-environment', '-g');
  });
});

describeWith('screen', commandExists('screen'))('launch --backend screen: environments', () => {
  // The SCREEN processes of the runs keep the environment they started with.
  envSuite('screen', () => '');
});

describe('launch --backend process: environments', () => {
  envSuite('process', () => '');
});
