// The one way the front end talks to the server: JSON over this origin's API, with the session's bearer token.

import { askForToken } from './token-prompt.js';
import { clearToken, getToken } from './token-store.js';

/** A refusal from the API, in its error shape `{ statusCode, error, message, field? }`. */
export class ApiError extends Error {
  constructor(status, body) {
    super(typeof body?.message === 'string' ? body.message : `HTTP ${status}`);
    this.status = status;
    this.field = typeof body?.field === 'string' ? body.field : undefined;
  }
}

/**
 * Calls the API and returns its JSON. A 401 asks for the token (saying whether the one sent was refused) and repeats
 * the call with it: the server refuses a 401 before doing anything, so repeating is safe for actions too.
 */
export async function api(method, path, body) {
  for (;;) {
    const token = getToken();
    const headers = { accept: 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
    });
    if (response.status === 401) {
      // Another call may already have brought a new token while this one was in flight: use it.
      if (getToken() !== token) continue;
      if (token) clearToken();
      await askForToken(token ? 'refused' : 'required');
      continue;
    }
    const text = await response.text();
    let data = null;
    try {
      data = text ? JSON.parse(text) : null;
    } catch {
      data = { message: text.slice(0, 200) };
    }
    if (!response.ok) throw new ApiError(response.status, data);
    return data;
  }
}

/** `?a=1&b=2` of the defined, non-empty values; '' when none. */
export function queryString(params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}
