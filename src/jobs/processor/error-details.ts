const MAX_MESSAGE = 4_000;
const MAX_STACK = 16_000;

// Postgres text cannot hold NUL; a handler's error must still be recorded.
const clean = (text: string, max: number): string => text.replaceAll('\u0000', '\uFFFD').slice(0, max);

/** Message and stack of whatever a handler threw: Errors, strings, objects, undefined. */
export function errorDetails(thrown: unknown): { message: string; stack: string | null } {
  if (thrown instanceof Error) {
    return { message: clean(thrown.message || thrown.name, MAX_MESSAGE), stack: thrown.stack ? clean(thrown.stack, MAX_STACK) : null };
  }
  let message: string;
  if (typeof thrown === 'string') message = thrown;
  else {
    try {
      message = `Non-Error thrown: ${JSON.stringify(thrown) ?? String(thrown)}`;
    } catch {
      message = `Non-Error thrown: ${String(thrown)}`;
    }
  }
  return { message: clean(message, MAX_MESSAGE), stack: null };
}
