// One job: its fields, timing, worker, payload, result, and every failed attempt with its stack.

import { api } from './api.js';
import { byId, h, progressBar, statusBadge } from './dom.js';
import { between, formatDuration, formatJson, formatRelative, formatTime } from './format.js';
import { actionButtons } from './job-actions.js';

/** The job shown, or undefined; `live` while it may still change quickly (pending or processing). */
export const shown = { job: undefined, live: false };

/** Loads job `id` and redraws it when it changed; a 404 says so. */
export async function refreshJobPage(id, onChange) {
  let job;
  try {
    job = await api('GET', `/jobs/${encodeURIComponent(id)}`);
  } catch (error) {
    if (error.status !== 404 && error.status !== 400) throw error;
    shown.job = undefined;
    byId('job-title').textContent = `Job ${id}`;
    byId('job-detail').replaceChildren(h('p', { class: 'field-error', role: 'alert', text: error.message }));
    return;
  }
  shown.live = job.status === 'pending' || job.status === 'processing';
  if (shown.job && JSON.stringify(shown.job) === JSON.stringify(job)) return;
  shown.job = job;
  byId('job-title').replaceChildren(`Job ${job.id} · `, h('span', { class: 'name', text: job.name }), ' ', statusBadge(job.status));
  // `replaceChildren` would write an absent part (null) as the text "null".
  byId('job-detail').replaceChildren(...jobDetail(job, onChange).filter(Boolean));
}

function jobDetail(job, onChange) {
  const field = (label, ...value) => [h('dt', { text: label }), h('dd', {}, ...value)];
  const time = (iso) => (iso ? [formatTime(iso), h('span', { class: 'muted', text: ` (${formatRelative(iso)})` })] : ['–']);
  return [
    h('div', { class: 'actions' }, ...actionButtons(job, onChange)),
    job.status === 'processing' || job.progress > 0 ? h('div', { class: 'progress-row' }, progressBar(job)) : null,
    h(
      'dl',
      { class: 'fields' },
      ...field('Status', statusBadge(job.status)),
      ...field('Queue', job.queue),
      ...field('Priority', String(job.priority)),
      ...field('Attempts', `${job.attempts} of ${job.maxAttempts}`),
      ...field('Worker', job.workerId ?? '–'),
      ...field('Dedup key', job.key ?? '–'),
      ...field('Created', ...time(job.createdAt)),
      ...field('Run at', ...time(job.runAt)),
      ...field('Started', ...time(job.startedAt)),
      ...field('Finished', ...time(job.finishedAt)),
      ...field('Waited', formatDuration(between(job.createdAt, job.startedAt))),
      ...field('Ran', formatDuration(between(job.startedAt, job.finishedAt))),
    ),
    h('h3', { text: 'Payload' }),
    h('pre', { class: 'json', 'data-field': 'payload', text: formatJson(job.payload) }),
    h('h3', { text: 'Result' }),
    h('pre', { class: 'json', 'data-field': 'result', text: formatJson(job.result) }),
    h('h3', { text: `Errors (${job.errors.length})` }),
    errorHistory(job.errors),
  ];
}

/** Every failed attempt, newest first, each with its message and stack. */
function errorHistory(errors) {
  if (errors.length === 0) return h('p', { class: 'empty', text: 'No failed attempts.' });
  return h(
    'ul',
    { class: 'errors' },
    ...[...errors].reverse().map((error) =>
      h(
        'li',
        { 'data-attempt': error.attempt },
        h('p', {}, h('strong', { text: `Attempt ${error.attempt}` }), h('span', { class: 'muted', text: ` · ${formatTime(error.at)}` })),
        h('p', { class: 'error-message', text: error.message }),
        error.stack ? h('details', { open: true }, h('summary', { text: 'Stack' }), h('pre', { class: 'stack', text: error.stack })) : null,
      ),
    ),
  );
}
