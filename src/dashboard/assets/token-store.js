// The API token, kept for this tab's session only (sessionStorage: gone when the tab closes, never sent anywhere
// but in the Authorization header of this origin's API calls).

const KEY = 'jobs-dashboard.token';

/** The stored token, or null. */
export function getToken() {
  try {
    return sessionStorage.getItem(KEY);
  } catch {
    return null;
  }
}

export function setToken(token) {
  sessionStorage.setItem(KEY, token);
}

export function clearToken() {
  sessionStorage.removeItem(KEY);
}
