import { expect, type TaskMeta } from 'vitest';
import { FaultHarness } from './fault-harness.js';
import type { FaultFigures } from './fault-figures.js';
import { formatFigures } from './fault-table.js';

export interface ScenarioOptions {
  /** The scenario's name in the table. */
  name: string;
  /** Run on a PostgreSQL cluster of the scenario's own (for faults that restart, crash or starve it). */
  privateCluster?: boolean;
  /** How long the jobs may take to finish once the fault is over. Default 60 s. */
  finishTimeoutMs?: number;
}

export interface ScenarioOutcome {
  /** A short note for the table (what was done, what was seen). */
  notes?: string;
  /** The scenario's own checks, run after the common ones (none lost, none run twice at once). */
  verify?: (figures: FaultFigures, harness: FaultHarness) => Promise<void> | void;
}

/**
 * Runs one fault scenario: builds its world, applies the fault (`body`), waits for every job to finish, drains the
 * servers, computes the figures (stored on the test for the table reporter, printed at once), then checks that no
 * job was lost or ran twice at once, and the scenario's own expectations.
 */
export async function runScenario(
  task: { meta: TaskMeta },
  options: ScenarioOptions,
  body: (harness: FaultHarness) => Promise<ScenarioOutcome | void>,
): Promise<void> {
  const startedAt = performance.now();
  const harness = await FaultHarness.start({ privateCluster: options.privateCluster });
  try {
    let outcome: ScenarioOutcome = {};
    let bodyError: unknown;
    try {
      outcome = (await body(harness)) ?? {};
    } catch (error) {
      bodyError = error; // the figures are still worth printing
    }
    await harness.waitAllFinal(bodyError ? 5_000 : (options.finishTimeoutMs ?? 60_000));
    await harness.settle();
    const figures = await harness.figures(options.name, startedAt, outcome.notes ?? '');
    task.meta.fault = figures;
    console.log(`[faults] ${formatFigures(figures)}`);
    if (bodyError || figures.lost > 0 || figures.concurrent > 0) console.log(await harness.diagnostics());
    if (bodyError) throw bodyError;
    expect(figures.lost, 'jobs lost or stuck').toBe(0);
    expect(figures.concurrent, 'jobs executed twice at the same time').toBe(0);
    await outcome.verify?.(figures, harness);
  } finally {
    await harness.destroy();
  }
}
