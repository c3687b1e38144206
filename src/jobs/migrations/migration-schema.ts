import type { QueryRunner } from 'typeorm';

/**
 * The jobs schema is chosen by configuration, so migrations read it from the DataSource that runs them
 * (`JobsMigrator` builds one whose `schema` is the jobs schema). Validated as an identifier at start-up.
 */
export function quotedSchemaOf(queryRunner: QueryRunner): string {
  const schema = (queryRunner.connection.options as { schema?: string }).schema;
  if (!schema || !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`Invalid jobs schema: ${String(schema)}`);
  return `"${schema}"`;
}
