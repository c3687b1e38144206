// The dashboard's entry point: routes (`#/` the list, `#/jobs/<id>` a job), wiring, and the refresh cadence.

import { api } from './api.js';
import { byId, h } from './dom.js';
import { setUpEnqueueForm } from './enqueue-form.js';
import { listHasLiveJobs, refreshJobList, setFilters, turnPage } from './job-list.js';
import { refreshJobPage, shown } from './job-page.js';
import { refreshOverview } from './overview.js';
import { poll } from './poller.js';
import { refreshSchedules } from './schedules-panel.js';
import { markFailed, markUpdated } from './status-line.js';
import { keepTokenDialogOpen } from './token-prompt.js';

// Running jobs' progress every second; the rest every two (counts are a shared snapshot of up to 5 s anyway).
const LIVE_MS = 1000;
const IDLE_MS = 2000;
const SCHEDULES_MS = 5000;

const jobIdOfRoute = () => /^#\/jobs\/([^/]+)$/.exec(location.hash)?.[1];

let view;

function route() {
  view?.stop();
  const id = jobIdOfRoute();
  byId('jobs-view').hidden = id !== undefined;
  byId('job-view').hidden = id === undefined;
  if (id === undefined) {
    view = poll(() => refreshJobList(refreshAll).then(markUpdated), () => (listHasLiveJobs ? LIVE_MS : IDLE_MS), markFailed);
  } else {
    shown.job = undefined;
    byId('job-detail').replaceChildren(h('p', { class: 'empty', text: 'Loading…' }));
    view = poll(() => refreshJobPage(decodeURIComponent(id), refreshAll).then(markUpdated), () => (shown.live ? LIVE_MS : IDLE_MS), markFailed);
  }
}

/** After an action: redraw everything now rather than at the next tick. */
function refreshAll() {
  view?.refresh();
  overview.refresh();
}

function showStatus(status) {
  setFilters({ status });
  byId('filter-status').value = status;
  if (jobIdOfRoute() !== undefined) location.hash = '#/';
  else view.refresh();
}

function setUpFilters() {
  const form = byId('job-filters');
  const apply = () => {
    const values = Object.fromEntries(new FormData(form));
    setFilters({ status: values.status, name: values.name.trim(), queue: values.queue.trim(), limit: Number(values.limit) });
    view.refresh();
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    apply();
  });
  form.addEventListener('change', (event) => event.target instanceof HTMLSelectElement && apply());
  // `reset` fires before the fields are cleared.
  form.addEventListener('reset', () => setTimeout(apply));
  for (const [button, move] of [['page-first', 'first'], ['page-prev', 'previous'], ['page-next', 'next']]) {
    byId(button).addEventListener('click', () => {
      turnPage(move);
      view.refresh();
    });
  }
}

function setUpSearch() {
  byId('job-search').addEventListener('submit', async (event) => {
    event.preventDefault();
    const input = byId('search-id');
    const id = input.value.trim();
    const error = byId('search-error');
    error.textContent = '';
    if (!/^[1-9][0-9]{0,18}$/.test(id)) {
      error.textContent = 'A job id is a positive whole number.';
      return;
    }
    try {
      await api('GET', `/jobs/${id}`);
      location.hash = `#/jobs/${id}`;
    } catch (failure) {
      error.textContent = failure.status === 404 ? `No job with id ${id}.` : failure.message;
    }
  });
}

/** Job names and queues for the filters' and the form's suggestions: fetched once, they change only on deploy. */
async function loadJobTypes() {
  const { items } = await api('GET', '/dashboard/api/job-types');
  byId('job-names').replaceChildren(...items.map((type) => h('option', { value: type.name })));
  const queues = [...new Set(items.map((type) => type.queue))].sort();
  byId('job-queues').replaceChildren(...queues.map((queue) => h('option', { value: queue })));
}

keepTokenDialogOpen();
setUpFilters();
setUpSearch();
setUpEnqueueForm(refreshAll);
const overview = poll(() => refreshOverview(showStatus), () => IDLE_MS, markFailed);
poll(refreshSchedules, () => SCHEDULES_MS, markFailed);
loadJobTypes().catch(markFailed);
window.addEventListener('hashchange', route);
route();
