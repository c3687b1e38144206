import type { FaultFigures } from './fault-figures.js';

const COLUMNS: Array<{ title: string; value: (figures: FaultFigures) => string; left?: boolean }> = [
  { title: 'scenario', value: (f) => f.scenario, left: true },
  { title: 'enqueued', value: (f) => String(f.enqueued) },
  { title: 'completed', value: (f) => String(f.completed) },
  { title: 'failed', value: (f) => String(f.failed) },
  { title: 'lost', value: (f) => String(f.lost) },
  { title: 'runs', value: (f) => String(f.runs) },
  { title: 'concurrent', value: (f) => String(f.concurrent) },
  { title: 'late writes rejected', value: (f) => String(f.lateWrites) },
  { title: 'deaths', value: (f) => String(f.deaths) },
  { title: 'recovery', value: (f) => (f.recoveryMs === null ? '–' : `${(f.recoveryMs / 1000).toFixed(1)} s`) },
  { title: 'took', value: (f) => `${Math.round(f.durationMs / 1000)} s` },
  { title: 'notes', value: (f) => f.notes, left: true },
];

/** One scenario on one line, for the log while the suite runs. */
export const formatFigures = (figures: FaultFigures): string =>
  COLUMNS.map((column) => `${column.title}=${column.value(figures)}`).join(' · ');

/** The table of every scenario's figures, in Markdown (readable as is, and pasteable). */
export function formatTable(rows: FaultFigures[], profile: string): string {
  const cells = rows.map((row) => COLUMNS.map((column) => column.value(row)));
  const widths = COLUMNS.map((column, index) => Math.max(column.title.length, ...cells.map((line) => line[index].length)));
  const line = (values: string[]) =>
    `| ${values.map((value, index) => (COLUMNS[index].left ? value.padEnd(widths[index]) : value.padStart(widths[index]))).join(' | ')} |`;
  return [
    `Fault suite (profile ${profile}): ${rows.length} scenarios`,
    line(COLUMNS.map((column) => column.title)),
    `|${widths.map((width, index) => (COLUMNS[index].left ? `:${'-'.repeat(width + 1)}` : `${'-'.repeat(width + 1)}:`)).join('|')}|`,
    ...cells.map(line),
    '',
    'lost: jobs not in their expected final state at the end · runs: handler executions logged · concurrent: jobs with',
    'two executions running at the same time (execution log; time a process spent stopped by SIGSTOP excluded) ·',
    'late writes rejected: fenced writes that changed nothing · deaths: job servers that died unasked (crash,',
    'lease watchdog) · recovery: from the start of the last fault until every job started before it had finished',
  ].join('\n');
}
