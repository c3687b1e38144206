/**
 * The fence of every write a worker makes to the jobs it holds, and the per-job values that go with it, for
 * statements that take parallel arrays (ids, attempts, values...) of one batch.
 *
 * Why not `FROM unnest(...)` joined on id: Postgres estimates an unnested parameter at 10 rows, and for a batch of
 * 50 its generic plan re-ran the unnest for every row found (a nested loop, 2,500 comparisons, half the statement's
 * time). Here each row is reached through the primary key by `id = ANY(ids)` alone, with no join to plan, and its
 * own values are picked by its position in the ids array.
 */
export const heldJobsFence = (ids: string, attempts: string, worker: string) =>
  `j.id = ANY(${ids}) AND j.attempts = ${heldValue(attempts, ids)} AND j.worker_id = ${worker}`;

/** The element of array `values` that belongs to row `j`: the one at j's position in array `ids`. */
export const heldValue = (values: string, ids: string) => `(${values})[array_position(${ids}, j.id)]`;
