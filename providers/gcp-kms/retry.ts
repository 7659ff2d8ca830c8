/**
 * Bounded retries with exponential backoff and full jitter. google-gax's own retry is switched
 * off (it rewrites the final error to DEADLINE_EXCEEDED and does not cover REST), so both
 * transports retry here, on the codes {@link isRetryableCode} names.
 */

export interface RetryPolicy {
  /** Total attempts including the first (default 4, at most 10). */
  attempts?: number;
  /** First backoff ceiling in ms (default 200). */
  baseDelayMs?: number;
  /** Largest backoff ceiling in ms (default 3000). */
  maxDelayMs?: number;
  /** Injected for tests. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `attempt` until it succeeds, `shouldRetry` says no, or the attempts run out. */
export async function withRetry<T>(
  attempt: (index: number) => Promise<T>,
  shouldRetry: (error: unknown) => boolean,
  policy: RetryPolicy = {},
): Promise<T> {
  const attempts = Math.max(1, Math.min(policy.attempts ?? 4, 10));
  const base = policy.baseDelayMs ?? 200;
  const max = policy.maxDelayMs ?? 3000;
  const sleep = policy.sleep ?? defaultSleep;
  const random = policy.random ?? Math.random;
  for (let index = 0; ; index++) {
    try {
      return await attempt(index);
    } catch (error) {
      if (index + 1 >= attempts || !shouldRetry(error)) throw error;
      await sleep(Math.floor(random() * Math.min(max, base * 2 ** index)));
    }
  }
}
