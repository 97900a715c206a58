/**
 * The JSON Schemas in schemas/ against the CLI's real --json output (the same schemas are the MCP
 * tools' outputSchema). Validated with the SDK's own Ajv validator, the one MCP clients use.
 */
import { copyFileSync } from 'node:fs';
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
