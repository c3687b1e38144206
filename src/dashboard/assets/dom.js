// DOM helpers. Every value that comes from the server (payloads, errors, names) goes through textContent or a
// plain attribute, never through an HTML-string API: job data is user-controlled and must never become markup
// (test/dashboard-http.e2e-spec.ts refuses those APIs in every asset).

/**
 * Creates an HTML element. `props`: `class`, `text` (textContent), `on<event>` listeners, anything else as an
 * attribute (skipped when null, undefined or false). Children: nodes, or strings added as text.
 */
export function h(tag, props = {}, ...children) {
  return build(document.createElement(tag), props, children);
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** Creates an SVG element, with the same rules as `h`. */
export function svg(tag, props = {}, ...children) {
  return build(document.createElementNS(SVG_NS, tag), props, children);
}

function build(element, props, children) {
  for (const [key, value] of Object.entries(props)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'class') element.setAttribute('class', value);
    else if (key === 'text') element.textContent = String(value);
    else if (key.startsWith('on') && typeof value === 'function') element.addEventListener(key.slice(2), value);
    else element.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

/** The element with that id; throws when the page lacks it (a broken page should say so at once). */
export function byId(id) {
  const element = document.getElementById(id);
  if (!element) throw new Error(`The page has no element #${id}`);
  return element;
}

/** A status badge, its colour from the status (a class the stylesheet knows). */
export const statusBadge = (status) => h('span', { class: `badge badge-${status}`, text: status });

/** A progress bar for a job (0–100), with its value readable as `value` and `aria-valuenow`. */
export const progressBar = (job) =>
  h(
    'span',
    { class: 'progress' },
    h('progress', { max: 100, value: job.progress, 'aria-valuenow': job.progress, 'aria-label': `Progress of job ${job.id}` }),
    h('span', { class: 'progress-value', text: `${Math.round(job.progress)}%` }),
  );
