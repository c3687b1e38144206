// The enqueue form: POST /jobs with what was filled in; the API's refusal is shown next to the field it names.

import { api, ApiError } from './api.js';
import { byId } from './dom.js';
import { announce } from './status-line.js';

const INTEGERS = ['priority', 'delayMs', 'maxAttempts'];

/** Wires the dialog; `onEnqueued(job)` runs after a job was created (or matched by its key). */
export function setUpEnqueueForm(onEnqueued) {
  const dialog = byId('enqueue-dialog');
  const form = byId('enqueue-form');
  byId('enqueue-open').addEventListener('click', () => {
    showError();
    dialog.showModal();
    form.elements.namedItem('name').focus();
  });
  byId('enqueue-cancel').addEventListener('click', () => dialog.close());
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    showError();
    const submit = form.querySelector('button[type=submit]');
    submit.disabled = true;
    try {
      const job = await api('POST', '/jobs', bodyOf(form));
      dialog.close();
      form.reset();
      announce(`Enqueued job ${job.id} (${job.name})`);
      onEnqueued(job);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      showError(error.message, error.field);
    } finally {
      submit.disabled = false;
    }
  });
}

/** The request body; a payload that is not JSON is refused here, named like the API names its fields. */
function bodyOf(form) {
  const values = Object.fromEntries(new FormData(form));
  const body = { name: values.name.trim() };
  if (values.queue.trim()) body.queue = values.queue.trim();
  if (values.payload.trim()) {
    try {
      body.payload = JSON.parse(values.payload);
    } catch (error) {
      throw new ApiError(400, { message: `payload: is not valid JSON (${error.message})`, field: 'payload' });
    }
  }
  for (const name of INTEGERS) {
    // Sent as typed, so that the API (not this form) judges the range and says what it takes.
    if (values[name] !== '') body[name] = Number(values[name]);
  }
  return body;
}

/** Shows `message` under the form and marks the field it names (`payload`, `jobs[0].priority`…); none clears. */
function showError(message = '', field) {
  const form = byId('enqueue-form');
  byId('enqueue-error').textContent = message;
  for (const element of form.elements) element.removeAttribute?.('aria-invalid');
  const input = field && form.elements.namedItem(field.split(/[.[]/)[0]);
  if (input) {
    input.setAttribute('aria-invalid', 'true');
    input.focus();
  }
}
