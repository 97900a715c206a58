import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { wrapperScript } from '../../src/launch/wrapper.js';
import { tempDir } from '../support/temp.js';

describe('the run wrapper (run with bash)', () => {
  let dir: string;
  beforeEach(() => {
    dir = tempDir('expkit-wrapper-');
  });
  const run = (o: Partial<Parameters<typeof wrapperScript>[0]>) => {
    const path = join(dir, 'wrapper.sh');
    writeFileSync(path, wrapperScript({ runName: 'r', runDir: dir, cwd: dir, argv: ['true'], env: {}, tee: false, ...o }));
    return spawnSync('bash', [path], { encoding: 'utf8' });
  };
  const file = (f: string) => readFileSync(join(dir, f), 'utf8').trim();

  test('records pid, times and exit code; output appended; env exported and unset', () => {
    writeFileSync(join(dir, 'output.log'), 'earlier attempt\n');
    const r = run({ argv: ['sh', '-c', 'echo "out $X $PYTHONUNBUFFERED ${GONE-unset}"; echo err >&2; exit 3'], env: { X: "a 'q' $b", GONE: null } });
    expect(r.status).toBe(3);
    expect(file('output.log')).toBe("earlier attempt\nout a 'q' $b 1 unset\nerr");
    expect(file('exit_code')).toBe('3');
    expect(file('pid')).toMatch(/^\d+$/);
    expect(Date.parse(file('ended_at'))).toBeGreaterThanOrEqual(Date.parse(file('started_at')));
  });

  test('the command gets EXPKIT_RUN_DIR, the run folder (where metrics.jsonl goes)', () => {
    const r = run({ argv: ['sh', '-c', 'echo "{\\"step\\": 1}" >> "$EXPKIT_RUN_DIR/metrics.jsonl"; echo "$EXPKIT_RUN_DIR"'] });
    expect(r.status).toBe(0);
    expect(file('output.log')).toBe(dir);
    expect(file('metrics.jsonl')).toBe('{"step": 1}');
  });

  test('tee mode copies output to the terminal too and keeps the command exit code', () => {
    const r = run({ argv: ['sh', '-c', 'echo hi; exit 5'], tee: true });
    expect(r.status).toBe(5);
    expect(r.stdout).toBe('hi\n');
    expect(file('output.log')).toBe('hi');
  });

  test('--after: a failed dependency leaves the run not started, with the reason', () => {
    const other = join(dir, 'other');
    spawnSync('mkdir', [other]);
    writeFileSync(join(other, 'exit_code'), '2\n');
    const r = run({ argv: ['sh', '-c', 'echo ran'], after: { name: 'other', dir: other } });
    expect(r.status).toBe(1);
    expect(file('not_started')).toBe('not started: other ended with exit code 2');
    expect(existsSync(join(dir, 'started_at'))).toBe(false);
    expect(existsSync(join(dir, 'output.log'))).toBe(false);
  });
});
