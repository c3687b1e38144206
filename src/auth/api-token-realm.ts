/** The realm of JOBS_API_TOKEN in `WWW-Authenticate`, shared by its guard and its middleware. */
export const API_TOKEN_REALM = 'jobs';

/**
 * The OpenAPI security scheme of JOBS_API_TOKEN: `bearer`, the name `@ApiBearerAuth()` uses when given none, so a
 * controller documented either way refers to the declared scheme.
 */
export const API_TOKEN_SECURITY_SCHEME = 'bearer';

/** The OpenAPI security scheme of METRICS_TOKEN (`@ApiBearerAuth('metrics')` on `GET /metrics`). */
export const METRICS_TOKEN_SECURITY_SCHEME = 'metrics';
