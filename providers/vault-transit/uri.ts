/**
 * The Vault transit key address as sops spells it (spec §6.6): a URI
 * `https://vault.example.org:8200/v1/<engine_path…>/keys/<key_name>` split into the three stanza
 * fields, and back again for messages.
 */
import { CofferError } from "../../src/errors.js";

/** One Vault transit key: where the server is, which transit mount, which key. */
export interface VaultTransitKey {
  /** Scheme, host and port only (no path), e.g. `https://vault.example.org:8200`. */
  vaultAddress: string;
  /** Every path segment between `v1` and `keys`; may contain `/` (nested mounts). */
  enginePath: string;
  keyName: string;
}

/**
 * Splits a `--hc-vault-transit` / `hc_vault_transit_uri` value. Like sops, rejects a URI with a
 * prefix before `/v1/` (the address would be ambiguous) and one without `keys/<name>`.
 */
export function parseVaultTransitUri(uri: string): VaultTransitKey {
  let url: URL;
  try {
    url = new URL(uri);
  } catch (cause) {
    throw invalidUri(uri, "not a url", cause);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw invalidUri(uri, "the scheme must be http or https");
  const segments = url.pathname.split("/").filter((segment) => segment !== "");
  if (segments[0] !== "v1") throw invalidUri(uri, "the path must start with /v1/");
  const keysAt = segments.lastIndexOf("keys");
  if (keysAt < 2 || keysAt !== segments.length - 2) throw invalidUri(uri, "the path must be /v1/<engine_path>/keys/<key_name>");
  return {
    vaultAddress: url.origin,
    enginePath: segments.slice(1, keysAt).join("/"),
    keyName: segments[keysAt + 1] ?? "",
  };
}

/** The sops URI of a key, used in messages so users can paste it back into a config. */
export function vaultTransitKeyUrl(key: VaultTransitKey): string {
  return `${key.vaultAddress}/v1/${key.enginePath}/keys/${key.keyName}`;
}

function invalidUri(uri: string, why: string, cause?: unknown): CofferError {
  return new CofferError("KEY_INVALID", `invalid vault transit uri ${JSON.stringify(uri)}: ${why}`, {
    hint: "use https://<host>:<port>/v1/<engine_path>/keys/<key_name>",
    cause,
  });
}
