import { describe, expect, it } from 'vitest';
import { EnqueueBatcher } from './enqueue-batcher.js';

/** Inserts that resolve when the test says so; each call recorded with its rows. */
function fakeInserts() {
  const calls: Array<{ rows: string[]; settle: (error?: Error) => void }> = [];
  const call = (rows: string[]) =>
    new Promise<string[]>((resolve, reject) =>
      calls.push({ rows, settle: (error) => (error ? reject(error) : resolve(rows.map((row) => `id:${row}`))) }),
    );
  const batcher = new EnqueueBatcher<string, string>(
    async (row) => (await call([row]))[0],
    (rows) => call(rows),
  );
  return { batcher, calls };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));
const refused = () => Object.assign(new Error('value too long for type character varying'), { code: '22001' });

describe('EnqueueBatcher', () => {
  it('inserts a lone job at once, alone', async () => {
    const { batcher, calls } = fakeInserts();
    const result = batcher.add('a');
    expect(calls.map((call) => call.rows)).toEqual([['a']]);
    calls[0].settle();
    expect(await result).toBe('id:a');
  });

  it('sends the jobs that arrive while an insert is in flight together, each caller getting its own row', async () => {
    const { batcher, calls } = fakeInserts();
    const first = batcher.add('a');
    const waiting = ['b', 'c', 'd'].map((row) => batcher.add(row));
    expect(calls).toHaveLength(1);
    calls[0].settle();
    await turn();
    expect(calls.map((call) => call.rows)).toEqual([['a'], ['b', 'c', 'd']]);
    calls[1].settle();
    expect(await Promise.all([first, ...waiting])).toEqual(['id:a', 'id:b', 'id:c', 'id:d']);
    // Idle again: the next job goes at once.
    void batcher.add('e');
    expect(calls.at(-1)?.rows).toEqual(['e']);
  });

  it('inserts the jobs of a statement Postgres refused one by one, so that only the bad one fails', async () => {
    const { batcher, calls } = fakeInserts();
    void batcher.add('a');
    const waiting = Promise.allSettled(['b', 'bad', 'c'].map((row) => batcher.add(row)));
    calls[0].settle();
    await turn();
    calls[1].settle(refused());
    for (let index = 2; index < 5; index++) {
      await turn();
      calls[index].settle(calls[index].rows[0] === 'bad' ? refused() : undefined);
    }
    const outcomes = await waiting;
    expect(outcomes.map((outcome) => (outcome.status === 'fulfilled' ? outcome.value : 'rejected'))).toEqual(['id:b', 'rejected', 'id:c']);
    expect(calls.map((call) => call.rows)).toEqual([['a'], ['b', 'bad', 'c'], ['b'], ['bad'], ['c']]);
  });

  it('fails every job of a statement whose connection dropped, as each would have failed alone', async () => {
    const { batcher, calls } = fakeInserts();
    void batcher.add('a');
    const waiting = Promise.allSettled(['b', 'c'].map((row) => batcher.add(row)));
    calls[0].settle();
    await turn();
    calls[1].settle(Object.assign(new Error('Connection terminated unexpectedly'), { code: 'ECONNRESET' }));
    const outcomes = await waiting;
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected']);
    expect(calls).toHaveLength(2);
  });
});
