/**
 * PID reuse, forced: the run dies without recording an exit code, and a new process that also runs
 * a `wrapper.sh` gets its PID (through /proc/sys/kernel/ns_last_pid, which needs root). Forcing a
 * PID hands it to whichever process forks next, so the scenario runs in its own PID namespace
 * (`unshare -pf`, bash as its init): nothing outside can be given the PID, or be signalled.
 */
import { accessSync, constants, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN } from '../support/cli.js';
import { commandExists, describeWith } from '../support/components.js';
import { makeProject } from '../support/runs.js';
import { counted } from '../support/attack-figures.js';

function canForcePids(): boolean {
  try {
    accessSync('/proc/sys/kernel/ns_last_pid', constants.W_OK);
    return process.getuid?.() === 0 && spawnSync('unshare', ['-pf', '--mount-proc', 'true']).status === 0;
  } catch {
    return false;
  }
}

/** Launch, kill the run's group, start an impostor `bash …/wrapper.sh` with the same PID, then ask status and stop. */
const SCENARIO = `set -u
node=$1 bin=$2 backend=$3 other=$4
x() { "$node" "$bin" "$@"; }
x launch --backend "$backend" --name victim -- sleep 300 >/dev/null || { echo "launch=failed"; exit 1; }
for i in $(seq 400); do [ -s .expkit/runs/victim/pid ] && break; sleep 0.05; done
pid=$(cat .expkit/runs/victim/pid)
x status victim --json > before.json
kill -9 -- "-$pid"
for i in $(seq 400); do [ -e "/proc/$pid" ] || break; sleep 0.05; done
printf 'sleep 300\\n' > "$other/wrapper.sh"
echo $((pid - 1)) > /proc/sys/kernel/ns_last_pid
setsid bash "$other/wrapper.sh" </dev/null >/dev/null 2>&1 &
imp=$!
for i in $(seq 200); do case "$(tr '\\0' ' ' < "/proc/$imp/cmdline")" in bash*) break ;; esac; sleep 0.02; done
echo "victim=$pid impostor=$imp"
echo "cmdline=$(tr '\\0' ' ' < /proc/$imp/cmdline)"
x status victim --json > after.json
x stop victim > stop.txt 2>&1; echo "stopExit=$?"
if grep -qv ') Z' "/proc/$imp/stat" 2>/dev/null; then echo impostorAlive=yes; else echo impostorAlive=no; fi
kill -9 -- "-$imp"
`;

describeWith('root, a writable /proc/sys/kernel/ns_last_pid and unshare (forced PID reuse)', canForcePids())('stop and status after PID reuse', () => {
  test.each(['process', 'tmux'])('%s: a dead run whose PID another wrapper.sh now has is lost, and stop signals nothing', counted('PID reuse before stop and status', (backend: string) => {
    if (backend === 'tmux' && !commandExists('tmux')) return;
    const p = makeProject();
    const other = mkdtempSync(join(tmpdir(), 'expkit-impostor-'));
    try {
      const script = join(other, 'scenario.sh');
      writeFileSync(script, SCENARIO);
      const r = spawnSync('unshare', ['-pf', '--mount-proc', 'bash', script, process.execPath, BIN, backend, other], { cwd: p.dir, env: { ...process.env, ...p.env }, encoding: 'utf8', timeout: 90000 });
      const out = Object.fromEntries(r.stdout.split('\n').flatMap((l) => l.split(' ')).filter((w) => w.includes('=')).map((w) => w.split('=') as [string, string]));
      const read = (f: string) => readFileSync(join(p.dir, f), 'utf8');
      expect(JSON.parse(read('before.json')).state).toBe('running');
      // The PID really was reused, by a process that also runs a wrapper.sh.
      expect(out.impostor).toBe(out.victim);
      expect(r.stdout).toContain(`cmdline=bash ${other}/wrapper.sh`);
      expect(JSON.parse(read('after.json'))).toMatchObject({ state: 'lost', exitCode: null });
      expect(out.stopExit).toBe('0');
      expect(read('stop.txt')).toContain('victim already ended: lost');
      expect(out.impostorAlive).toBe('yes');
    } finally {
      rmSync(other, { recursive: true, force: true });
      p.cleanup();
    }
  }));
});
