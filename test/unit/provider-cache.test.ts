import { describe, expect, it } from "vitest";
import { CofferError } from "../../src/errors.js";
import { cacheUnwraps, createLimiter } from "../../src/provider-cache.js";
import { providersByType, type KeyProvider, type KeyStanza } from "../../src/provider.js";
import { TreeMap } from "../../src/core/tree.js";

function stanza(type: string, enc: string, extra: Record<string, string> = {}): KeyStanza {
  const fields = new TreeMap();
  for (const [key, value] of Object.entries(extra)) fields.set(key, value);
  fields.set("enc", enc);
  return { type, fields };
}

/** A provider whose unwrap takes a tick, counts calls and the most calls in flight at once. */
function countingProvider(type: string, options: { failFirst?: number } = {}) {
  let inFlight = 0;
  let failuresLeft = options.failFirst ?? 0;
  const counts = { calls: 0, maxInFlight: 0, byEnc: new Map<string, number>() };
  const provider: KeyProvider = {
    type,
    wrap: async () => {
      throw new Error("not used");
    },
    async unwrap(s) {
      if (s.type !== type) return null;
      const enc = String(s.fields.get("enc"));
      counts.calls++;
      counts.byEnc.set(enc, (counts.byEnc.get(enc) ?? 0) + 1);
      inFlight++;
      counts.maxInFlight = Math.max(counts.maxInFlight, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 2));
      inFlight--;
      if (failuresLeft > 0) {
        failuresLeft--;
        throw new CofferError("PROVIDER_UNAVAILABLE", "throttled");
      }
      if (enc === "none") return null;
      return new Uint8Array(32).fill(enc.length);
    },
  };
  return { provider, counts };
}

describe("cacheUnwraps", () => {
  it("asks the provider once for the same stanza, also when the requests overlap", async () => {
    const { provider, counts } = countingProvider("kms");
    const cache = cacheUnwraps(providersByType([provider]), { concurrency: 4 });
    const resolved = (await cache.resolve("kms"))!;
    const keys = await Promise.all(Array.from({ length: 10 }, () => resolved.unwrap(stanza("kms", "blob-a", { arn: "arn:1" }))));
    await resolved.unwrap(stanza("kms", "blob-a", { arn: "arn:1" }));
    expect(counts.calls).toBe(1);
    expect(keys.every((key) => key !== null && key.length === 32 && key[0] === "blob-a".length)).toBe(true);
    expect(cache.stats()).toEqual({ providerCalls: 1, cacheHits: 10 });
  });

  it("tells distinct stanzas apart by enc and by key fields", async () => {
    const { provider, counts } = countingProvider("kms");
    const cache = cacheUnwraps(providersByType([provider]), { concurrency: 4 });
    const resolved = (await cache.resolve("kms"))!;
    await resolved.unwrap(stanza("kms", "blob-a", { arn: "arn:1" }));
    await resolved.unwrap(stanza("kms", "blob-b", { arn: "arn:1" }));
    await resolved.unwrap(stanza("kms", "blob-a", { arn: "arn:2" }));
    await resolved.unwrap(stanza("kms", "blob-a", { arn: "arn:1" }));
    expect(counts.calls).toBe(3);
  });

  it("hands every caller its own copy of the key", async () => {
    const { provider } = countingProvider("age");
    const resolved = (await cacheUnwraps(providersByType([provider]), { concurrency: 1 }).resolve("age"))!;
    const first = (await resolved.unwrap(stanza("age", "x")))!;
    first.fill(0);
    const second = (await resolved.unwrap(stanza("age", "x")))!;
    expect(second[0]).toBe(1);
  });

  it("does not keep failures: the next request asks again", async () => {
    const { provider, counts } = countingProvider("kms", { failFirst: 1 });
    const resolved = (await cacheUnwraps(providersByType([provider]), { concurrency: 2 }).resolve("kms"))!;
    const overlapping = await Promise.allSettled([resolved.unwrap(stanza("kms", "blob")), resolved.unwrap(stanza("kms", "blob"))]);
    expect(overlapping.map((result) => result.status)).toEqual(["rejected", "rejected"]);
    expect(overlapping[0]?.status === "rejected" && (overlapping[0].reason as CofferError).code).toBe("PROVIDER_UNAVAILABLE");
    expect(counts.calls).toBe(1);
    expect(await resolved.unwrap(stanza("kms", "blob"))).not.toBeNull();
    expect(counts.calls).toBe(2);
  });

  it("keeps null answers (not this provider's key) without asking again", async () => {
    const { provider, counts } = countingProvider("age");
    const resolved = (await cacheUnwraps(providersByType([provider]), { concurrency: 2 }).resolve("age"))!;
    expect(await resolved.unwrap(stanza("age", "none"))).toBeNull();
    expect(await resolved.unwrap(stanza("age", "none"))).toBeNull();
    expect(counts.calls).toBe(1);
  });

  it("keeps at most `concurrency` unwrap calls in flight across types", async () => {
    const kms = countingProvider("kms");
    const vault = countingProvider("hc_vault");
    let inFlight = 0;
    let maxInFlight = 0;
    const track = (provider: KeyProvider): KeyProvider => ({
      ...provider,
      async unwrap(s) {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        try {
          return await provider.unwrap(s);
        } finally {
          inFlight--;
        }
      },
    });
    const cache = cacheUnwraps(providersByType([track(kms.provider), track(vault.provider)]), { concurrency: 3 });
    const work = Array.from({ length: 40 }, async (_, i) => {
      const type = i % 2 === 0 ? "kms" : "hc_vault";
      return (await cache.resolve(type))!.unwrap(stanza(type, `blob-${i}`));
    });
    const keys = await Promise.all(work);
    expect(keys.every((key) => key !== null)).toBe(true);
    expect(kms.counts.calls + vault.counts.calls).toBe(40);
    expect(maxInFlight).toBe(3);
  });

  it("applies a stricter limit per type (pgp: 1)", async () => {
    const pgp = countingProvider("pgp");
    const cache = cacheUnwraps(providersByType([pgp.provider]), { concurrency: 8, concurrencyByType: { pgp: 1 } });
    const resolved = (await cache.resolve("pgp"))!;
    await Promise.all(Array.from({ length: 6 }, (_, i) => resolved.unwrap(stanza("pgp", `b${i}`))));
    expect(pgp.counts.calls).toBe(6);
    expect(pgp.counts.maxInFlight).toBe(1);
  });

  it("returns the same wrapped provider for a type and undefined for unknown types", async () => {
    const { provider } = countingProvider("age");
    const cache = cacheUnwraps(providersByType([provider]), { concurrency: 1 });
    expect(await cache.resolve("age")).toBe(await cache.resolve("age"));
    expect(await cache.resolve("azure_kv")).toBeUndefined();
  });
});

describe("createLimiter", () => {
  it("runs every task, never more than the limit at once, and frees slots after failures", async () => {
    const limit = createLimiter(2);
    let active = 0;
    let most = 0;
    const results = await Promise.allSettled(
      Array.from({ length: 9 }, (_, i) =>
        limit(async () => {
          active++;
          most = Math.max(most, active);
          await new Promise((resolve) => setTimeout(resolve, 1));
          active--;
          if (i % 3 === 0) throw new Error("boom");
          return i;
        }),
      ),
    );
    expect(most).toBe(2);
    expect(results.filter((r) => r.status === "fulfilled").map((r) => (r as PromiseFulfilledResult<number>).value)).toEqual([1, 2, 4, 5, 7, 8]);
  });

  it("rejects a limit below 1", () => {
    expect(() => createLimiter(0)).toThrow(RangeError);
  });
});
