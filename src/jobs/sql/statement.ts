/** A named statement: `pg` prepares it once per connection and reuses the plan. */
export interface Statement {
  name: string;
  text: string;
}

/**
 * Statement texts depend on the configured schema, so their names carry it: one process could serve two schemas.
 * Built once per JobsDatabase, never per call.
 */
export const statement = (schema: string, operation: string, text: string): Statement => ({
  name: `jobs:${schema}:${operation}`,
  text,
});
