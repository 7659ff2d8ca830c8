/**
 * The GCP KMS provider against the wire fake, over gRPC and REST: the §6.4 stanza layout, every
 * fault mapped to its code, retries, timeouts and the credentials sent.
 */
import { randomBytes } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { TreeMap } from "../../../../src/core/tree.js";
import { isCofferError } from "../../../../src/errors.js";
import type { KeyStanza } from "../../../../src/provider.js";
import { createGcpKmsProvider, type GcpKmsProviderOptions } from "../../../../providers/gcp-kms/index.js";
import { FAKE_KEY, gcpKmsOptionsForFake, startGcpKmsFake, type GcpKmsFake } from "../../../fakes/gcp-kms/index.js";

const DENIED_KEY = "projects/coffer-test/locations/global/keyRings/ring/cryptoKeys/denied";
const MISSING_KEY = "projects/coffer-test/locations/global/keyRings/ring/cryptoKeys/missing";
const CLOCK = new Date("2026-11-23T12:00:00.789Z");

let fake: GcpKmsFake;
beforeAll(async () => {
  fake = await startGcpKmsFake({ keys: [FAKE_KEY, DENIED_KEY] });
  fake.deny(DENIED_KEY);
});
afterEach(() => {
  fake.clearFaults();
});
afterAll(async () => {
  await fake.close();
});

function template(resourceId = FAKE_KEY): KeyStanza {
  return { type: "gcp_kms", fields: TreeMap.from({ resource_id: resourceId }) };
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  return promise.then(
    () => "NO_ERROR",
    (error: unknown) => (isCofferError(error) ? error.code : `NOT_A_COFFER_ERROR: ${String(error)}`),
  );
}

for (const transport of ["grpc", "rest"] as const) {
  describe(`gcp kms provider over ${transport}`, () => {
    const provider = (extra: Partial<GcpKmsProviderOptions> = {}) =>
      createGcpKmsProvider({
        ...gcpKmsOptionsForFake(fake, transport),
        now: () => CLOCK,
        retry: { attempts: 3, sleep: async () => undefined },
        ...extra,
      });
    const callsSince = (start: number) => fake.calls.slice(start);

    it("writes resource_id, created_at, enc in that order, enc being the service's ciphertext in standard base64", async () => {
      const start = fake.calls.length;
      const dataKey = randomBytes(32);
      const wrapped = await provider().wrap(dataKey, template());
      expect(wrapped.type).toBe("gcp_kms");
      expect(wrapped.fields.entries().map((entry) => entry.key)).toEqual(["resource_id", "created_at", "enc"]);
      expect(wrapped.fields.get("created_at")).toBe("2026-11-23T12:00:00Z");
      const enc = String(wrapped.fields.get("enc"));
      expect(Buffer.from(enc, "base64").toString("base64")).toBe(enc);
      // The fake's blob: version byte + 12-byte nonce + ciphertext of the raw key + 16-byte tag.
      expect(Buffer.from(enc, "base64").length).toBe(1 + 12 + 32 + 16);
      const [call] = callsSince(start);
      expect(call).toMatchObject({ method: "encrypt", transport, name: FAKE_KEY, authorization: `Bearer ${fake.token}`, outcome: "ok" });
      expect(Buffer.from((await provider().unwrap(wrapped)) ?? []).equals(dataKey)).toBe(true);
    });

    it("keeps extra template fields and does not mutate the template", async () => {
      const key: KeyStanza = { type: "gcp_kms", fields: TreeMap.from({ resource_id: FAKE_KEY, note: "kept" }) };
      const wrapped = await provider().wrap(randomBytes(32), key);
      expect(wrapped.fields.get("note")).toBe("kept");
      expect(key.fields.has("enc")).toBe(false);
    });

    it("returns null for other stanza types without calling the service", async () => {
      const start = fake.calls.length;
      expect(await provider().unwrap({ type: "kms", fields: TreeMap.from({ arn: "x", enc: "AAAA" }) })).toBeNull();
      expect(callsSince(start)).toHaveLength(0);
    });

    it("maps a tampered ciphertext to CIPHERTEXT_INVALID", async () => {
      const wrapped = await provider().wrap(randomBytes(32), template());
      const blob = Buffer.from(String(wrapped.fields.get("enc")), "base64");
      blob[5] = (blob[5] ?? 0) ^ 0xff;
      wrapped.fields.set("enc", blob.toString("base64"));
      expect(await codeOf(provider().unwrap(wrapped))).toBe("CIPHERTEXT_INVALID");
    });

    it("rejects enc that is not base64 before calling the service", async () => {
      const start = fake.calls.length;
      const stanza: KeyStanza = { type: "gcp_kms", fields: TreeMap.from({ resource_id: FAKE_KEY, created_at: "x", enc: "not base64!" }) };
      expect(await codeOf(provider().unwrap(stanza))).toBe("CIPHERTEXT_INVALID");
      expect(callsSince(start)).toHaveLength(0);
    });

    it("maps a malformed resource id to KEY_INVALID (wrap) and METADATA_INVALID (unwrap)", async () => {
      expect(await codeOf(provider().wrap(randomBytes(32), template("projects/p/keyRings/r")))).toBe("KEY_INVALID");
      expect(await codeOf(provider().unwrap({ type: "gcp_kms", fields: TreeMap.from({ enc: "AAAA" }) }))).toBe("METADATA_INVALID");
    });

    it("maps a wrong token, a missing key and a denied key to PROVIDER_DENIED without retrying", async () => {
      const start = fake.calls.length;
      expect(await codeOf(provider({ accessToken: "wrong-token" }).wrap(randomBytes(32), template()))).toBe("PROVIDER_DENIED");
      expect(await codeOf(provider().wrap(randomBytes(32), template(MISSING_KEY)))).toBe("PROVIDER_DENIED");
      expect(await codeOf(provider().wrap(randomBytes(32), template(DENIED_KEY)))).toBe("PROVIDER_DENIED");
      expect(callsSince(start).map((call) => call.outcome)).toEqual(["UNAUTHENTICATED", "NOT_FOUND", "PERMISSION_DENIED"]);
    });

    it("names the key and gives a credentials hint when the token is refused", async () => {
      const error = await provider({ accessToken: "wrong-token" })
        .wrap(randomBytes(32), template())
        .catch((e: unknown) => e);
      expect(isCofferError(error, "PROVIDER_DENIED")).toBe(true);
      expect((error as Error).message).toContain(FAKE_KEY);
      expect((error as { hint?: string }).hint).toContain("GOOGLE_OAUTH_ACCESS_TOKEN");
    });

    for (const kind of ["unavailable", "resource_exhausted", "reset"] as const) {
      it(`retries ${kind} and then succeeds`, async () => {
        const dataKey = randomBytes(32);
        const wrapped = await provider().wrap(dataKey, template());
        const start = fake.calls.length;
        fake.inject({ kind, times: 2 });
        expect(Buffer.from((await provider().unwrap(wrapped)) ?? []).equals(dataKey)).toBe(true);
        expect(callsSince(start).map((call) => call.outcome)).toEqual([kind, kind, "ok"]);
      });

      it(`gives PROVIDER_UNAVAILABLE after bounded attempts of ${kind}`, async () => {
        const start = fake.calls.length;
        fake.inject({ kind, times: 5 });
        expect(await codeOf(provider().wrap(randomBytes(32), template()))).toBe("PROVIDER_UNAVAILABLE");
        expect(callsSince(start)).toHaveLength(3);
      });
    }

    it("maps INTERNAL to PROVIDER_FAILED without retrying", async () => {
      const start = fake.calls.length;
      fake.inject({ kind: "internal" });
      expect(await codeOf(provider().wrap(randomBytes(32), template()))).toBe("PROVIDER_FAILED");
      expect(callsSince(start)).toHaveLength(1);
    });

    it("does not hang on a slow service: times out, retries, then reports PROVIDER_UNAVAILABLE", async () => {
      const start = fake.calls.length;
      fake.inject({ kind: "delay", delayMs: 20_000, times: 2 });
      const abandonedBefore = fake.abandoned();
      const began = Date.now();
      const code = await codeOf(provider({ timeoutMs: 200, retry: { attempts: 2, sleep: async () => undefined } }).wrap(randomBytes(32), template()));
      expect(code).toBe("PROVIDER_UNAVAILABLE");
      expect(callsSince(start).map((call) => call.outcome)).toEqual(["delay", "delay"]);
      // Far below the 20 s the fake would take: only proves the call did not wait for it.
      expect(Date.now() - began).toBeLessThan(15_000);
      // Timed-out calls are cancelled, not left holding a socket that keeps the CLI alive.
      await vi.waitFor(() => expect(fake.abandoned() - abandonedBefore).toBe(2), { timeout: 5_000, interval: 20 });
    });

    it("recovers from one slow answer by retrying", async () => {
      const dataKey = randomBytes(33);
      fake.inject({ kind: "delay", delayMs: 20_000, method: "encrypt" });
      const wrapped = await provider({ timeoutMs: 300 }).wrap(dataKey, template());
      expect(Buffer.from((await provider().unwrap(wrapped)) ?? []).equals(dataKey)).toBe(true);
    });

    it("reports an unreachable endpoint as PROVIDER_UNAVAILABLE", async () => {
      const code = await codeOf(
        createGcpKmsProvider({
          transport,
          endpoint: "http://127.0.0.1:9",
          accessToken: fake.token,
          timeoutMs: 2_000,
          retry: { attempts: 2, sleep: async () => undefined },
        }).wrap(randomBytes(32), template()),
      );
      expect(code).toBe("PROVIDER_UNAVAILABLE");
    });
  });
}
