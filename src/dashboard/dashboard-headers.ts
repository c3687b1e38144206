import type { Response } from 'express';

/**
 * The page runs only its own files: scripts and styles from this origin (no inline script or style, no eval), data
 * only from this origin's API, no plugins, no framing, no `<base>` tricks. Job payloads and errors are
 * user-controlled; the front end renders them as text, and this policy is the second line should that ever slip.
 */
export const DASHBOARD_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Headers on the page and every asset: the policy above, no MIME sniffing, no referrer, revalidate each load. */
export function setDashboardHeaders(response: Response, contentType: string, etag: string): void {
  response.setHeader('Content-Type', contentType);
  response.setHeader('Content-Security-Policy', DASHBOARD_CSP);
  response.setHeader('X-Content-Type-Options', 'nosniff');
  response.setHeader('Referrer-Policy', 'no-referrer');
  response.setHeader('X-Frame-Options', 'DENY');
  // Small files: revalidating on each load (304 via the ETag) keeps a new release's front end in step with its API.
  response.setHeader('Cache-Control', 'no-cache');
  response.setHeader('ETag', etag);
}
