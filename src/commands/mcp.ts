/** `expkit mcp [--dir DIR]`: serve the project to an MCP client over stdio (src/mcp/). */
import { resolveProject } from '../mcp/project.js';
import { serveStdio } from '../mcp/server.js';

export async function mcpCommand(opts: { dir?: string }): Promise<number> {
  await serveStdio(resolveProject(opts.dir));
  return 0;
}
