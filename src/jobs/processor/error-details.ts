const MAX_MESSAGE = 4_000;
const MAX_STACK = 16_000;

// Postgres text cannot hold NUL; a handler's error must still be recorded.
const clean = (text: string, max: number): string => text.replaceAll('\u0000', '\uFFFD').slice(0, max);

/** A string read from a thrown value, or undefined when reading it throws (getters, proxies) or yields no string. */
const readString = (read: () => unknown): string | undefined => {
  try {
    const value = read();
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
};

function describe(thrown: unknown): { message: string; stack: string | null } {
  if (thrown instanceof Error) {
    const message = readString(() => thrown.message) || readString(() => thrown.name) || 'Error';
    const stack = readString(() => thrown.stack);
    return { message: clean(message, MAX_MESSAGE), stack: stack ? clean(stack, MAX_STACK) : null };
  }
  if (typeof thrown === 'string') return { message: clean(thrown, MAX_MESSAGE), stack: null };
  let text: string | undefined;
  try {
    text = JSON.stringify(thrown);
  } catch {
    text = undefined; // BigInt, cycles, a throwing toJSON
  }
  text ??= readString(() => String(thrown)) ?? `a value of type ${typeof thrown}`;
  return { message: clean(`Non-Error thrown: ${text}`, MAX_MESSAGE), stack: null };
}

/**
 * Message and stack of whatever a handler threw: Errors, strings, numbers, objects, symbols, undefined, and values
 * whose every property or conversion throws. Never throws itself: a job's failure is always recorded.
 */
export function errorDetails(thrown: unknown): { message: string; stack: string | null } {
  try {
    return describe(thrown);
  } catch {
    return { message: 'Non-Error thrown: a value that cannot be inspected', stack: null };
  }
}
