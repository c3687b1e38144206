// The targets of issue 7, judged from one run: the harness's medians (ratios against graphile-worker measured in the
// same run), the history drain and the HTTP measurement.

const TARGETS = [
  { id: 'A1', metric: 'value', what: 'A1 enqueue one at a time', op: '>=', bound: 4 },
  { id: 'A2', metric: 'value', what: 'A2 bulk enqueue', op: '>=', bound: 1.5 },
  { id: 'B-1x10', metric: 'value', what: 'B drain 1 × 10', op: '>=', bound: 1.2 },
  { id: 'B-1x50', metric: 'value', what: 'B drain 1 × 50', op: '>=', bound: 1.2 },
  { id: 'B-2x50', metric: 'value', what: 'B drain 2 × 50', op: '>=', bound: 1.2 },
  { id: 'C', metric: 'p50', what: 'C latency p50', op: '<=', bound: 0.7 },
  { id: 'C', metric: 'p99', what: 'C latency p99', op: '<=', bound: 1 },
];

const fmt = (x) => (x == null ? 'n/a' : Number(x.toPrecision(3)).toString());

/** Markdown table of every target: measured ratio, bound, met or by how much it falls short. */
export function judgeTargets({ medians, adapterName, history, http }) {
  const cell = (id, metric, adapter) => medians.find((m) => m.case === id && m.metric === metric && m.adapter === adapter)?.median;
  const rows = [];
  for (const target of TARGETS) {
    const ours = cell(target.id, target.metric, adapterName);
    const gw = cell(target.id, target.metric, 'graphile-worker');
    if (ours == null || gw == null) continue;
    rows.push({ ...target, ratio: ours / gw, detail: `${fmt(ours)} vs gw ${fmt(gw)}` });
  }
  if (history) {
    rows.push({ what: `B 1 × ${history.concurrency}, ${history.rows.toLocaleString('en-US')} finished rows vs empty table`, op: '>=', bound: 0.9, ratio: history.ratio, detail: `${fmt(history.history)} vs ${fmt(history.empty)} jobs/s` });
  }
  if (http) {
    rows.push({ what: `POST /jobs vs bare GET route, ${http.clients} keep-alive clients`, op: '>=', bound: 0.5, ratio: http.ratio, detail: `${fmt(http.enqueue)} vs ${fmt(http.bare)} req/s` });
  }
  let md = '| target | medians | ratio | required | met |\n| --- | --- | --- | --- | --- |\n';
  for (const row of rows) {
    const met = row.op === '>=' ? row.ratio >= row.bound : row.ratio <= row.bound;
    const short = row.op === '>=' ? `${Math.round((1 - row.ratio / row.bound) * 100)}% short` : `${Math.round((row.ratio / row.bound - 1) * 100)}% over`;
    md += `| ${row.what} | ${row.detail} | ${fmt(row.ratio)}x | ${row.op} ${row.bound}x | ${met ? 'yes' : `no (${short})`} |\n`;
  }
  return md;
}
