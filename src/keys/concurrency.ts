/** Running per-file work with a bound on how many run at once (provider calls, open files). */

/**
 * Calls `worker` for every item with at most `limit` calls in flight; results keep input order.
 * `worker` should not throw (wrap failures into its result): one rejection rejects the whole run.
 */
export async function mapWithConcurrency<T, R>(items: readonly T[], limit: number, worker: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await worker(items[index]!, index);
    }
  });
  await Promise.all(lanes);
  return results;
}
