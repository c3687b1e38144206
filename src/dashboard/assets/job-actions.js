// Retry and Cancel: the buttons a job offers in its current state, calling the jobs API.

import { api } from './api.js';
import { h } from './dom.js';
import { announce } from './status-line.js';

const ACTIONS = [
  { verb: 'retry', label: 'Retry', when: ['failed', 'cancelled'], done: 'back to pending' },
  { verb: 'cancel', label: 'Cancel', when: ['pending', 'processing'], done: 'cancelled' },
];

/** The buttons for `job`; `onDone(job)` runs with the job as the API returned it after the action. */
export function actionButtons(job, onDone) {
  return ACTIONS.filter((action) => action.when.includes(job.status)).map((action) =>
    h('button', {
      type: 'button',
      class: `action action-${action.verb}`,
      'aria-label': `${action.label} job ${job.id}`,
      text: action.label,
      onclick: async (event) => {
        const button = event.currentTarget;
        button.disabled = true;
        try {
          const updated = await api('POST', `/jobs/${encodeURIComponent(job.id)}/${action.verb}`);
          announce(`Job ${job.id} ${action.done}`);
          onDone(updated);
        } catch (error) {
          // 409: the job moved on meanwhile (finished, or its handler still holds it); the refresh shows where.
          announce(`${action.label} job ${job.id}: ${error.message}`, 'error');
          onDone(undefined);
        } finally {
          button.disabled = false;
        }
      },
    }),
  );
}
