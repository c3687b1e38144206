import { AsyncLocalStorage } from 'node:async_hooks';

/** The job a log line is about: added to every line written while its handler runs, whoever writes it. */
export interface JobLogFields {
  jobId: string;
  /** Absent only on the lines written where the processor holds no more than the row's id (late and refused writes). */
  jobName?: string;
  attempt: number;
}

const storage = new AsyncLocalStorage<JobLogFields>();

/**
 * Runs `fn` with `fields` as the job log context: the processor enters it around each handler call (so the lines a
 * handler writes with any Nest `Logger`, and everything it awaits, carry the job) and around its own lines about a
 * job written outside that call (outcomes, late writes). A logger reads it with `currentJobLogFields()`; without
 * one that does (Nest's console logger), it changes nothing.
 */
export const withJobLogContext = <T>(fields: JobLogFields, fn: () => T): T => storage.run(fields, fn);

/** The job the current code runs for, if any. */
export const currentJobLogFields = (): JobLogFields | undefined => storage.getStore();
