// The last hour's completed and failed jobs per minute, as an SVG bar chart drawn with DOM calls (no library).

import { h, svg } from './dom.js';

const WIDTH = 600;
const HEIGHT = 150;
const LEFT = 34;
const BOTTOM = 18;
const TOP = 8;

const hhmm = (iso) => {
  const d = new Date(iso);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
};

/** Stacked bars (failed above completed), one per minute, oldest on the left; a tooltip per minute. */
export function throughputChart(minutes) {
  const completed = minutes.reduce((sum, m) => sum + m.completed, 0);
  const failed = minutes.reduce((sum, m) => sum + m.failed, 0);
  const peak = Math.max(1, ...minutes.map((m) => m.completed + m.failed));
  const plotHeight = HEIGHT - TOP - BOTTOM;
  const slot = (WIDTH - LEFT) / Math.max(1, minutes.length);
  const y = (value) => (value / peak) * plotHeight;

  const bars = minutes.map((m, index) => {
    const x = LEFT + index * slot + 1;
    const width = Math.max(1, slot - 2);
    const base = HEIGHT - BOTTOM;
    return svg(
      'g',
      { class: 'minute' },
      svg('title', { text: `${hhmm(m.minute)}: ${m.completed} completed, ${m.failed} failed` }),
      // A transparent full-height target, so that a minute's tooltip shows also where its bars are short.
      svg('rect', { class: 'hit', x, y: TOP, width, height: plotHeight }),
      svg('rect', { class: 'bar-completed', x, y: base - y(m.completed), width, height: y(m.completed) }),
      svg('rect', { class: 'bar-failed', x, y: base - y(m.completed) - y(m.failed), width, height: y(m.failed) }),
    );
  });

  const first = minutes[0];
  const last = minutes[minutes.length - 1];
  return svg(
    'svg',
    {
      class: 'chart',
      viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
      role: 'img',
      'aria-label': `Jobs finished per minute over the last hour: ${completed} completed, ${failed} failed`,
    },
    svg('line', { class: 'axis', x1: LEFT, y1: HEIGHT - BOTTOM, x2: WIDTH, y2: HEIGHT - BOTTOM }),
    svg('text', { class: 'tick', x: LEFT - 4, y: TOP + 8, 'text-anchor': 'end', text: String(peak) }),
    svg('text', { class: 'tick', x: LEFT - 4, y: HEIGHT - BOTTOM, 'text-anchor': 'end', text: '0' }),
    first ? svg('text', { class: 'tick', x: LEFT, y: HEIGHT - 4, text: hhmm(first.minute) }) : null,
    last ? svg('text', { class: 'tick', x: WIDTH, y: HEIGHT - 4, 'text-anchor': 'end', text: hhmm(last.minute) }) : null,
    ...bars,
  );
}

/** The chart's legend with the hour's totals (the list the tests and screen readers read). */
export function throughputLegend(minutes) {
  const total = (kind) => minutes.reduce((sum, m) => sum + m[kind], 0);
  const item = (kind) =>
    h(
      'li',
      { 'data-kind': kind },
      svg('svg', { class: 'swatch', viewBox: '0 0 10 10', 'aria-hidden': 'true' }, svg('rect', { class: `bar-${kind}`, width: 10, height: 10 })),
      h('span', { text: `${kind}: ${total(kind)}` }),
    );
  return h('ul', { class: 'legend' }, item('completed'), item('failed'));
}
