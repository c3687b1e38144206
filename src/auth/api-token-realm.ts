/** The realm of JOBS_API_TOKEN in `WWW-Authenticate`, shared by its guard and its middleware. */
export const API_TOKEN_REALM = 'jobs';

/** The name of the bearer security scheme in the OpenAPI document. */
export const API_TOKEN_SECURITY_SCHEME = 'api-token';
