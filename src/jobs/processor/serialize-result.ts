import { unstorableJsonReason } from '../json-storable.js';

/**
 * JSON text of a handler's return value (null for undefined). Values jsonb cannot store are a failure of that job
 * alone, found here rather than by a batch statement that would fail with it.
 */
export function serializeResult(value: unknown): { json: string | null } | { error: Error } {
  if (value === undefined) return { json: null };
  try {
    const json = JSON.stringify(value);
    if (json === undefined) return { json: null };
    const unstorable = unstorableJsonReason(json);
    if (unstorable) return { error: new Error(`The handler's result cannot be stored: it ${unstorable}`) };
    return { json };
  } catch (error) {
    return { error: new Error(`The handler returned a result that is not JSON-serializable: ${(error as Error).message}`) };
  }
}
