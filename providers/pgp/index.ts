/**
 * The PGP key provider: SOPS `pgp` entries (spec §6.2) through the user's `gpg` binary, keyring
 * and agent.
 */
export { createPgpProvider, DEFAULT_GPG_TIMEOUT_MS, type PgpProviderOptions } from "./provider.js";
export { longKeyId, normalizeFingerprint } from "./fingerprint.js";
export { loadPgpProvider } from "./load.js";
