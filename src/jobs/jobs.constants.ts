/** Metadata key under which `@JobHandler` stores its options (namespaced so it never meets another library's). */
export const JOB_HANDLER_METADATA = 'jobs:handler_metadata';

/** Injection token of the resolved `JobsModuleOptions`. */
export const JOBS_MODULE_OPTIONS = 'jobs:module_options';

/** Valid job (and queue) names: what the HTTP API, the decorator and `enqueue` accept. */
export const JOB_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/;

export const MIN_PRIORITY = -1000;
export const MAX_PRIORITY = 1000;
export const DEFAULT_QUEUE = 'default';
export const DEFAULT_MAX_ATTEMPTS = 3;
export const MAX_ATTEMPTS_LIMIT = 1000;
export const DEFAULT_BACKOFF = { delayMs: 1_000, maxDelayMs: 3_600_000 } as const;

/** Defaults of the enqueue and list limits (`JobsModuleOptions`). */
export const DEFAULT_MAX_PAYLOAD_BYTES = 1_048_576;
export const DEFAULT_MAX_PAYLOAD_DEPTH = 32;
export const DEFAULT_MAX_BATCH_SIZE = 10_000;
export const DEFAULT_MAX_PAGE_SIZE = 500;
