// The line in the header: when the data was last refreshed (or why it could not be), and the outcome of the last
// action. Only the latter is a live region: a screen reader should hear "Job 7 cancelled", not a clock every second.

import { byId } from './dom.js';
import { formatTime } from './format.js';

const NOTICE_MS = 8000;
let clearNotice;

/** Announces an action's outcome or error for a few seconds. */
export function announce(text, kind = 'info') {
  const line = byId('status-line');
  line.textContent = text;
  line.dataset.kind = kind;
  clearTimeout(clearNotice);
  clearNotice = setTimeout(() => (line.textContent = ''), NOTICE_MS);
}

/** Called after each successful refresh. */
export function markUpdated() {
  showRefresh(`Live · updated ${formatTime(new Date().toISOString()).slice(11)}`, 'info');
}

/** A refresh failed: say why (the server is down, the database not ready…); polling goes on. */
export function markFailed(error) {
  showRefresh(`Cannot refresh: ${error.message}`, 'error');
}

function showRefresh(text, kind) {
  const state = byId('refresh-state');
  state.textContent = text;
  state.dataset.kind = kind;
}
