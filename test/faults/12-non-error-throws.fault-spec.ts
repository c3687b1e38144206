import { expect, it } from 'vitest';
import { runScenario } from './support/run-scenario.js';

/** What the fault fixture can throw (test/fixtures/fault-server.mjs, THROWN). */
const THROWN = ['string', 'number', 'null', 'undefined', 'object', 'symbol', 'bigint', 'circular', 'nul', 'hostile', 'error-with-throwing-getters', 'proxy'];

/** Handlers that throw values that are not Errors — some whose every property or conversion throws. */
it('handlers throwing non-Error values', async ({ task }) => {
  await runScenario(task, { name: 'non-Error throws' }, async (harness) => {
    await harness.startServer();
    const thrown = new Map<string, string>();
    for (const kind of THROWN) {
      const [id] = await harness.enqueue({ throw: kind }, 1, { maxAttempts: 2, expect: 'failed' });
      thrown.set(id, kind);
    }
    await harness.enqueue({ sleepMs: 50 }, 40);
    return {
      notes: `${THROWN.length} kinds of thrown values, 2 attempts each`,
      verify: async (figures, h) => {
        const rows = await h.database.query<{ id: string; errors: Array<{ message: string }> }>(
          `SELECT id::text, errors FROM jobs.jobs WHERE id = ANY($1::bigint[])`,
          [[...thrown.keys()]],
        );
        for (const row of rows) {
          expect(row.errors, thrown.get(row.id)).toHaveLength(2);
          for (const error of row.errors) expect(error.message.length, thrown.get(row.id)).toBeGreaterThan(0);
        }
        expect(figures.deaths).toBe(0);
      },
    };
  });
});
