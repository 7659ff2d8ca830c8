import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TreeMap } from "../../../../src/core/tree.js";
import type { KeyStanza } from "../../../../src/provider.js";
import type { VaultTransitProviderOptions } from "../../../../providers/vault-transit/index.js";
import { createVaultTransitProvider, vaultTransitKeyStanza } from "../../../../providers/vault-transit/index.js";
import type { VaultFake } from "../../../fakes/vault/server.js";
import { startVaultFake } from "../../../fakes/vault/server.js";
import { rejectionCode, rejectionOf } from "./helpers.js";

let fake: VaultFake;
let wrapped: KeyStanza;
const dataKey = randomBytes(32);
const fastRetry = { attempts: 3, baseDelayMs: 5, maxDelayMs: 20 };

function provider(options: VaultTransitProviderOptions = {}) {
  return createVaultTransitProvider({ token: fake.rootToken, timeoutMs: 2_000, retry: fastRetry, ...options });
}

function withEnc(enc: string): KeyStanza {
  const fields = new TreeMap(wrapped.fields.items.map((item) => ({ ...item })));
  fields.set("enc", enc);
  return { type: "hc_vault", fields };
}

/** Transit calls (not health checks) the fake received since `before`. */
function transitCallsSince(before: number): number {
  return fake.calls.slice(before).filter((call) => call.path !== "/v1/sys/health").length;
}

beforeAll(async () => {
  fake = await startVaultFake();
  fake.createKey("transit", "app");
  wrapped = await provider().wrap(dataKey, vaultTransitKeyStanza({ vaultAddress: fake.url, enginePath: "transit", keyName: "app" }));
});
afterAll(async () => fake.close());

describe("vault transit failures map to codes", () => {
  it("a wrong token is PROVIDER_DENIED with a hint, without retrying", async () => {
    const before = fake.calls.length;
    const error = await rejectionOf(provider({ token: "hvs.wrong" }).unwrap(wrapped));
    expect(error.code).toBe("PROVIDER_DENIED");
    expect(error.hint).toBeTruthy();
    expect(transitCallsSince(before)).toBe(1);
  });

  it("no token at all is PROVIDER_DENIED and sends no token header", async () => {
    const before = fake.calls.length;
    expect(await rejectionCode(provider({ token: undefined }).unwrap(wrapped))).toBe("PROVIDER_DENIED");
    expect(fake.calls[before]?.token).toBeUndefined();
  });

  it("an unknown key or mount is PROVIDER_DENIED", async () => {
    const unknownKey = vaultTransitKeyStanza({ vaultAddress: fake.url, enginePath: "transit", keyName: "nope" });
    const unknownMount = vaultTransitKeyStanza({ vaultAddress: fake.url, enginePath: "not-a-mount", keyName: "app" });
    expect(await rejectionCode(provider().wrap(dataKey, unknownKey))).toBe("PROVIDER_DENIED");
    expect(await rejectionCode(provider().wrap(dataKey, unknownMount))).toBe("PROVIDER_DENIED");
    const stored = new TreeMap(wrapped.fields.items.map((item) => ({ ...item })));
    stored.set("key_name", "nope");
    expect(await rejectionCode(provider().unwrap({ type: "hc_vault", fields: stored }))).toBe("PROVIDER_DENIED");
  });

  it.each([
    ["no prefix", "v1:AAAA"],
    ["bad base64", "vault:v1:!!!!"],
    ["unknown version", `vault:v9:${"A".repeat(64)}`],
    ["too short", "vault:v1:AAAA"],
  ])("an invalid ciphertext (%s) is CIPHERTEXT_INVALID and never echoed", async (_label, enc) => {
    const error = await rejectionOf(provider().unwrap(withEnc(enc)));
    expect(error.code).toBe("CIPHERTEXT_INVALID");
    expect(`${error.message} ${error.hint ?? ""}`).not.toContain(enc);
  });

  it("retries throttling and then succeeds", async () => {
    fake.inject({ kind: "throttle", times: 2 });
    const before = fake.calls.length;
    expect(Buffer.from((await provider().unwrap(wrapped)) ?? []).equals(dataKey)).toBe(true);
    expect(transitCallsSince(before)).toBe(3);
  });

  it("retries a 500 and a reset connection, then succeeds", async () => {
    fake.inject({ kind: "error500" });
    fake.inject({ kind: "reset" });
    const before = fake.calls.length;
    expect(Buffer.from((await provider().unwrap(wrapped)) ?? []).equals(dataKey)).toBe(true);
    expect(transitCallsSince(before)).toBe(3);
  });

  it("persistent throttling is PROVIDER_UNAVAILABLE after the bounded attempts", async () => {
    fake.inject({ kind: "throttle", times: 10 });
    const before = fake.calls.length;
    try {
      expect(await rejectionCode(provider().unwrap(wrapped))).toBe("PROVIDER_UNAVAILABLE");
      expect(transitCallsSince(before)).toBe(fastRetry.attempts);
    } finally {
      fake.clearFaults();
    }
  });

  it("persistent resets are PROVIDER_UNAVAILABLE", async () => {
    fake.inject({ kind: "reset", times: 3 });
    expect(await rejectionCode(provider().unwrap(wrapped))).toBe("PROVIDER_UNAVAILABLE");
  });

  it("a sealed vault is PROVIDER_UNAVAILABLE with a hint, without retrying", async () => {
    fake.inject({ kind: "sealed" });
    const before = fake.calls.length;
    const error = await rejectionOf(provider().unwrap(wrapped));
    expect(error.code).toBe("PROVIDER_UNAVAILABLE");
    expect(error.hint).toBeTruthy();
    expect(transitCallsSince(before)).toBe(1);
  });

  it("a response slower than the timeout fails as PROVIDER_UNAVAILABLE instead of hanging", async () => {
    fake.inject({ kind: "delay", delayMs: 20_000 });
    const started = Date.now();
    expect(await rejectionCode(provider({ timeoutMs: 200 }).unwrap(wrapped))).toBe("PROVIDER_UNAVAILABLE");
    // Generous bound: the point is that it does not wait for the 20 s delay.
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it("a refused connection is PROVIDER_UNAVAILABLE", async () => {
    const closed = await startVaultFake();
    const address = closed.url;
    await closed.close();
    const key = vaultTransitKeyStanza({ vaultAddress: address, enginePath: "transit", keyName: "app" });
    expect(await rejectionCode(provider().wrap(dataKey, key))).toBe("PROVIDER_UNAVAILABLE");
  });
});

describe("SOPS_HC_VAULT_ALLOWLIST", () => {
  it("none refuses every address before any request", async () => {
    const before = fake.calls.length;
    const error = await rejectionOf(provider({ allowlist: "none" }).unwrap(wrapped));
    expect(error.code).toBe("PROVIDER_DENIED");
    expect(error.hint).toMatch(/SOPS_HC_VAULT_ALLOWLIST/);
    expect(fake.calls.length).toBe(before);
  });

  it("a list of prefixes allows matching addresses only", async () => {
    expect(await rejectionCode(provider({ allowlist: "https://vault.example.org,http://10.0.0.1" }).unwrap(wrapped))).toBe("PROVIDER_DENIED");
    const allowed = await provider({ allowlist: `https://vault.example.org, ${fake.url}/` }).unwrap(wrapped);
    expect(Buffer.from(allowed ?? []).equals(dataKey)).toBe(true);
  });

  it("all (and unset) allow every address", async () => {
    expect(Buffer.from((await provider({ allowlist: "all" }).unwrap(wrapped)) ?? []).equals(dataKey)).toBe(true);
    expect(Buffer.from((await provider({ allowlist: undefined }).unwrap(wrapped)) ?? []).equals(dataKey)).toBe(true);
  });
});
