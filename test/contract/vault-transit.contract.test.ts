import { afterAll, beforeAll, describe } from "vitest";
import { TreeMap } from "../../src/core/tree.js";
import type { KeyStanza } from "../../src/provider.js";
import { createVaultTransitProvider, parseVaultTransitUri, vaultTransitKeyStanza } from "../../providers/vault-transit/index.js";
import type { VaultFake } from "../fakes/vault/server.js";
import { startVaultFake } from "../fakes/vault/server.js";
import { describeProviderContract } from "./provider-contract.js";

/** Flips one character of the base64 payload so Vault's GCM check fails. */
function tamper(wrapped: KeyStanza): KeyStanza {
  const fields = new TreeMap(wrapped.fields.items.map((item) => ({ ...item })));
  const enc = String(fields.get("enc"));
  const at = enc.length - 6;
  fields.set("enc", enc.slice(0, at) + (enc[at] === "A" ? "B" : "A") + enc.slice(at + 1));
  return { type: wrapped.type, fields };
}

describe("vault transit against the wire-level fake", () => {
  let fake: VaultFake;
  beforeAll(async () => {
    fake = await startVaultFake();
    fake.createKey("sops/team", "contract");
  });
  afterAll(async () => fake.close());

  describeProviderContract("vault-transit (fake)", async () => ({
    provider: createVaultTransitProvider({ token: fake.rootToken, timeoutMs: 2_000 }),
    key: vaultTransitKeyStanza({ vaultAddress: fake.url, enginePath: "sops/team", keyName: "contract" }),
    tamper,
  }));
});

// Integration mode: the same suite against a real Vault or OpenBao (see providers/vault-transit/README.md).
const realUri = process.env["COFFER_IT_VAULT_TRANSIT_URI"];
const realToken = process.env["COFFER_IT_VAULT_TOKEN"];
if (realUri !== undefined && realUri !== "" && realToken !== undefined && realToken !== "") {
  describeProviderContract("vault-transit (real vault)", async () => ({
    provider: createVaultTransitProvider({ token: realToken, namespace: process.env["COFFER_IT_VAULT_NAMESPACE"] }),
    key: vaultTransitKeyStanza(parseVaultTransitUri(realUri)),
    tamper,
  }));
} else {
  console.log("vault-transit integration skipped: set COFFER_IT_VAULT_TRANSIT_URI and COFFER_IT_VAULT_TOKEN to run it");
  describe.skip("KeyProvider contract: vault-transit (real vault)", () => {});
}
