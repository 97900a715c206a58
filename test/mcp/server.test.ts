/**
 * `expkit mcp` driven by the SDK's own Client over stdio, the server started as a subprocess of the
 * built CLI on a temporary project. The Client itself validates every structured result against the
 * tool's outputSchema, so a call that returns is also a schema check.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ResourceUpdatedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import { BIN } from '../support/cli.js';
import { fixturePath } from '../support/fixtures.js';
import { tempDir } from '../support/temp.js';

interface ToolResult {
  isError?: boolean;
  structuredContent?: Record<string, unknown>;
  content: { type: string; text?: string }[];
}

let dir: string;
let client: Client;
let stderr = '';

beforeAll(async () => {
  dir = tempDir('expkit-mcp-');
  await execa('git', ['init', '-q'], { cwd: dir });
  copyFileSync(fixturePath('instrument/plain_mlp/input.py'), join(dir, 'train.py'));
  // A short heartbeat so the wait test sees one without waiting long (it waits on it, not on time).
  const transport = new StdioClientTransport({ command: process.execPath, args: [BIN, 'mcp'], cwd: dir, stderr: 'pipe', env: { ...process.env, EXPKIT_HOME: '', EXPKIT_MCP_HEARTBEAT_MS: '100' } as Record<string, string> });
  transport.stderr?.on('data', (b: Buffer) => (stderr += b.toString()));
  client = new Client({ name: 'expkit-test', version: '0' });
  await client.connect(transport);
});

afterAll(async () => {
  await client?.close();
});

const call = async (name: string, args: Record<string, unknown> = {}) => (await client.callTool({ name, arguments: args })) as ToolResult;

/** The structured error of a failed call: {message, exitCode, hint}, and the same in the text. */
function errorOf(r: ToolResult): { message: string; exitCode: number; hint: string | null } {
  expect(r.isError).toBe(true);
  const doc = r.structuredContent as { schemaVersion: number; error: { message: string; exitCode: number; hint: string | null } };
  expect(Object.keys(doc.error).sort()).toEqual(['exitCode', 'hint', 'message']);
  expect(JSON.parse(r.content[0].text ?? '')).toEqual(doc);
  expect(doc.error.message).not.toMatch(/\n|\s+at \S+ \(/); // one line, no stack trace
  return doc.error;
}

describe('expkit mcp over stdio', () => {
  test('lists every tool with an object input schema, annotations, and the written output schemas', async () => {
    const { tools } = await client.listTools();
    const names = tools.map((t) => t.name);
    for (const n of ['analyze', 'instrument_preview', 'instrument_apply', 'revert', 'patches', 'scaffold', 'launch', 'status', 'logs', 'wait', 'stop', 'collect', 'doctor']) expect(names).toContain(n);
    const validator = new AjvJsonSchemaValidator();
    for (const t of tools) {
      expect(t.inputSchema.type).toBe('object');
      // Every schema compiles (a broken one would throw here, as it would in a client).
      validator.getValidator(t.inputSchema);
      if (t.outputSchema) validator.getValidator(t.outputSchema);
      expect(typeof t.annotations?.readOnlyHint).toBe('boolean');
      expect(typeof t.annotations?.destructiveHint).toBe('boolean');
    }
    const byName = new Map(tools.map((t) => [t.name, t]));
    expect(byName.get('analyze')?.annotations).toMatchObject({ readOnlyHint: true, destructiveHint: false });
    expect(byName.get('instrument_apply')?.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: true });
    expect(byName.get('instrument_apply')?.inputSchema.required).toEqual(expect.arrayContaining(['file', 'patch_id']));
    expect(byName.get('analyze')?.outputSchema).toBeDefined();
    expect(byName.get('instrument_preview')?.outputSchema).toBeDefined();
  });

  test('analyze a script: the structured output is the CLI --json object', async () => {
    const r = await call('analyze', { path: 'train.py' });
    expect(r.isError).toBeFalsy();
    expect(r.structuredContent).toMatchObject({ schemaVersion: 1, file: 'train.py', framework: { name: 'pytorch' } });
    expect((r.structuredContent?.trainLoops as unknown[]).length).toBeGreaterThan(0);
  });

  test('preview → apply with its patchId; a wrong or stale id is refused and the file stays byte-identical', async () => {
    const file = join(dir, 'train.py');
    const original = readFileSync(file);
    const preview = await call('instrument_preview', { file: 'train.py', seed: true });
    expect(preview.isError).toBeFalsy();
    const { patchId, diff } = preview.structuredContent as { patchId: string; diff: string };
    expect(diff).toContain('+++ b/train.py');
    expect(readFileSync(file).equals(original)).toBe(true);

    // Wrong id.
    const wrong = errorOf(await call('instrument_apply', { file: 'train.py', seed: true, patch_id: `p1-${'f'.repeat(32)}` }));
    expect(wrong.exitCode).toBe(3);
    expect(readFileSync(file).equals(original)).toBe(true);
    // Other options than the ones previewed.
    expect(errorOf(await call('instrument_apply', { file: 'train.py', seed: 7, patch_id: patchId })).exitCode).toBe(3);
    // No id at all: the input schema requires one.
    expect(errorOf(await call('instrument_apply', { file: 'train.py', seed: true })).exitCode).toBe(2);
    // Stale: the file changed since the preview.
    const edited = Buffer.concat([original, Buffer.from('\n# edited after the preview\n')]);
    writeFileSync(file, edited);
    const stale = errorOf(await call('instrument_apply', { file: 'train.py', seed: true, patch_id: patchId }));
    expect(stale).toMatchObject({ exitCode: 3, message: expect.stringMatching(/changed since the preview/) });
    expect(readFileSync(file).equals(edited)).toBe(true);

    // Back to what was previewed: the id applies it, exactly.
    writeFileSync(file, original);
    const applied = await call('instrument_apply', { file: 'train.py', seed: true, patch_id: patchId });
    expect(applied.isError).toBeFalsy();
    expect(applied.structuredContent).toMatchObject({ applied: true, patchId, diff, layer: 1 });
    expect(readFileSync(file).equals(original)).toBe(false);
    const patches = await call('patches', {});
    expect(JSON.stringify(patches.structuredContent)).toContain('train.py');
    const reverted = await call('revert', { file: 'train.py' });
    expect(reverted.structuredContent).toMatchObject({ original: true });
    expect(readFileSync(file).equals(original)).toBe(true);
  });

  test('paths outside the project are refused, structured, like on the CLI', async () => {
    for (const [tool, args] of [['analyze', { path: '/etc/hostname' }], ['instrument_preview', { file: '../x.py', seed: true }], ['revert', { file: '../../etc/passwd' }]] as const) {
      expect(errorOf(await call(tool, args))).toMatchObject({ exitCode: 3, message: expect.stringMatching(/outside the project/) });
    }
  });

  test('errors are structured: a missing run, bad input, an unknown tool', async () => {
    expect(errorOf(await call('status', { run: 'no-such-run' }))).toEqual({ message: 'no run named no-such-run', exitCode: 2, hint: 'expkit list shows the runs' });
    expect(errorOf(await call('logs', { run: 42 }))).toMatchObject({ exitCode: 2 });
    expect(errorOf(await call('analyze', { path: 'missing.py' }))).toMatchObject({ exitCode: 2, message: expect.stringMatching(/missing\.py/) });
    expect(errorOf(await call('no_such_tool'))).toMatchObject({ exitCode: 2 });
  });

  test('launch a real run, wait for it, then status, logs and its resources', async () => {
    const launched = await call('launch', { command: ['sh', '-c', 'echo hello from the run; echo second line'], backend: 'process', gpus: 'none', name: 'mcp-run' });
    expect(launched.isError).toBeFalsy();
    expect(JSON.stringify(launched.structuredContent)).toContain('mcp-run');

    const waited = await call('wait', { runs: ['mcp-run'], timeout_s: 120 });
    expect(waited.structuredContent).toMatchObject({ ended: [{ name: 'mcp-run', state: 'succeeded', exitCode: 0 }], pending: [], timedOut: false });
    expect((await call('status', { run: 'mcp-run' })).structuredContent).toMatchObject({ name: 'mcp-run', state: 'succeeded' });
    expect((await call('logs', { run: 'mcp-run' })).structuredContent).toMatchObject({ name: 'mcp-run', lines: ['hello from the run', 'second line'] });
    expect((await call('logs', { run: 'mcp-run', lines: 1 })).structuredContent).toMatchObject({ lines: ['second line'], totalLines: 2 });

    const { resources } = await client.listResources();
    expect(resources.map((r) => r.uri)).toEqual(expect.arrayContaining(['expkit://runs/mcp-run/manifest', 'expkit://runs/mcp-run/log']));
    const log = await client.readResource({ uri: 'expkit://runs/mcp-run/log' });
    expect(log.contents[0]).toMatchObject({ mimeType: 'text/plain', text: 'hello from the run\nsecond line\n' });
    const manifest = await client.readResource({ uri: 'expkit://runs/mcp-run/manifest' });
    expect(JSON.parse(String((manifest.contents[0] as { text: string }).text))).toMatchObject({ name: 'mcp-run' });
    await expect(client.readResource({ uri: 'expkit://runs/..%2F..%2Fetc/log' })).rejects.toThrow(/run name/);
    const { resourceTemplates } = await client.listResourceTemplates();
    expect(resourceTemplates.map((t) => t.uriTemplate)).toEqual(['expkit://runs/{name}/manifest', 'expkit://runs/{name}/log', 'expkit://patches/{path}']);
  });

  test('logs with since: read a run incrementally to the end; status carries progressNumbers', async () => {
    // The run writes its second line only once the test has read the first (a file it waits for).
    const script = 'echo epoch 1/2 loss 0.5; while [ ! -f go ]; do sleep 0.05; done; echo epoch 2/2 loss 0.25';
    expect((await call('launch', { command: ['sh', '-c', script], backend: 'process', gpus: 'none', name: 'inc-run' })).isError).toBeFalsy();
    let offset = 0;
    let text = '';
    for (;;) {
      const r = await call('logs', { run: 'inc-run', since: offset });
      expect(r.isError).toBeFalsy();
      const s = r.structuredContent as { text: string; nextOffset: number; ended: boolean; state: string };
      expect(s.nextOffset).toBe(offset + Buffer.byteLength(s.text));
      text += s.text;
      offset = s.nextOffset;
      if (text.includes('epoch 1/2') && !text.includes('go-sent')) {
        const status = await call('status', { run: 'inc-run' });
        expect(status.structuredContent).toMatchObject({ progressNumbers: { epoch: 1, epochTotal: 2, loss: 0.5 } });
        writeFileSync(join(dir, 'go'), '');
        text += 'go-sent';
      }
      if (s.ended) {
        expect(s.state).toBe('succeeded');
        break;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(text.replace('go-sent', '')).toBe('epoch 1/2 loss 0.5\nepoch 2/2 loss 0.25\n');
    expect(errorOf(await call('logs', { run: 'inc-run', since: 1, lines: 1 })).exitCode).toBe(2);
    expect(errorOf(await call('logs', { run: 'inc-run', since: offset + 1 })).exitCode).toBe(2);
  });

  test('wait on several runs sends progress while it waits: a heartbeat, then one per run that ends; any returns at the first', async () => {
    const gate = (name: string) => ['sh', '-c', `while [ ! -f ${name} ]; do sleep 0.05; done; echo done`];
    for (const n of ['w1', 'w2']) expect((await call('launch', { command: gate(`${n}.go`), backend: 'process', gpus: 'none', name: n })).isError).toBeFalsy();
    const messages: string[] = [];
    const progress: number[] = [];
    // Each step is released by the notification before it, so every one asserted here was heard during the wait.
    const all = (await client.callTool({ name: 'wait', arguments: { runs: ['w1', 'w2'], mode: 'all', timeout_s: 120 } }, undefined, {
      onprogress: (p) => {
        const m = p.message ?? '';
        messages.push(m);
        progress.push(p.progress);
        if (/still waiting/.test(m)) writeFileSync(join(dir, 'w2.go'), '');
        if (/^w2 ended/.test(m)) writeFileSync(join(dir, 'w1.go'), '');
      },
      resetTimeoutOnProgress: true,
    })) as ToolResult;
    expect(all.structuredContent).toMatchObject({ ended: [{ name: 'w2', state: 'succeeded' }, { name: 'w1', state: 'succeeded' }], pending: [], timedOut: false });
    expect(messages.find((m) => /still waiting/.test(m))).toMatch(/0\/2 ended/);
    expect(messages).toContainEqual(expect.stringMatching(/^w2 ended: succeeded \(exit 0\); 1\/2 ended/));
    for (let i = 1; i < progress.length; i++) expect(progress[i]).toBeGreaterThan(progress[i - 1]);

    for (const [n, cmd] of [['w3', gate('w3.go')], ['w4', ['true']]] as const) expect((await call('launch', { command: [...cmd], backend: 'process', gpus: 'none', name: n })).isError).toBeFalsy();
    const any = await call('wait', { runs: ['w3', 'w4'], mode: 'any', timeout_s: 120 });
    expect(any.structuredContent).toMatchObject({ ended: [{ name: 'w4', state: 'succeeded' }], pending: [{ name: 'w3' }], timedOut: false });
    // A timeout answers with the pending runs, flagged; more than the cap is refused by the input schema.
    expect((await call('wait', { runs: ['w3'], timeout_s: 0 })).structuredContent).toMatchObject({ ended: [], pending: [{ name: 'w3' }], timedOut: true });
    writeFileSync(join(dir, 'w3.go'), '');
    expect(errorOf(await call('wait', { runs: ['w1'], timeout_s: 601 })).exitCode).toBe(2);
    expect(errorOf(await call('wait', { runs: ['no-such-run'] })).exitCode).toBe(2);
  });

  test('scaffold and launch of an experiment need the dry run\'s id; a plain command does not', async () => {
    mkdirSync(join(dir, 'experiments'), { recursive: true });
    writeFileSync(join(dir, 'experiments', 'demo.md'), '# demo\n');
    const refused = errorOf(await call('scaffold', { slug: 'demo' }));
    expect(refused).toMatchObject({ exitCode: 3, message: expect.stringMatching(/plan_id/), hint: expect.stringMatching(/dry_run/) });
    expect(existsSync(join(dir, 'experiments', 'code', 'demo'))).toBe(false);
    const plan = await call('scaffold', { slug: 'demo', dry_run: true });
    const { planId } = plan.structuredContent as { planId: string };
    expect(errorOf(await call('scaffold', { slug: 'demo', plan_id: 'not-the-plan' })).exitCode).toBe(3);
    expect(existsSync(join(dir, 'experiments', 'code', 'demo'))).toBe(false);
    expect((await call('scaffold', { slug: 'demo', plan_id: planId })).structuredContent).toMatchObject({ dryRun: false, planId });
    expect(existsSync(join(dir, 'experiments', 'code', 'demo', 'run.sh'))).toBe(true);

    const noHash = errorOf(await call('launch', { slug: 'demo', backend: 'process', gpus: 'none' }));
    expect(noHash).toMatchObject({ exitCode: 3, message: expect.stringMatching(/spec_hash/), hint: expect.stringMatching(/dry_run/) });
    const dry = await call('launch', { slug: 'demo', backend: 'process', gpus: 'none', dry_run: true });
    expect(dry.structuredContent).toMatchObject({ dryRun: true, specHash: expect.any(String) });
    const runsBefore = (await call('status', {})).structuredContent as { runs: unknown[] };
    expect(errorOf(await call('launch', { slug: 'demo', backend: 'process', gpus: 'none', spec_hash: 'wrong' })).exitCode).toBe(3);
    expect(((await call('status', {})).structuredContent as { runs: unknown[] }).runs.length).toBe(runsBefore.runs.length);
  });

  test('resources: each patch record as expkit://patches/PATH', async () => {
    const { patchId } = (await call('instrument_preview', { file: 'train.py', checkpoint: true })).structuredContent as { patchId: string };
    expect((await call('instrument_apply', { file: 'train.py', checkpoint: true, patch_id: patchId })).isError).toBeFalsy();
    const { resources } = await client.listResources();
    expect(resources.map((r) => r.uri)).toContain('expkit://patches/train.py');
    const read = await client.readResource({ uri: 'expkit://patches/train.py' });
    const record = JSON.parse(String((read.contents[0] as { text: string }).text)) as Record<string, unknown>;
    // The same entry `expkit patches --json` lists for the file.
    const listed = ((await call('patches', {})).structuredContent as { patches: { file: string }[] }).patches.find((p) => p.file === 'train.py');
    expect(record).toEqual(listed);
    expect(record).toMatchObject({ file: 'train.py', kinds: ['checkpoint'], state: 'applied' });
    await expect(client.readResource({ uri: 'expkit://patches/..%2F..%2Fetc%2Fpasswd' })).rejects.toThrow(/no expkit patch record/);
    expect((await client.listResourceTemplates()).resourceTemplates.map((t) => t.uriTemplate)).toContain('expkit://patches/{path}');
    await call('revert', { file: 'train.py' });
  });

  test('subscribing to a run log: notifications/resources/updated when it grows, none after unsubscribe', async () => {
    const uri = 'expkit://runs/sub-run/log';
    const updates: string[] = [];
    let heard: () => void = () => undefined;
    client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => {
      updates.push(n.params.uri);
      heard();
    });
    const script = 'echo first; while [ ! -f sub.go ]; do sleep 0.05; done; echo second; while [ ! -f sub.end ]; do sleep 0.05; done; echo third';
    expect((await call('launch', { command: ['sh', '-c', script], backend: 'process', gpus: 'none', name: 'sub-run' })).isError).toBeFalsy();
    await client.subscribeResource({ uri });
    const next = () => new Promise<void>((done) => (heard = done));
    let update = next();
    writeFileSync(join(dir, 'sub.go'), '');
    await update;
    expect(updates).toContain(uri);
    const text = String(((await client.readResource({ uri })).contents[0] as { text: string }).text);
    expect(text).toMatch(/^first\nsecond\n/);
    await client.unsubscribeResource({ uri });
    const count = updates.length;
    writeFileSync(join(dir, 'sub.end'), '');
    expect((await call('wait', { runs: ['sub-run'], timeout_s: 120 })).structuredContent).toMatchObject({ timedOut: false });
    // The log grew after the unsubscribe (third line): the server said nothing more. A round trip
    // through the server after the end proves any notification it sent would have arrived.
    expect(String(((await client.readResource({ uri })).contents[0] as { text: string }).text)).toBe('first\nsecond\nthird\n');
    expect(updates.length).toBe(count);
    await expect(client.subscribeResource({ uri: 'expkit://runs/sub-run/manifest' })).rejects.toThrow(/cannot subscribe/);
    await expect(client.subscribeResource({ uri: 'expkit://runs/no-such-run/log' })).rejects.toThrow(/no run named/);
    void update;
    update = Promise.resolve();
  });

  test('the server wrote nothing to stdout but protocol messages (the client would have failed), and no stack to stderr', () => {
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});
