/**
 * The JSON Schemas in schemas/ (written once: the tools' outputSchema, the tests that validate the
 * CLI's --json against them, and the docs point there). Read relative to this module, which sits
 * two levels below the package root in dist/mcp/ and dist/bundle/ alike.
 */
import { readFileSync } from 'node:fs';

export type JsonSchema = Record<string, unknown>;

export const SCHEMA_FILES = {
  analysis: 'analysis.schema.json',
  instrument: 'instrument.schema.json',
  error: 'error.schema.json',
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
 * A tool's outputSchema: what the command prints with --json, its result or its failure (errors are
 * structured too, and MCP clients validate every structuredContent, an error's included). The
 * result's own definitions move to the top, where its `#/definitions/…` references point.
 */
export function toolOutputSchema(name: SchemaName): JsonSchema {
  const { $schema: _s, title: _t, description, definitions, ...result } = loadSchema(name) as JsonSchema & { definitions?: JsonSchema };
  const { $schema: _e, ...failure } = loadSchema('error');
  return {
    type: 'object',
    description,
    oneOf: [{ $ref: '#/definitions/result' }, { $ref: '#/definitions/failure' }],
    definitions: { ...(definitions ?? {}), result, failure },
  };
}
