import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { KeyStanza } from "../../../../src/provider.js";
import { loadVaultTransitProvider } from "../../../../providers/vault-transit/load.js";
import { createVaultTransitProvider, vaultTransitKeyStanza } from "../../../../providers/vault-transit/index.js";
import type { ProviderContext } from "../../../../providers/registry.js";
import type { VaultFake } from "../../../fakes/vault/server.js";
import { startVaultFake } from "../../../fakes/vault/server.js";
import { rejectionCode } from "./helpers.js";

let fake: VaultFake;
let home: string;
let emptyHome: string;
let wrapped: KeyStanza;
const dataKey = randomBytes(32);

function context(env: Record<string, string | undefined>, homeDir = emptyHome): ProviderContext {
  return { env, homeDir, platform: process.platform };
}

beforeAll(async () => {
  fake = await startVaultFake();
  fake.createKey("transit", "app");
  fake.createKey("transit", "ns-key", "team-a");
  home = await mkdtemp(join(tmpdir(), "coffer-vault-home-"));
  emptyHome = await mkdtemp(join(tmpdir(), "coffer-vault-empty-"));
  await writeFile(join(home, ".vault-token"), `  ${fake.rootToken}\n`);
  wrapped = await createVaultTransitProvider({ token: fake.rootToken }).wrap(dataKey, vaultTransitKeyStanza({ vaultAddress: fake.url, enginePath: "transit", keyName: "app" }));
});
afterAll(async () => {
  await fake.close();
  await rm(home, { recursive: true, force: true });
  await rm(emptyHome, { recursive: true, force: true });
});

describe("loadVaultTransitProvider reads the context env", () => {
  it("uses VAULT_TOKEN", async () => {
    const provider = await loadVaultTransitProvider(context({ VAULT_TOKEN: fake.rootToken }));
    expect(provider.type).toBe("hc_vault");
    expect(Buffer.from((await provider.unwrap(wrapped)) ?? []).equals(dataKey)).toBe(true);
    expect(fake.calls.at(-1)?.token).toBe(fake.rootToken);
  });

  it("falls back to ~/.vault-token (trimmed) under the context homeDir", async () => {
    const provider = await loadVaultTransitProvider(context({}, home));
    expect(Buffer.from((await provider.unwrap(wrapped)) ?? []).equals(dataKey)).toBe(true);
    expect(fake.calls.at(-1)?.token).toBe(fake.rootToken);
  });

  it("prefers VAULT_TOKEN over ~/.vault-token", async () => {
    const provider = await loadVaultTransitProvider(context({ VAULT_TOKEN: "hvs.env-wins" }, home));
    expect(await rejectionCode(provider.unwrap(wrapped))).toBe("PROVIDER_DENIED");
    expect(fake.calls.at(-1)?.token).toBe("hvs.env-wins");
  });

  it("never reads process.env: a token only there is not used", async () => {
    const saved = process.env["VAULT_TOKEN"];
    process.env["VAULT_TOKEN"] = fake.rootToken;
    try {
      const provider = await loadVaultTransitProvider(context({}));
      expect(await rejectionCode(provider.unwrap(wrapped))).toBe("PROVIDER_DENIED");
      expect(fake.calls.at(-1)?.token).toBeUndefined();
    } finally {
      if (saved === undefined) delete process.env["VAULT_TOKEN"];
      else process.env["VAULT_TOKEN"] = saved;
    }
  });

  it("sends VAULT_NAMESPACE as X-Vault-Namespace", async () => {
    const provider = await loadVaultTransitProvider(context({ VAULT_TOKEN: fake.rootToken, VAULT_NAMESPACE: "team-a" }));
    const key = vaultTransitKeyStanza({ vaultAddress: fake.url, enginePath: "transit", keyName: "ns-key" });
    const share = randomBytes(33);
    const inNamespace = await provider.wrap(share, key);
    expect(fake.calls.at(-1)?.namespace).toBe("team-a");
    expect(Buffer.from((await provider.unwrap(inNamespace)) ?? []).equals(share)).toBe(true);
  });

  it("honours SOPS_HC_VAULT_ALLOWLIST and ignores VAULT_ADDR for the request", async () => {
    const denied = await loadVaultTransitProvider(context({ VAULT_TOKEN: fake.rootToken, SOPS_HC_VAULT_ALLOWLIST: "none" }));
    expect(await rejectionCode(denied.unwrap(wrapped))).toBe("PROVIDER_DENIED");
    const elsewhere = await loadVaultTransitProvider(context({ VAULT_TOKEN: fake.rootToken, VAULT_ADDR: "http://127.0.0.1:9" }));
    expect(Buffer.from((await elsewhere.unwrap(wrapped)) ?? []).equals(dataKey)).toBe(true);
  });

  it("warns about an unreadable VAULT_CACERT instead of failing", async () => {
    const warnings: string[] = [];
    const provider = await loadVaultTransitProvider({ ...context({ VAULT_TOKEN: fake.rootToken, VAULT_CACERT: join(emptyHome, "missing.pem") }), warn: (m) => warnings.push(m) });
    expect(warnings.length).toBe(1);
    expect(Buffer.from((await provider.unwrap(wrapped)) ?? []).equals(dataKey)).toBe(true);
  });
});
