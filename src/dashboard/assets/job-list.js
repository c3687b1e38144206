// The job list: filters (status, name, queue), keyset paging (a stack of cursors), rows with live progress.

import { api, queryString } from './api.js';
import { byId, h, progressBar, statusBadge } from './dom.js';
import { formatTime } from './format.js';
import { actionButtons } from './job-actions.js';

const COLUMNS = ['ID', 'Name', 'Queue', 'Status', 'Progress', 'Attempts', 'Created', 'Finished', 'Actions'];

/** Filters and the cursors of the pages visited: `cursors[i]` opens page i + 1 (undefined: the newest). */
const state = { filters: { status: '', name: '', queue: '', limit: 20 }, cursors: [undefined], nextCursor: null };
/** Rows by job id, with the JSON they were drawn from: unchanged jobs keep their row (and focus) across refreshes. */
let drawn = new Map();
/** True when the page shown has jobs running or due to start (the list then refreshes faster). */
export let listHasLiveJobs = false;

/** Loads the current page and redraws what changed. Answers that arrive for an older query are dropped. */
export async function refreshJobList(onChange) {
  const query = { ...state.filters, cursor: state.cursors[state.cursors.length - 1] };
  const key = JSON.stringify(query);
  let page;
  try {
    page = await api('GET', `/jobs${queryString(query)}`);
  } catch (error) {
    if (error.status !== 400) throw error;
    // A filter the API refuses (a name with a space, say): say which, keep the last rows.
    byId('list-error').textContent = error.message;
    return;
  }
  if (key !== JSON.stringify({ ...state.filters, cursor: state.cursors[state.cursors.length - 1] })) return;
  byId('list-error').textContent = '';
  state.nextCursor = page.nextCursor;
  const now = Date.now();
  listHasLiveJobs = page.items.some(
    (job) => job.status === 'processing' || (job.status === 'pending' && new Date(job.runAt).getTime() <= now),
  );
  renderRows(page.items, onChange);
  renderPager();
}

/** Applies new filters (from the form or an overview total) and goes back to the newest page. */
export function setFilters(filters) {
  state.filters = { ...state.filters, ...filters };
  state.cursors = [undefined];
}

/** The pager's moves: `first`, `previous`, `next`. */
export function turnPage(move) {
  if (move === 'first') state.cursors = [undefined];
  if (move === 'previous' && state.cursors.length > 1) state.cursors.pop();
  if (move === 'next' && state.nextCursor) state.cursors.push(state.nextCursor);
}

function renderRows(jobs, onChange) {
  const table = byId('job-table');
  if (jobs.length === 0) {
    drawn = new Map();
    table.replaceChildren(h('p', { class: 'empty', text: 'No jobs match.' }));
    return;
  }
  let tbody = table.querySelector('tbody');
  const sameRows = tbody && jobs.length === drawn.size && jobs.every((job, i) => tbody.rows[i]?.dataset.jobId === job.id);
  const next = new Map();
  const rows = jobs.map((job) => {
    const json = JSON.stringify(job);
    const previous = drawn.get(job.id);
    const row = previous && previous.json === json ? previous.row : jobRow(job, onChange);
    next.set(job.id, { json, row });
    return row;
  });
  if (sameRows) {
    // Same jobs in the same order: swap only the rows whose job changed.
    rows.forEach((row, i) => tbody.rows[i] !== row && tbody.rows[i].replaceWith(row));
  } else {
    tbody = h('tbody', {}, ...rows);
    table.replaceChildren(
      h('table', { class: 'jobs' }, h('thead', {}, h('tr', {}, ...COLUMNS.map(columnHead))), tbody),
    );
  }
  drawn = next;
}

const columnHead = (name) => h('th', { scope: 'col', class: name === 'Actions' ? 'actions-head' : null, text: name });

function jobRow(job, onChange) {
  const live = job.status === 'processing';
  return h(
    'tr',
    { 'data-job-id': job.id, 'data-status': job.status },
    h('td', {}, h('a', { href: `#/jobs/${encodeURIComponent(job.id)}`, text: job.id })),
    h('td', { class: 'name', text: job.name }),
    h('td', { text: job.queue }),
    h('td', {}, statusBadge(job.status)),
    // Finished jobs' 100% says nothing their status does not; a bar shows where it moves or stopped midway.
    h('td', {}, live || (job.progress > 0 && job.progress < 100) ? progressBar(job) : ''),
    h('td', { class: 'num', text: `${job.attempts}/${job.maxAttempts}` }),
    // Absolute times: a row is redrawn only when its job changes, so a relative "5 s ago" would go stale.
    h('td', { class: 'time', text: formatTime(job.createdAt) }),
    h('td', { class: 'time', text: job.finishedAt ? formatTime(job.finishedAt) : '' }),
    h('td', { class: 'actions' }, ...actionButtons(job, onChange)),
  );
}

function renderPager() {
  const page = state.cursors.length;
  byId('page-number').textContent = `Page ${page}`;
  byId('page-first').disabled = page === 1;
  byId('page-prev').disabled = page === 1;
  byId('page-next').disabled = !state.nextCursor;
}
