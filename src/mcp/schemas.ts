/**
 * The JSON Schemas in schemas/ (written once: the tools' outputSchema, the tests that validate the
 * CLI's --json against them, and the docs point there). Read relative to this module, which sits
 * two levels below the package root in dist/mcp/ and dist/bundle/ alike.
 */
import { readFileSync } from 'node:fs';

export type JsonSchema = Record<string, unknown>;

export const SCHEMA_FILES = {
  'analysis': 'analysis.schema.json',
  'instrument': 'instrument.schema.json',
  'error': 'error.schema.json',
  'status': 'status.schema.json',
  'status-all': 'status-all.schema.json',
  'list': 'list.schema.json',
  'logs': 'logs.schema.json',
  'logs-since': 'logs-since.schema.json',
  'wait': 'wait.schema.json',
  'stop': 'stop.schema.json',
  'collect': 'collect.schema.json',
  'doctor': 'doctor.schema.json',
  'scaffold': 'scaffold.schema.json',
  'launch': 'launch.schema.json',
  'patches': 'patches.schema.json',
  'revert': 'revert.schema.json',
  'agent-skill': 'agent-skill.schema.json',
} as const;

export type SchemaName = keyof typeof SCHEMA_FILES;

const cache = new Map<SchemaName, JsonSchema>();

export function loadSchema(name: SchemaName): JsonSchema {
  let schema = cache.get(name);
  if (!schema) {
    schema = JSON.parse(readFileSync(new URL(`../../schemas/${SCHEMA_FILES[name]}`, import.meta.url), 'utf8')) as JsonSchema;
    cache.set(name, schema);
  }
  return schema;
}

/**
 * A tool's outputSchema: what the command prints with --json, one of its results or its failure
 * (errors are structured too, and MCP clients validate every structuredContent, an error's included).
 * Each result's own definitions move to the top, where its `#/definitions/…` references point (the
 * schemas share definition names only for the same thing, e.g. status and status-all's runView).
 */
export function toolOutputSchema(names: SchemaName | SchemaName[]): JsonSchema {
  const list = Array.isArray(names) ? names : [names];
  const definitions: JsonSchema = {};
  const results = list.map((name) => {
    const { $schema: _s, title: _t, description: _d, definitions: own, ...result } = loadSchema(name) as JsonSchema & { definitions?: JsonSchema };
    Object.assign(definitions, own ?? {});
    definitions[`result:${name}`] = result;
    return { $ref: `#/definitions/result:${name}` };
  });
  const { $schema: _e, ...failure } = loadSchema('error');
  return {
    type: 'object',
    description: list.map((n) => String(loadSchema(n).title)).join('; or '),
    oneOf: [...results, { $ref: '#/definitions/failure' }],
    definitions: { ...definitions, failure },
  };
}
