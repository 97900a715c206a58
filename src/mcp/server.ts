/**
 * `expkit mcp`: a Model Context Protocol server over stdio, on one project. stdout carries only the
 * protocol's messages (the SDK's transport writes them); every tool runs in a child process whose
 * stdout is captured, and anything else this process has to say goes to stderr.
 */
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import {
  CallToolRequestSchema,
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  ListToolsRequestSchema,
  ReadResourceRequestSchema,
  SubscribeRequestSchema,
  UnsubscribeRequestSchema,
  type CallToolResult,
} from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { ExitCode } from '../core/errors.js';
import { expkitVersion } from '../core/package-info.js';
import { describeError } from '../core/run-command.js';
import type { ErrorReport } from '../printers/error.js';
import { runCli, type CliOutcome } from './cli-runner.js';
import { LogSubscriptions } from './log-subscriptions.js';
import { PATCH_TEMPLATE, isPatchUri, listPatchResources, readPatchResource } from './patch-resources.js';
import { RESOURCE_TEMPLATES, listRunResources, readRunResource } from './resources.js';
import { toolOutputSchema } from './schemas.js';
import { TOOLS, type ToolDef } from './tools.js';
import type { Progress } from './wait-tool.js';

export function createServer(root: string): Server {
  const server = new Server(
    { name: 'expkit', title: 'expkit', version: expkitVersion() },
    {
      capabilities: { tools: {}, resources: { subscribe: true } },
      instructions: `expkit on the project ${root}: analyze a training script, preview instrumentation (show the diff to the user) and apply it only with the preview's patchId, scaffold, launch runs, follow them with status and logs, collect results. Errors are {message, exitCode, hint}.`,
    },
  );
  const byName = new Map(TOOLS.map((t) => [t.name, t]));

  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: TOOLS.map(listing) }));

  server.setRequestHandler(CallToolRequestSchema, async (request, extra): Promise<CallToolResult> => {
    const def = byName.get(request.params.name);
    if (!def) return errorResult({ message: `no tool named ${request.params.name}`, exitCode: ExitCode.Usage, hint: 'tools/list shows the tools' });
    const parsed = def.input.safeParse(request.params.arguments ?? {});
    if (!parsed.success) {
      return errorResult({ message: `${def.name}: ${z.prettifyError(parsed.error).replace(/\n+/g, '; ')}`, exitCode: ExitCode.Usage, hint: `the input schema of ${def.name} (tools/list) says what it takes` });
    }
    const progressToken = request.params._meta?.progressToken;
    const notify = progressToken === undefined ? undefined : (p: Progress) => extra.sendNotification({ method: 'notifications/progress', params: { progressToken, ...p } }).catch(() => undefined);
    let outcome: CliOutcome;
    try {
      outcome = def.invoke ? await def.invoke(parsed.data, { root, signal: extra.signal, notify }) : await runCli({ ...def.commandLine!(parsed.data, { root }), cwd: root, signal: extra.signal });
    } catch (err) {
      return errorResult(describeError(err));
    }
    if (!outcome.ok) return errorResult(outcome.error);
    const structured = outcome.json as Record<string, unknown>;
    const text = JSON.stringify(structured, null, 2);
    // A command that reports a negative result (e.g. wait on a failed run, exit 1) still answers with its object.
    const note = outcome.exitCode === 0 ? [] : [{ type: 'text' as const, text: `expkit exited with ${outcome.exitCode}` }];
    return { content: [{ type: 'text', text }, ...note], structuredContent: structured };
  });

  server.setRequestHandler(ListResourcesRequestSchema, () => ({ resources: [...listRunResources(root), ...listPatchResources(root)] }));
  server.setRequestHandler(ListResourceTemplatesRequestSchema, () => ({ resourceTemplates: [...RESOURCE_TEMPLATES, PATCH_TEMPLATE] }));
  server.setRequestHandler(ReadResourceRequestSchema, (request) => {
    const { uri } = request.params;
    return protocolErrors(() => ({ contents: [isPatchUri(uri) ? readPatchResource(root, uri) : readRunResource(root, uri)] }));
  });

  const logs = new LogSubscriptions(root, (uri) => void server.sendResourceUpdated({ uri }).catch(() => undefined));
  server.setRequestHandler(SubscribeRequestSchema, (request) => protocolErrors(() => (logs.subscribe(request.params.uri), {})));
  server.setRequestHandler(UnsubscribeRequestSchema, (request) => (logs.unsubscribe(request.params.uri), {}));
  const closed = server.onclose;
  server.onclose = () => {
    logs.close();
    closed?.();
  };
  return server;
}

/** A resource request has no isError result: the protocol's error carries the same one line. */
function protocolErrors<T>(answer: () => T): T {
  try {
    return answer();
  } catch (err) {
    const report = describeError(err);
    throw new Error(report.hint ? `${report.message} (${report.hint})` : report.message);
  }
}

function listing(def: ToolDef) {
  // Inputs as draft-07 JSON Schema: what MCP clients (and the SDK's own validator) read.
  const { $schema: _ignored, ...inputSchema } = z.toJSONSchema(def.input, { target: 'draft-7', io: 'input' }) as Record<string, unknown>;
  const out = toolOutputSchema(def.output);
  return {
    name: def.name,
    title: def.title,
    description: def.description,
    inputSchema: { ...inputSchema, type: 'object' as const },
    outputSchema: out as { type: 'object' },
    annotations: { title: def.title, ...def.annotations },
  };
}

/** An error as the tool's result: the `{message, exitCode, hint}` object, structured and as text. */
function errorResult(error: ErrorReport): CallToolResult {
  // The same document as the CLI's --json failure (schemas/error.schema.json).
  const failure = { schemaVersion: 1, error };
  return { isError: true, content: [{ type: 'text', text: JSON.stringify(failure, null, 2) }], structuredContent: failure };
}

export async function serveStdio(root: string): Promise<void> {
  const server = createServer(root);
  await server.connect(new StdioServerTransport());
  process.stderr.write(`expkit mcp: serving ${root} over stdio\n`);
  // Stay up until the client closes stdin.
  await new Promise<void>((done) => {
    const closed = server.onclose;
    server.onclose = () => {
      closed?.();
      done();
    };
    process.stdin.on('end', () => done());
  });
}
