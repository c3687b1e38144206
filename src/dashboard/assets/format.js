// Formatting of times, durations and JSON for display (text only).

const pad = (n) => String(n).padStart(2, '0');

/** `2026-11-28 22:15:04` in the browser's time zone; `–` for none. */
export function formatTime(iso) {
  if (!iso) return '–';
  const d = new Date(iso);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** `850 ms`, `4.2 s`, `3 min 5 s`, `2 h 10 min`. */
export function formatDuration(ms) {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '–';
  const abs = Math.abs(ms);
  if (abs < 1000) return `${Math.round(abs)} ms`;
  if (abs < 60_000) return `${(abs / 1000).toFixed(1)} s`;
  if (abs < 3_600_000) return `${Math.floor(abs / 60_000)} min ${Math.floor((abs % 60_000) / 1000)} s`;
  if (abs < 86_400_000) return `${Math.floor(abs / 3_600_000)} h ${Math.floor((abs % 3_600_000) / 60_000)} min`;
  return `${Math.floor(abs / 86_400_000)} d ${Math.floor((abs % 86_400_000) / 3_600_000)} h`;
}

/** `5.1 s ago` or `in 3 min 0 s`, relative to now. */
export function formatRelative(iso) {
  if (!iso) return '';
  const delta = new Date(iso).getTime() - Date.now();
  return delta >= 0 ? `in ${formatDuration(delta)}` : `${formatDuration(-delta)} ago`;
}

/** Milliseconds between two times, or null when either is missing. */
export const between = (from, to) => (from && to ? new Date(to).getTime() - new Date(from).getTime() : null);

/** Pretty JSON; `undefined` (absent) reads as `null`. */
export const formatJson = (value) => JSON.stringify(value ?? null, null, 2);
