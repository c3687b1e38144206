import type { Reporter, TestCase, TestModule } from 'vitest/node';
import './fault-figures.js';
import { PROFILE } from './fault-profile.js';
import { formatTable } from './fault-table.js';

/**
 * Prints the fault suite's table once every scenario has run: one line per scenario, from the figures each stored
 * in its test's `meta.fault`, in file order (the files are numbered). A scenario that failed before its figures
 * were computed appears with its name and no figures.
 */
export default class FaultTableReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const cases: TestCase[] = [...testModules]
      .sort((a, b) => a.moduleId.localeCompare(b.moduleId))
      .flatMap((module) => [...module.children.allTests()]);
    const rows = cases.flatMap((test) => {
      const figures = test.meta().fault;
      if (figures) return [figures];
      return [{ scenario: `${test.name} (${test.result().state}, no figures)`, enqueued: 0, completed: 0, failed: 0, lost: 0, runs: 0, concurrent: 0, lateWrites: 0, deaths: 0, recoveryMs: null, durationMs: 0, notes: '' }];
    });
    if (rows.length === 0) return;
    const failed = cases.filter((test) => test.result().state === 'failed').length;
    console.log(`\n${formatTable(rows, PROFILE)}\n${failed === 0 ? 'Every scenario passed.' : `${failed} scenarios FAILED.`}\n`);
  }
}
