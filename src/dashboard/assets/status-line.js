// The line in the header: when the data was last refreshed, the outcome of the last action, or what went wrong.

import { byId } from './dom.js';
import { formatTime } from './format.js';

let notice = null;

/** A message that stays for a few refreshes (an action's outcome or error). */
export function announce(text, kind = 'info') {
  notice = { text, kind, until: Date.now() + 6000 };
  render();
}

/** Called after each successful refresh. */
export function markUpdated() {
  render(`Live · updated ${formatTime(new Date().toISOString()).slice(11)}`);
}

/** A refresh failed: say why (the server is down, the database not ready…); polling goes on. */
export function markFailed(error) {
  render(`Cannot refresh: ${error.message}`, 'error');
}

function render(text = '', kind = 'info') {
  const line = byId('status-line');
  if (notice && Date.now() < notice.until) ({ text, kind } = notice);
  line.textContent = text;
  line.dataset.kind = kind;
}
