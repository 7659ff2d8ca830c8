import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TreeMap } from "../../../../src/core/tree.js";
import { createVaultTransitProvider, vaultTransitKeyStanza } from "../../../../providers/vault-transit/index.js";
import type { VaultFake } from "../../../fakes/vault/server.js";
import { startVaultFake } from "../../../fakes/vault/server.js";
import { rejectionCode } from "./helpers.js";

let fake: VaultFake;
beforeAll(async () => {
  fake = await startVaultFake();
  fake.createKey("transit", "app");
  fake.createKey("sops/nested/mount", "deep");
  fake.createKey("transit", "team-key", "team-a");
});
afterAll(async () => fake.close());

const fixedClock = () => new Date("2026-11-23T12:00:00.789Z");

describe("vault transit provider against the fake", () => {
  it("writes the exact §6.6 stanza: template fields, then created_at and enc", async () => {
    const provider = createVaultTransitProvider({ token: fake.rootToken, now: fixedClock });
    const wrapped = await provider.wrap(randomBytes(32), vaultTransitKeyStanza({ vaultAddress: fake.url, enginePath: "transit", keyName: "app" }));
    expect(wrapped.type).toBe("hc_vault");
    expect(wrapped.fields.entries().map((entry) => entry.key)).toEqual(["vault_address", "engine_path", "key_name", "created_at", "enc"]);
    expect(wrapped.fields.get("vault_address")).toBe(fake.url);
    expect(wrapped.fields.get("engine_path")).toBe("transit");
    expect(wrapped.fields.get("key_name")).toBe("app");
    expect(wrapped.fields.get("created_at")).toBe("2026-11-23T12:00:00Z");
    expect(String(wrapped.fields.get("enc"))).toMatch(/^vault:v1:[A-Za-z0-9+/]+={0,2}$/);
  });

  it("keeps unknown template fields and replaces a stale created_at/enc", async () => {
    const provider = createVaultTransitProvider({ token: fake.rootToken, now: fixedClock });
    const template = {
      type: "hc_vault",
      fields: TreeMap.from({ vault_address: fake.url, engine_path: "transit", key_name: "app", future_field: "kept", enc: "old", created_at: "old" }),
    };
    const wrapped = await provider.wrap(randomBytes(32), template);
    expect(wrapped.fields.entries().map((entry) => entry.key)).toEqual(["vault_address", "engine_path", "key_name", "future_field", "created_at", "enc"]);
    expect(wrapped.fields.get("future_field")).toBe("kept");
    expect(wrapped.fields.get("enc")).not.toBe("old");
    expect(template.fields.get("enc")).toBe("old");
  });

  it("sends the transit requests sops sends: token header and base64 bodies", async () => {
    const provider = createVaultTransitProvider({ token: fake.rootToken });
    const dataKey = randomBytes(32);
    const before = fake.calls.length;
    const wrapped = await provider.wrap(dataKey, vaultTransitKeyStanza({ vaultAddress: fake.url, enginePath: "transit", keyName: "app" }));
    const unwrapped = await provider.unwrap(wrapped);
    const [encrypt, decrypt] = fake.calls.slice(before);
    expect(encrypt?.path).toBe("/v1/transit/encrypt/app");
    expect(["POST", "PUT"]).toContain(encrypt?.method);
    expect(encrypt?.token).toBe(fake.rootToken);
    expect(encrypt?.body).toEqual({ plaintext: dataKey.toString("base64") });
    expect(decrypt?.path).toBe("/v1/transit/decrypt/app");
    expect(decrypt?.body).toEqual({ ciphertext: wrapped.fields.get("enc") });
    expect(Buffer.from(unwrapped ?? []).equals(dataKey)).toBe(true);
  });

  it("round-trips through a mount path with slashes", async () => {
    const provider = createVaultTransitProvider({ token: fake.rootToken });
    const share = randomBytes(33);
    const wrapped = await provider.wrap(share, vaultTransitKeyStanza({ vaultAddress: fake.url, enginePath: "sops/nested/mount", keyName: "deep" }));
    expect(fake.calls.at(-1)?.path).toBe("/v1/sops/nested/mount/encrypt/deep");
    expect(Buffer.from((await provider.unwrap(wrapped)) ?? []).equals(share)).toBe(true);
  });

  it("sends X-Vault-Namespace and finds keys only in that namespace", async () => {
    const key = vaultTransitKeyStanza({ vaultAddress: fake.url, enginePath: "transit", keyName: "team-key" });
    const inNamespace = createVaultTransitProvider({ token: fake.rootToken, namespace: "team-a" });
    const dataKey = randomBytes(32);
    const wrapped = await inNamespace.wrap(dataKey, key);
    expect(fake.calls.at(-1)?.namespace).toBe("team-a");
    expect(Buffer.from((await inNamespace.unwrap(wrapped)) ?? []).equals(dataKey)).toBe(true);
    const rootNamespace = createVaultTransitProvider({ token: fake.rootToken });
    expect(await rejectionCode(rootNamespace.unwrap(wrapped))).toBe("PROVIDER_DENIED");
  });

  it("decrypts old ciphertexts after the key is rotated", async () => {
    fake.createKey("transit", "rotating");
    const provider = createVaultTransitProvider({ token: fake.rootToken });
    const key = vaultTransitKeyStanza({ vaultAddress: fake.url, enginePath: "transit", keyName: "rotating" });
    const first = randomBytes(32);
    const v1 = await provider.wrap(first, key);
    expect(fake.rotateKey("transit", "rotating")).toBe(2);
    const second = randomBytes(32);
    const v2 = await provider.wrap(second, key);
    expect(String(v2.fields.get("enc"))).toMatch(/^vault:v2:/);
    expect(Buffer.from((await provider.unwrap(v1)) ?? []).equals(first)).toBe(true);
    expect(Buffer.from((await provider.unwrap(v2)) ?? []).equals(second)).toBe(true);
  });

  it("returns null for other stanza types without calling Vault", async () => {
    const provider = createVaultTransitProvider({ token: fake.rootToken });
    const before = fake.calls.length;
    expect(await provider.unwrap({ type: "kms", fields: TreeMap.from({ arn: "x", enc: "y" }) })).toBeNull();
    expect(fake.calls.length).toBe(before);
  });

  it("rejects malformed stanzas with metadata and key codes", async () => {
    const provider = createVaultTransitProvider({ token: fake.rootToken });
    expect(await rejectionCode(provider.unwrap({ type: "hc_vault", fields: TreeMap.from({ vault_address: fake.url, engine_path: "transit", enc: "vault:v1:AAAA" }) }))).toBe("METADATA_INVALID");
    expect(await rejectionCode(provider.unwrap({ type: "hc_vault", fields: TreeMap.from({ vault_address: fake.url, engine_path: "transit", key_name: "app" }) }))).toBe("METADATA_INVALID");
    expect(await rejectionCode(provider.unwrap({ type: "hc_vault", fields: TreeMap.from({ vault_address: "ftp://x", engine_path: "transit", key_name: "app", enc: "vault:v1:AAAA" }) }))).toBe("METADATA_INVALID");
    expect(await rejectionCode(provider.wrap(randomBytes(32), { type: "hc_vault", fields: TreeMap.from({ vault_address: fake.url }) }))).toBe("KEY_INVALID");
  });
});
