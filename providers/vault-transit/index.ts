/**
 * HashiCorp Vault transit (and OpenBao) master keys: the `hc_vault` stanza type (spec §6.6).
 * Library users build the provider with explicit options; the CLI goes through load.ts.
 */
export { createVaultTransitProvider, DEFAULT_VAULT_TIMEOUT_MS } from "./provider.js";
export type { VaultTransitProviderOptions } from "./provider.js";
export { parseVaultTransitUri, vaultTransitKeyUrl } from "./uri.js";
export type { VaultTransitKey } from "./uri.js";
export { VAULT_TRANSIT_STANZA_TYPE, vaultTransitKeyStanza } from "./stanza.js";
export { parseVaultAllowlist, isVaultUrlAllowed } from "./allowlist.js";
export type { VaultAllowlist } from "./allowlist.js";
export { resolveVaultToken } from "./token.js";
export { createVaultWireClient, VaultWireError } from "./wire-client.js";
export type { VaultWireClient, VaultWireClientOptions, VaultWireFailure } from "./wire-client.js";
export type { RetryPolicy } from "./retry.js";
