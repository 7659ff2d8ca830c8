/**
 * The Vault transit KeyProvider: wraps a data key with `<engine_path>/encrypt/<key_name>` and
 * unwraps it with `…/decrypt/…`, through one node-vault client per `vault_address`. This is the
 * domain adapter: it applies the allowlist, retries what Vault says is transient, and maps the
 * wire client's failures to coded CofferErrors.
 */
import { CofferError } from "../../src/errors.js";
import type { KeyProvider, KeyStanza } from "../../src/provider.js";
import type { VaultAllowlist } from "./allowlist.js";
import { isVaultUrlAllowed, parseVaultAllowlist } from "./allowlist.js";
import { isRetryableVaultFailure, vaultFailureToError } from "./failures.js";
import type { RetryPolicy } from "./retry.js";
import { DEFAULT_RETRY_POLICY, withRetry } from "./retry.js";
import {
  VAULT_TRANSIT_STANZA_TYPE,
  formatCreatedAt,
  readVaultTransitEnc,
  readVaultTransitKey,
  wrappedVaultTransitStanza,
} from "./stanza.js";
import type { VaultTransitKey } from "./uri.js";
import { vaultTransitKeyUrl } from "./uri.js";
import type { TransitOperation, VaultWireClient, VaultWireClientOptions } from "./wire-client.js";
import { VaultWireError, createVaultWireClient } from "./wire-client.js";

export interface VaultTransitProviderOptions {
  /** The Vault token (`X-Vault-Token`); without one, requests go out unauthenticated (Vault Agent proxies). */
  token?: string | undefined;
  /** `X-Vault-Namespace` for every request. */
  namespace?: string | undefined;
  /** Which servers may be contacted: a parsed allowlist or the raw `SOPS_HC_VAULT_ALLOWLIST` value. Default `all`. */
  allowlist?: VaultAllowlist | string | undefined;
  /** Per-call timeout in milliseconds (default 10 000). */
  timeoutMs?: number | undefined;
  /** Retry policy for 429, 5xx and reset connections (default 3 attempts). */
  retry?: Partial<RetryPolicy> | undefined;
  /** PEM CA bundle for https servers (the content of `VAULT_CACERT`). */
  ca?: string | undefined;
  /** Skip TLS verification (`VAULT_SKIP_VERIFY`). */
  skipVerify?: boolean | undefined;
  /** Clock for `created_at` (tests). */
  now?: (() => Date) | undefined;
  /** Builds the wire client for an address (tests may substitute one). */
  createClient?: ((options: VaultWireClientOptions) => VaultWireClient) | undefined;
}

export const DEFAULT_VAULT_TIMEOUT_MS = 10_000;

/** Creates the `hc_vault` provider. Pure: reads no environment and opens no connection until used. */
export function createVaultTransitProvider(options: VaultTransitProviderOptions = {}): KeyProvider {
  const allowlist = typeof options.allowlist === "object" ? options.allowlist : parseVaultAllowlist(options.allowlist);
  const timeoutMs = options.timeoutMs ?? DEFAULT_VAULT_TIMEOUT_MS;
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  const now = options.now ?? (() => new Date());
  const makeClient = options.createClient ?? createVaultWireClient;
  const clients = new Map<string, VaultWireClient>();

  const clientFor = (address: string): VaultWireClient => {
    let client = clients.get(address);
    if (client === undefined) {
      client = makeClient({ address, token: options.token, namespace: options.namespace, timeoutMs, ca: options.ca, skipVerify: options.skipVerify });
      clients.set(address, client);
    }
    return client;
  };

  const call = async (operation: TransitOperation, key: VaultTransitKey, body: Record<string, string>, secrets: string[]) => {
    const keyUrl = vaultTransitKeyUrl(key);
    if (!isVaultUrlAllowed(allowlist, keyUrl)) {
      throw new CofferError("PROVIDER_DENIED", `vault transit key ${keyUrl}: address not allowed by SOPS_HC_VAULT_ALLOWLIST`, {
        hint: "add a prefix of this address to SOPS_HC_VAULT_ALLOWLIST (comma-separated) if you trust it",
        fault: "provider",
      });
    }
    const client = clientFor(key.vaultAddress);
    try {
      return await withRetry(() => client.transit(operation, key.enginePath, key.keyName, body), {
        policy,
        isRetryable: (error) => error instanceof VaultWireError && isRetryableVaultFailure(error.failure),
      });
    } catch (error) {
      if (!(error instanceof VaultWireError)) throw error;
      throw vaultFailureToError(error.failure, { operation, keyUrl, hasToken: (options.token ?? "") !== "", secrets }, error);
    }
  };

  return {
    type: VAULT_TRANSIT_STANZA_TYPE,

    async wrap(dataKey: Uint8Array, template: KeyStanza): Promise<KeyStanza> {
      const key = readVaultTransitKey(template, "KEY_INVALID");
      const plaintext = Buffer.from(dataKey).toString("base64");
      const data = await call("encrypt", key, { plaintext }, [plaintext]);
      const ciphertext = data["ciphertext"];
      if (typeof ciphertext !== "string" || !ciphertext.startsWith("vault:")) {
        throw new CofferError("PROVIDER_FAILED", `vault transit key ${vaultTransitKeyUrl(key)}: the encrypt response has no vault ciphertext`, {
          hint: "check that engine_path is a transit mount",
          fault: "provider",
        });
      }
      return wrappedVaultTransitStanza(template, formatCreatedAt(now()), ciphertext);
    },

    async unwrap(stanza: KeyStanza): Promise<Uint8Array | null> {
      if (stanza.type !== VAULT_TRANSIT_STANZA_TYPE) return null;
      const key = readVaultTransitKey(stanza, "METADATA_INVALID");
      const enc = readVaultTransitEnc(stanza, key);
      const data = await call("decrypt", key, { ciphertext: enc }, [enc]);
      const plaintext = data["plaintext"];
      if (typeof plaintext !== "string" || !/^[A-Za-z0-9+/]*={0,2}$/.test(plaintext) || plaintext.length % 4 !== 0) {
        throw new CofferError("PROVIDER_FAILED", `vault transit key ${vaultTransitKeyUrl(key)}: the decrypt response has no base64 plaintext`, {
          hint: "check that engine_path is a transit mount",
          fault: "provider",
        });
      }
      return new Uint8Array(Buffer.from(plaintext, "base64"));
    },
  };
}
