/**
 * Bounded retry with exponential backoff and full jitter, for the failures the service says are
 * transient. Everything else is rethrown at once.
 */
export interface RetryPolicy {
  /** Total attempts including the first (default 3). */
  attempts: number;
  /** Delay cap before the second attempt; doubles each time (default 200 ms). */
  baseDelayMs: number;
  /** Upper bound for any single delay (default 2 s). */
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { attempts: 3, baseDelayMs: 200, maxDelayMs: 2_000 };

export async function withRetry<T>(
  run: () => Promise<T>,
  options: { policy: RetryPolicy; isRetryable: (error: unknown) => boolean; random?: () => number },
): Promise<T> {
  const random = options.random ?? Math.random;
  const attempts = Math.max(1, Math.floor(options.policy.attempts));
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      if (attempt >= attempts || !options.isRetryable(error)) throw error;
      const cap = Math.min(options.policy.maxDelayMs, options.policy.baseDelayMs * 2 ** (attempt - 1));
      await sleep(Math.floor(random() * cap));
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
