/** One scenario's line in the fault table. */
export interface FaultFigures {
  scenario: string;
  /** Jobs enqueued. */
  enqueued: number;
  completed: number;
  /** Jobs that ended `failed`, as the scenario expects of some (poison payloads, handlers that throw). */
  failed: number;
  /** Jobs not in their expected final state when the scenario ended (stuck, lost, or wrongly finished). */
  lost: number;
  /** Handler executions logged. */
  runs: number;
  /** Jobs with two executions running at the same time (from the execution log). */
  concurrent: number;
  /** Fenced writes that changed nothing, counted from the job servers' `Late write rejected` log lines. */
  lateWrites: number;
  /** Job servers that died without being asked to (crashed, or killed by their lease watchdog). */
  deaths: number;
  /**
   * From the moment the last fault began until every job that had started before it was finished (so a job cut by
   * the fault counts until its rerun ends, and a long job it did not touch until its normal end); null where the
   * scenario has no fault moment.
   */
  recoveryMs: number | null;
  durationMs: number;
  notes: string;
}

declare module 'vitest' {
  interface TaskMeta {
    fault?: FaultFigures;
  }
}
