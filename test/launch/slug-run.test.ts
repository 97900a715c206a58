import { runShInterpreter, runShLiteral, runShSeeds } from '../../src/launch/slug-run.js';
import { runSh } from '../../src/scaffold/run-sh.js';

/** The scaffold's own run.sh, so the reader follows what the generator writes. */
const script = (python: string | null, venv: string | null, condaEnv: string | null) =>
  runSh({ slug: 'demo', python, venv, condaEnv } as Parameters<typeof runSh>[0]).content;

describe('what run.sh will run (launch SLUG)', () => {
  test("run.sh's literals, quoted as the scaffold quotes them", () => {
    expect(runShLiteral(script("/opt/it's py/bin/python", null, null), 'default_python')).toBe("/opt/it's py/bin/python");
    expect(runShLiteral(script(null, null, null), 'default_python')).toBe('');
  });

  test('PYTHON wins, then the default, after the venv or conda env run.sh activates', () => {
    expect(runShInterpreter(script('/usr/bin/python3', null, null), {})).toEqual({ python: '/usr/bin/python3', venv: null, condaEnv: null });
    expect(runShInterpreter(script('/usr/bin/python3', null, null), { PYTHON: 'python3.11' }).python).toBe('python3.11');
    expect(runShInterpreter(script(null, '.venv', null), {})).toEqual({ python: 'python3', venv: '.venv', condaEnv: null });
    // VENV= (set, empty) turns the default off, as ${VENV-default} does.
    expect(runShInterpreter(script(null, '.venv', null), { VENV: '' }).venv).toBeNull();
    expect(runShInterpreter(script(null, '.venv', 'ml'), {})).toEqual({ python: 'python3', venv: null, condaEnv: 'ml' });
  });

  test("seeds: SEEDS, else config.yaml's", () => {
    expect(runShSeeds('seeds: [1, 2, 3]\nlr: 0.1\n', undefined)).toEqual([1, 2, 3]);
    expect(runShSeeds('seeds: [1, 2, 3]\n', '7 8')).toEqual([7, 8]);
    expect(runShSeeds('lr: 0.1\n', undefined)).toEqual([]);
    expect(runShSeeds(null, undefined)).toEqual([]);
    expect(runShSeeds(': : bad', undefined)).toEqual([]);
  });
});
