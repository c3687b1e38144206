// The schedules, with their next fire times; the panel shows only when there are schedules.

import { api } from './api.js';
import { byId, h, statusBadge } from './dom.js';
import { formatRelative, formatTime } from './format.js';

/** Loads `/schedules` and redraws the panel (hidden when the list is empty). */
export async function refreshSchedules() {
  const { items } = await api('GET', '/schedules');
  const panel = byId('schedules');
  panel.hidden = items.length === 0;
  if (items.length === 0) return;
  byId('schedules-table').replaceChildren(
    h(
      'table',
      { class: 'compact' },
      h(
        'thead',
        {},
        h('tr', {}, ...['Schedule', 'Cron', 'Job', 'Next fire', 'Last run'].map((c) => h('th', { scope: 'col', text: c }))),
      ),
      h('tbody', {}, ...items.map(scheduleRow)),
    ),
  );
}

function scheduleRow(schedule) {
  const last = schedule.lastRuns[0];
  return h(
    'tr',
    { 'data-schedule': schedule.name },
    h('th', { scope: 'row', class: 'name', text: schedule.name }),
    h('td', {}, h('code', { text: schedule.cron }), h('span', { class: 'muted', text: ` ${schedule.timezone}` })),
    h('td', { class: 'name', text: schedule.jobName }),
    h(
      'td',
      { class: 'next-fire' },
      schedule.enabled && schedule.nextFireAt
        ? [h('time', { datetime: schedule.nextFireAt, text: formatTime(schedule.nextFireAt) }), h('span', { class: 'muted', text: ` (${formatRelative(schedule.nextFireAt)})` })]
        : h('span', { class: 'badge badge-cancelled', text: 'paused' }),
    ),
    h(
      'td',
      {},
      last
        ? [
            formatTime(last.fireTime),
            ' ',
            last.jobId ? h('a', { href: `#/jobs/${encodeURIComponent(last.jobId)}`, text: `job ${last.jobId}` }) : last.outcome,
            last.jobStatus ? [' ', statusBadge(last.jobStatus)] : null,
          ]
        : '–',
    ),
  );
}
