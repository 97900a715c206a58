/**
 * The JSON Schemas in schemas/ against the CLI's real --json output (the same schemas are the MCP
 * tools' outputSchema). Validated with the SDK's own Ajv validator, the one MCP clients use.
 */
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import { loadSchema, toolOutputSchema, type SchemaName } from '../../src/mcp/schemas.js';
import { runCli } from '../support/cli.js';
import { fixturePath } from '../support/fixtures.js';
import { tempDir } from '../support/temp.js';

const validator = new AjvJsonSchemaValidator();
function check(name: SchemaName, stdout: string): void {
  const result = validator.getValidator(loadSchema(name))(JSON.parse(stdout));
  expect(result.errorMessage).toBeUndefined();
  expect(result.valid).toBe(true);
}

describe('schemas/ against the CLI --json', () => {
  test.each(['instrument/plain_mlp/input.py', 'mingpt_callbacks.py', 'trl_sft_script.py', 'syntax_error.py'])('analyze %s', async (name) => {
    const r = await runCli(['analyze', fixturePath(name), '--json']);
    expect(r.exitCode).toBe(0);
    check('analysis', r.stdout);
  });

  test('instrument: the preview, and the apply', async () => {
    const dir = tempDir('expkit-schemas-');
    await execa('git', ['init', '-q'], { cwd: dir });
    copyFileSync(fixturePath('instrument/plain_mlp/input.py'), join(dir, 'train.py'));
    const preview = await runCli(['instrument', 'train.py', '--wandb', '--seed', '--checkpoint', '--json'], { cwd: dir });
    check('instrument', preview.stdout);
    const { patchId } = JSON.parse(preview.stdout) as { patchId: string };
    const applied = await runCli(['instrument', 'train.py', '--wandb', '--seed', '--checkpoint', '--apply', '--patch-id', patchId, '--json'], { cwd: dir });
    expect(applied.exitCode).toBe(0);
    check('instrument', applied.stdout);
  });

  test('a failure', async () => {
    const r = await runCli(['status', 'no-such-run', '--json'], { cwd: tempDir('expkit-schemas-') });
    expect(r.exitCode).toBe(2);
    check('error', r.stdout);
  });

  test('the schemas reject what they should: a missing key, an extra top-level key, a bad patchId', async () => {
    const r = await runCli(['analyze', fixturePath('instrument/plain_mlp/input.py'), '--json']);
    const analysis = JSON.parse(r.stdout) as Record<string, unknown>;
    const validate = validator.getValidator(loadSchema('analysis'));
    expect(validate({ ...analysis, extra: 1 }).valid).toBe(false);
    const { trainLoops: _dropped, ...missing } = analysis;
    expect(validate(missing).valid).toBe(false);
    expect(validator.getValidator(loadSchema('instrument'))({ diff: '', patchId: 'x', edits: [], warnings: [], skipped: [] }).valid).toBe(false);
    // The tool's outputSchema takes the result or the failure, nothing else.
    const tool = validator.getValidator(toolOutputSchema('analysis'));
    expect(tool(analysis).valid).toBe(true);
    expect(tool({ schemaVersion: 1, error: { message: 'm', exitCode: 2, hint: null } }).valid).toBe(true);
    expect(tool({ schemaVersion: 1 }).valid).toBe(false);
  });
});

/** Every other command output a tool returns, from real runs of the CLI in one scratch project. */
describe('schemas/ against the CLI --json: monitoring, scaffold, launch, patches', () => {
  let dir: string;
  const json = async (args: string[], expectedExit = 0) => {
    const r = await runCli([...args.slice(0, args.indexOf('--') < 0 ? args.length : args.indexOf('--')), '--json', ...(args.includes('--') ? args.slice(args.indexOf('--')) : [])], { cwd: dir });
    expect(r.exitCode).toBe(expectedExit);
    return r.stdout;
  };

  beforeAll(async () => {
    dir = tempDir('expkit-schemas-');
    await execa('git', ['init', '-q'], { cwd: dir });
    copyFileSync(fixturePath('instrument/plain_mlp/input.py'), join(dir, 'train.py'));
  });

  test('launch, status (one and all), list, logs, logs --since, wait on several runs, stop', async () => {
    check('launch', await json(['launch', '--backend', 'process', '--gpus', 'none', '--name', 's1', '--', 'sh', '-c', 'echo epoch 1/2 loss 0.5']));
    check('launch', await json(['launch', '--backend', 'process', '--gpus', 'none', '--name', 's2', '--', 'sh', '-c', 'echo epoch 2/2 loss 0.25']));
    check('wait', await json(['wait', 's1', 's2', '--all', '--timeout', '120']));
    const one = await json(['status', 's1']);
    check('status', one);
    expect(JSON.parse(one)).toMatchObject({ progressNumbers: { epoch: 1, epochTotal: 2, loss: 0.5 } });
    check('status-all', await json(['status']));
    check('list', await json(['list']));
    check('logs', await json(['logs', 's1']));
    check('logs-since', await json(['logs', 's1', '--since', '0']));
    check('stop', await json(['stop', 's1']));
  });

  test('scaffold (dry run and write), launch --dry-run, collect', async () => {
    mkdirSync(join(dir, 'experiments'), { recursive: true });
    writeFileSync(join(dir, 'experiments', 'demo.md'), '# demo\n');
    const plan = await json(['scaffold', 'demo', '--dry-run']);
    check('scaffold', plan);
    check('scaffold', await json(['scaffold', 'demo', '--plan-id', (JSON.parse(plan) as { planId: string }).planId]));
    check('launch', await json(['launch', 'demo', '--backend', 'process', '--gpus', 'none', '--dry-run']));
    mkdirSync(join(dir, 'results', 'demo'), { recursive: true });
    for (const s of [1, 2]) writeFileSync(join(dir, 'results', 'demo', `seed_${s}.json`), JSON.stringify({ seed: s, final: { accuracy: 0.8 + s / 100 } }));
    check('collect', await json(['collect', 'demo']));
  });

  test('patches and revert after an apply, doctor, agent-skill', async () => {
    const preview = JSON.parse(await json(['instrument', 'train.py', '--seed'])) as { patchId: string };
    await json(['instrument', 'train.py', '--seed', '--apply', '--patch-id', preview.patchId]);
    const patches = await json(['patches']);
    check('patches', patches);
    expect((JSON.parse(patches) as { patches: unknown[] }).patches.length).toBe(1);
    check('revert', await json(['revert', 'train.py']));
    const doctor = await runCli(['doctor', '--json'], { cwd: dir });
    check('doctor', doctor.stdout);
    check('agent-skill', await json(['agent-skill']));
  });

  test('the new schemas reject what they should', () => {
    expect(validator.getValidator(loadSchema('logs-since'))({ schemaVersion: 1, text: '', nextOffset: -1, ended: false, state: 'running' }).valid).toBe(false);
    expect(validator.getValidator(loadSchema('wait'))({ schemaVersion: 1, ended: [], pending: [] }).valid).toBe(false);
    expect(validator.getValidator(loadSchema('status'))({ name: 'x' }).valid).toBe(false);
  });
});
