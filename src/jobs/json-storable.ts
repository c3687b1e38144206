// An escape is real only after an even number of backslashes: `"\\u0000"` is the text \u0000, which jsonb stores.
const ESCAPED_NUL = /(?:^|[^\\])(?:\\\\)*\\u0000/;
// JSON.stringify escapes only unpaired surrogates, and jsonb refuses them.
const ESCAPED_LONE_SURROGATE = /(?:^|[^\\])(?:\\\\)*\\ud[89a-f][0-9a-f]{2}/i;

/**
 * Why Postgres' jsonb would refuse this `JSON.stringify` output, or undefined when it can be stored. Checked before
 * a statement runs, so bad input is a clear error about one job, never a failed batch.
 */
export function unstorableJsonReason(json: string): string | undefined {
  if (ESCAPED_NUL.test(json)) return 'must not contain NUL characters (\\u0000)';
  if (ESCAPED_LONE_SURROGATE.test(json)) return 'must not contain unpaired UTF-16 surrogates';
  return undefined;
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** A string Postgres' UTF-8 text cannot hold as given (node-pg would write U+FFFD in its place). */
export const hasLoneSurrogate = (text: string): boolean => LONE_SURROGATE.test(text);
