/**
 * A bounded retry loop with exponential backoff and full jitter, for the failures AWS says to
 * retry (throttling, 5xx, a reset connection). The SDK's own retries are switched off
 * (maxAttempts 1) so there is one loop, with one bound, that tests can drive without real waits.
 */

export interface RetryPolicy {
  /** Total attempts, including the first (at least 1). */
  maxAttempts: number;
  /** The first backoff ceiling; doubles after each failure. */
  baseDelayMs: number;
  /** The largest backoff ceiling. */
  maxDelayMs: number;
  /** Defaults to Math.random; the delay is uniform in [0, ceiling) ("full jitter"). */
  random?: (() => number) | undefined;
  /** Defaults to setTimeout. */
  sleep?: ((ms: number) => Promise<void>) | undefined;
}

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The backoff before retry number `retry` (1-based). */
export function backoffDelay(policy: RetryPolicy, retry: number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  return Math.floor((policy.random ?? Math.random)() * ceiling);
}

/** Runs `operation` until it succeeds, fails with a non-retryable error, or attempts run out. */
export async function withRetries<T>(
  operation: (attempt: number) => Promise<T>,
  isRetryable: (error: unknown) => boolean,
  policy: RetryPolicy,
): Promise<T> {
  const attempts = Math.max(1, Math.floor(policy.maxAttempts));
  const sleep = policy.sleep ?? defaultSleep;
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation(attempt);
    } catch (error) {
      if (attempt >= attempts || !isRetryable(error)) throw error;
      await sleep(backoffDelay(policy, attempt));
    }
  }
}
