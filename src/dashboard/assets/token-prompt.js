// The token dialog: opened when an API call answers 401; every call waiting for a token shares one prompt.

import { byId } from './dom.js';
import { setToken } from './token-store.js';

const MESSAGES = {
  required: 'This server requires its API token (JOBS_API_TOKEN).',
  refused: 'That token was refused (401). Enter the right token.',
};

let pending = null;

/**
 * Shows the dialog (once for any number of callers) and resolves when a token has been entered and stored.
 * `reason`: `required` (none was sent) or `refused` (the one sent was wrong).
 */
export function askForToken(reason) {
  if (pending) return pending;
  const dialog = byId('token-dialog');
  const form = byId('token-form');
  const input = byId('token-input');
  byId('token-message').textContent = MESSAGES[reason] ?? MESSAGES.required;
  byId('token-message').classList.toggle('field-error', reason === 'refused');
  input.value = '';
  pending = new Promise((resolve) => {
    const onSubmit = (event) => {
      event.preventDefault();
      const token = input.value.trim();
      if (!token) return;
      setToken(token);
      form.removeEventListener('submit', onSubmit);
      dialog.close();
      pending = null;
      resolve(token);
    };
    form.addEventListener('submit', onSubmit);
  });
  if (!dialog.open) dialog.showModal();
  input.focus();
  return pending;
}

/** Escape would leave every waiting call hanging: the dialog stays until a token is given. */
export function keepTokenDialogOpen() {
  byId('token-dialog').addEventListener('cancel', (event) => event.preventDefault());
}
