/**
 * The command line as agents drive it, the same way for every command: under --json a failure is one
 * JSON object on stdout (usage errors included), numbers are parsed by one parser with one kind of
 * refusal, and --yes is accepted wherever a command changes something.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, type CliResult } from './support/cli.js';
import { tempDir } from './support/temp.js';

const project = tempDir('expkit-cli-');
mkdirSync(join(project, '.git'));
const env = { EXPKIT_HOME: join(project, '.expkit') };
const cli = (args: string[], more: Record<string, string> = {}) => runCli(args, { cwd: project, env: { ...env, ...more } });

/** Every command, with an invocation that fails on its input (null: none fails without a real setup). */
const FAILING_INPUT: Record<string, string[] | null> = {
  analyze: ['analyze', 'missing.py'],
  scaffold: ['scaffold', 'bad slug!'],
  instrument: ['instrument', 'missing.py', '--seed'],
  revert: ['revert', 'missing.py'],
  patches: null,
  launch: ['launch'],
  status: ['status', 'no-such-run'],
  list: null,
  logs: ['logs', 'no-such-run'],
  attach: ['attach', 'no-such-run'],
  stop: ['stop', 'no-such-run'],
  wait: ['wait', 'no-such-run'],
  doctor: null,
  collect: ['collect', 'no-such-slug'],
  compare: ['compare', 'no-such-run'],
  mcp: ['mcp', '--dir', 'no-such-dir'],
};
const COMMANDS = Object.keys(FAILING_INPUT);
/** Commands with a required argument. */
const NEEDS_ARGUMENT = ['analyze', 'scaffold', 'instrument', 'revert', 'logs', 'attach', 'stop', 'wait', 'collect'];

interface JsonError {
  message: string;
  exitCode: number;
  hint: string | null;
}

/** The failure as an agent reads it: one JSON object on stdout, the same line on stderr, and the exit code. */
function expectJsonError(r: CliResult, exitCode?: number): JsonError {
  expect(r.exitCode).not.toBe(0);
  if (exitCode !== undefined) expect(r.exitCode).toBe(exitCode);
  const parsed = JSON.parse(r.stdout);
  expect(Object.keys(parsed).sort()).toEqual(['error', 'schemaVersion']);
  expect(parsed.schemaVersion).toBe(1);
  const error = parsed.error as JsonError;
  expect(Object.keys(error).sort()).toEqual(['exitCode', 'hint', 'message']);
  expect(error.exitCode).toBe(r.exitCode);
  expect(typeof error.message).toBe('string');
  expect(error.message).not.toContain('\n');
  expect(error.hint === null || typeof error.hint === 'string').toBe(true);
  // stderr keeps its one line (and the hint), as without --json.
  expect(r.stderr).toBe(`expkit: ${error.message}\n${error.hint ? `hint: ${error.hint}\n` : ''}`);
  return error;
}

test('the tables below name every command the CLI has', async () => {
  const help = (await cli(['--help'])).stdout;
  const listed = [...help.matchAll(/^ {2}([a-z]+) /gm)].map((m) => m[1]).filter((name) => name !== 'help');
  expect(listed.sort()).toEqual([...COMMANDS].sort());
});

describe('--json: a failure is {schemaVersion, error: {message, exitCode, hint}} on stdout', () => {
  test.each(COMMANDS.filter((c) => FAILING_INPUT[c] !== null))('%s: bad input', async (command) => {
    const error = expectJsonError(await cli([...FAILING_INPUT[command]!, '--json']));
    expect(error.message).not.toMatch(/internal error/);
  });

  test.each(COMMANDS)("%s: an unknown option (commander's error) is a usage error that says where the usage is", async (command) => {
    const error = expectJsonError(await cli([command, '--frobnicate', '--json']), 2);
    expect(error).toEqual({ message: "unknown option '--frobnicate'", exitCode: 2, hint: `run \`expkit ${command} --help\` for usage` });
  });

  test.each(NEEDS_ARGUMENT)('%s: a missing argument is a usage error', async (command) => {
    const error = expectJsonError(await cli([command, '--json']), 2);
    expect(error.message).toMatch(/^missing required argument '\w+'$/);
  });

  test("commander's suggestion goes in the hint, so the message stays one line", async () => {
    const error = expectJsonError(await cli(['status', '--jsn', '--json']), 2);
    expect(error).toEqual({ message: "unknown option '--jsn'", exitCode: 2, hint: 'Did you mean --json? Run `expkit status --help` for usage' });
    expect(expectJsonError(await cli(['statsu', '--json']), 2).message).toBe("unknown command 'statsu'");
  });

  test('without --json a failure prints nothing on stdout', async () => {
    const r = await cli(['status', 'no-such-run']);
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('expkit: no run named no-such-run\nhint: expkit list shows the runs\n');
  });

  test('--json after -- belongs to the launched command, not to expkit', async () => {
    const r = await cli(['launch', '--backend', 'process', '--', 'python3', 'missing.py', '--json']);
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe('');
  });
});

interface NumericOption {
  /** The command and its other arguments. */
  command: string[];
  flag: string;
  kind: 'whole' | 'seconds';
  min: number;
  max: number;
  /** Words after `--` (launch's command). */
  after?: string[];
}

/** Every numeric option of every command and the range it takes; the first test reads them from --help. */
const NUMERIC: NumericOption[] = [
  { command: ['stop', 'no-such-run'], flag: '--grace', kind: 'seconds', min: 0, max: 86_400 },
  { command: ['wait', 'no-such-run'], flag: '--timeout', kind: 'seconds', min: 0, max: 31_536_000 },
  { command: ['logs', 'no-such-run'], flag: '-n', kind: 'whole', min: 0, max: 1_000_000_000 },
  { command: ['launch', '--backend', 'process'], flag: '--cpus-per-task', kind: 'whole', min: 1, max: 100_000, after: ['--', 'python3', 'missing.py'] },
  { command: ['launch', '--backend', 'process', '--range', 'x=uniform:0:1'], flag: '--sample', kind: 'whole', min: 1, max: 1_000_000, after: ['--', 'python3', 'missing.py'] },
  { command: ['launch', '--backend', 'process', '--range', 'x=uniform:0:1', '--sample', '2'], flag: '--sample-seed', kind: 'whole', min: 0, max: 2 ** 32 - 1, after: ['--', 'python3', 'missing.py'] },
  { command: ['instrument', 'missing.py', '--checkpoint'], flag: '--every', kind: 'whole', min: 1, max: 1_000_000_000 },
  { command: ['instrument', 'missing.py'], flag: '--seed', kind: 'whole', min: 0, max: 2 ** 32 - 1 },
];

function badValues(o: NumericOption): string[] {
  const bad = ['abc', '', '-1', '1e3', '0x10', '99999999999999999999', String(o.max + 1)];
  bad.push(...(o.kind === 'whole' ? ['1.5'] : ['5 m', '1d']));
  if (o.min > 0) bad.push(String(o.min - 1));
  return bad;
}

describe('numbers: one parser, one line, exit 2, before anything else is looked at', () => {
  test('the table holds every numeric option of every command', async () => {
    const found: string[] = [];
    for (const command of COMMANDS) {
      const help = (await cli([command, '--help'])).stdout;
      for (const m of help.matchAll(/(?:(-\w), )?(--[\w-]+) [<[](?:n|seconds)[>\]]/g)) found.push(`${command} ${m[1] ?? m[2]}`);
    }
    expect(found.sort()).toEqual(NUMERIC.map((o) => `${o.command[0]} ${o.flag}`).sort());
  });

  const cases = NUMERIC.flatMap((o) => badValues(o).map((value) => [`${o.command[0]} ${o.flag} ${JSON.stringify(value)}`, o, value] as const));

  // A bad number wins over the missing file or run: the number is read first.
  test.each(cases)('%s is refused', async (_name, o, value) => {
    const range = o.kind === 'whole' ? `a whole number from ${o.min} to ${o.max}` : `seconds from ${o.min} to ${o.max} (like 30, 1.5, 90s, 5m, 2h)`;
    const message = `${o.flag} takes ${range}, not ${JSON.stringify(value)}`;
    const r = await cli([...o.command, o.flag, value, ...(o.after ?? [])]);
    expect({ exitCode: r.exitCode, stdout: r.stdout, stderr: r.stderr }).toEqual({ exitCode: 2, stdout: '', stderr: `expkit: ${message}\n` });
    const json = expectJsonError(await cli([...o.command, o.flag, value, '--json', ...(o.after ?? [])]), 2);
    expect(json.message).toBe(message);
  });

  test.each([
    [['stop', 'no-such-run', '--grace', '0.5']],
    [['stop', 'no-such-run', '--grace', '2m']],
    [['wait', 'no-such-run', '--timeout', '0']],
    [['logs', 'no-such-run', '-n', '0']],
  ])('%j: a good value passes the parser (and the run is looked up next)', async (args) => {
    const r = await cli(args);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/^expkit: no run named no-such-run\n/);
  });

  test('EXPKIT_STOP_GRACE is read by the same parser', async () => {
    const r = await cli(['stop', 'no-such-run'], { EXPKIT_STOP_GRACE: 'soon' });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toBe('expkit: EXPKIT_STOP_GRACE takes seconds from 0 to 86400 (like 30, 1.5, 90s, 5m, 2h), not "soon"\n');
  });
});

describe('--yes: accepted by every command that changes something', () => {
  test.each([
    [['revert', 'missing.py', '--yes'], /has no expkit patch to revert/],
    [['stop', 'no-such-run', '--yes'], /no run named no-such-run/],
    [['collect', 'no-such-slug', '--yes'], /nothing to collect/],
    [['launch', '--yes'], /nothing to launch/],
  ])('%j is not an unknown option: the command runs and meets its own error', async (args, expected) => {
    const r = await cli(args);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(expected);
  });

  test('scaffold --yes --dry-run previews as without --yes', async () => {
    const withYes = await cli(['scaffold', 'demo', '--dry-run', '--yes']);
    const without = await cli(['scaffold', 'demo', '--dry-run']);
    expect(withYes.exitCode).toBe(0);
    expect(withYes.stdout).toBe(without.stdout);
  });

  test('instrument --apply without a terminal still needs --yes (it would ask); --yes without --apply is refused', async () => {
    const noYes = await cli(['instrument', 'missing.py', '--seed', '--apply', '--json']);
    expect(expectJsonError(noYes, 2).message).toBe('--apply --json cannot ask for approval: add --patch-id ID (from the preview) or --yes');
    const yesAlone = await cli(['instrument', 'missing.py', '--seed', '--yes']);
    expect(yesAlone.exitCode).toBe(2);
    expect(yesAlone.stderr).toBe('expkit: --yes goes with --apply\n');
  });
});
