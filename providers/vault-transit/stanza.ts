/**
 * The `hc_vault` stanza (spec §6.6): `{vault_address, engine_path, key_name, created_at, enc}`.
 * Reading checks the fields a call needs; writing keeps every template field in order and sets
 * `created_at` and `enc` after them, as sops emits them.
 */
import { CofferError } from "../../src/errors.js";
import { TreeMap } from "../../src/core/tree.js";
import type { KeyStanza } from "../../src/provider.js";
import type { VaultTransitKey } from "./uri.js";
import { vaultTransitKeyUrl } from "./uri.js";

/** The metadata key of Vault transit stanzas. */
export const VAULT_TRANSIT_STANZA_TYPE = "hc_vault";

/** A stanza template (no `enc`) for a key, e.g. from a `--hc-vault-transit` URI. */
export function vaultTransitKeyStanza(key: VaultTransitKey): KeyStanza {
  return {
    type: VAULT_TRANSIT_STANZA_TYPE,
    fields: TreeMap.from({ vault_address: key.vaultAddress, engine_path: key.enginePath, key_name: key.keyName }),
  };
}

/** The key a stanza names; `code` is KEY_INVALID for a template, METADATA_INVALID for a stored stanza. */
export function readVaultTransitKey(stanza: KeyStanza, code: "KEY_INVALID" | "METADATA_INVALID"): VaultTransitKey {
  const field = (name: string): string => {
    const value = stanza.fields.get(name);
    if (typeof value !== "string" || value.trim() === "") {
      throw new CofferError(code, `hc_vault key is missing ${name}`, {
        hint: "an hc_vault entry needs vault_address, engine_path and key_name",
      });
    }
    return value.trim();
  };
  const vaultAddress = field("vault_address").replace(/\/+$/, "");
  if (!/^https?:\/\//i.test(vaultAddress)) {
    throw new CofferError(code, `hc_vault vault_address ${JSON.stringify(vaultAddress)} is not an http(s) url`, {
      hint: "vault_address is scheme, host and port, e.g. https://vault.example.org:8200",
    });
  }
  return { vaultAddress, enginePath: field("engine_path").replace(/^\/+|\/+$/g, ""), keyName: field("key_name") };
}

/** The stored ciphertext (`vault:v1:…`), or a METADATA_INVALID error naming the key. */
export function readVaultTransitEnc(stanza: KeyStanza, key: VaultTransitKey): string {
  const enc = stanza.fields.get("enc");
  if (typeof enc !== "string" || enc === "") {
    throw new CofferError("METADATA_INVALID", `hc_vault entry for ${vaultTransitKeyUrl(key)} has no enc`, {
      hint: "the file's sops metadata was edited; restore it from version control",
    });
  }
  return enc;
}

/** The wrapped stanza: template fields kept, then `created_at` and `enc`. */
export function wrappedVaultTransitStanza(template: KeyStanza, createdAt: string, enc: string): KeyStanza {
  const fields = new TreeMap(template.fields.items.map((item) => ("key" in item ? { ...item } : item)));
  fields.delete("created_at");
  fields.delete("enc");
  fields.set("created_at", createdAt);
  fields.set("enc", enc);
  return { type: VAULT_TRANSIT_STANZA_TYPE, fields };
}

/** RFC 3339 UTC to the second, as sops writes `created_at`. */
export function formatCreatedAt(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}
