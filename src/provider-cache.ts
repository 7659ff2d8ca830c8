/**
 * A per-run layer over a provider resolver for commands that open many files at once
 * (`coffer decrypt -r`): each distinct stanza is unwrapped once, and only so many unwrap calls
 * reach the key services at the same time. Pure: it wraps whatever providers the resolver returns.
 */
import type { KeyProvider, KeyStanza, ProviderResolver } from "./provider.js";
import { stanzaIdentity } from "./keys/stanza-identity.js";

export interface UnwrapCacheOptions {
  /** Most unwrap calls in flight at once, across every provider type. */
  concurrency: number;
  /**
   * Stricter limits for some types, e.g. `{ pgp: 1 }` so that gpg-agent passphrase prompts
   * never overlap. A call holds its type's slot and a global slot while it runs.
   */
  concurrencyByType?: Readonly<Record<string, number>> | undefined;
}

/** What the cache did so far (for tests and diagnostics). */
export interface UnwrapCacheStats {
  /** Unwrap calls passed on to a provider. */
  providerCalls: number;
  /** Unwraps answered from the cache or by joining a call already in flight. */
  cacheHits: number;
}

export interface UnwrapCache {
  /** Resolves like the wrapped resolver, but its providers' `unwrap` is cached and bounded. */
  resolve: ProviderResolver;
  stats(): UnwrapCacheStats;
}

/** Runs at most `limit` tasks at once; the others wait in arrival order. */
export function createLimiter(limit: number): <T>(task: () => Promise<T>) => Promise<T> {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError("limit must be a positive integer");
  let active = 0;
  const waiting: Array<() => void> = [];
  const release = (): void => {
    const next = waiting.shift();
    if (next === undefined) active--;
    else next(); // the slot passes straight to the next task
  };
  return async (task) => {
    if (active < limit) active++;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await task();
    } finally {
      release();
    }
  };
}

/** The cache key: which master key (type and identifying fields) and which wrapped blob. */
function cacheKeyOf(stanza: KeyStanza): string | undefined {
  const enc = stanza.fields.get("enc");
  if (typeof enc !== "string" || enc === "") return undefined;
  return `${stanzaIdentity(stanza)}\u0000${enc}`;
}

/**
 * Wraps `resolver` for one run. Unwrapping a stanza already unwrapped (same type, key fields and
 * `enc`) asks the provider nothing; concurrent requests for it share one call. Failures are not
 * kept, so a later file retries. Each caller gets its own copy of the key bytes.
 */
export function cacheUnwraps(resolver: ProviderResolver, options: UnwrapCacheOptions): UnwrapCache {
  const everyType = createLimiter(options.concurrency);
  const typeLimiters = new Map<string, <T>(task: () => Promise<T>) => Promise<T>>();
  for (const [type, limit] of Object.entries(options.concurrencyByType ?? {})) typeLimiters.set(type, createLimiter(limit));
  const results = new Map<string, Promise<Uint8Array | null>>();
  const wrapped = new Map<KeyProvider, KeyProvider>();
  const stats: UnwrapCacheStats = { providerCalls: 0, cacheHits: 0 };

  const bounded = (type: string, task: () => Promise<Uint8Array | null>): Promise<Uint8Array | null> => {
    const call = (): Promise<Uint8Array | null> => everyType(() => {
      stats.providerCalls++;
      return task();
    });
    const forType = typeLimiters.get(type);
    return forType === undefined ? call() : forType(call);
  };

  const wrap = (provider: KeyProvider): KeyProvider => ({
    type: provider.type,
    wrap: (dataKey, key) => provider.wrap(dataKey, key),
    async unwrap(stanza) {
      const key = cacheKeyOf(stanza);
      if (key === undefined) return bounded(stanza.type, () => provider.unwrap(stanza));
      let pending = results.get(key);
      if (pending === undefined) {
        pending = bounded(stanza.type, () => provider.unwrap(stanza));
        results.set(key, pending);
        // Forget failures so the next file asks again (a throttle or a timeout may pass).
        const settled = pending;
        settled.catch(() => {
          if (results.get(key) === settled) results.delete(key);
        });
      } else {
        stats.cacheHits++;
      }
      const dataKey = await pending;
      return dataKey === null ? null : Uint8Array.from(dataKey);
    },
  });

  return {
    async resolve(type) {
      const provider = await resolver(type);
      if (provider === undefined) return undefined;
      let cached = wrapped.get(provider);
      if (cached === undefined) {
        cached = wrap(provider);
        wrapped.set(provider, cached);
      }
      return cached;
    },
    stats: () => ({ ...stats }),
  };
}
