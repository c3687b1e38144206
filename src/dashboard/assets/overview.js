// The overview: totals per status (each a shortcut to the list filtered by it), counts by queue, the chart.

import { api } from './api.js';
import { byId, h } from './dom.js';
import { throughputChart, throughputLegend } from './throughput-chart.js';

const STATUSES = ['pending', 'processing', 'completed', 'failed', 'cancelled'];

/** The last overview drawn: an unchanged one is not redrawn (keeps focus on a total, and the chart's tooltip). */
let drawn = '';

/** Loads `/dashboard/api/overview` and renders it; `onStatus(status)` runs when a total is clicked. */
export async function refreshOverview(onStatus) {
  const overview = await api('GET', '/dashboard/api/overview');
  const json = JSON.stringify(overview);
  if (json === drawn) return;
  drawn = json;
  renderTotals(overview.counts.totals, onStatus);
  renderQueues(overview.counts.byQueue);
  byId('throughput-chart').replaceChildren(throughputChart(overview.throughput), throughputLegend(overview.throughput));
}

function renderTotals(totals, onStatus) {
  byId('totals').replaceChildren(
    ...STATUSES.map((status) =>
      h(
        'button',
        { type: 'button', class: `total total-${status}`, 'data-status': status, title: `Show ${status} jobs`, onclick: () => onStatus(status) },
        h('span', { class: 'total-count', text: totals[status] ?? 0 }),
        h('span', { class: 'total-label', text: status }),
      ),
    ),
  );
}

function renderQueues(byQueue) {
  const queues = [...new Set(byQueue.map((c) => c.queue))].sort();
  if (queues.length === 0) {
    byId('queue-counts').replaceChildren(h('p', { class: 'empty', text: 'No jobs yet.' }));
    return;
  }
  const count = (queue, status) => byQueue.find((c) => c.queue === queue && c.status === status)?.count ?? 0;
  byId('queue-counts').replaceChildren(
    h(
      'table',
      { class: 'compact' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col', text: 'Queue' }), ...STATUSES.map((s) => h('th', { scope: 'col', class: 'num', text: s })))),
      h(
        'tbody',
        {},
        ...queues.map((queue) =>
          h('tr', { 'data-queue': queue }, h('th', { scope: 'row', text: queue }), ...STATUSES.map((s) => h('td', { class: 'num', 'data-status': s, text: count(queue, s) }))),
        ),
      ),
    ),
  );
}
