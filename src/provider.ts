/**
 * The contract between the envelope core and key services (age, PGP, AWS KMS, GCP KMS, Vault
 * transit ...). Implementations live in `providers/`; `src/` never imports them statically.
 *
 * A master key appears in SOPS metadata as a *stanza*: one entry of a per-type list such as
 * `sops.age[0]` = `{recipient, enc}` or `sops.kms[0]` = `{arn, role, context, created_at, enc,
 * aws_profile}` (spec §6). Stanzas keep every field in a {@link TreeMap}, so fields and key types
 * Coffer does not know survive a re-encryption untouched.
 */
import type { TreeMap } from "./core/tree.js";

export interface KeyStanza {
  /** The metadata list it belongs to: `age`, `pgp`, `kms`, `gcp_kms`, `hc_vault`, `azure_kv`, `hckms`, ... */
  readonly type: string;
  /** All fields of the entry in file order, including `enc` once wrapped. */
  readonly fields: TreeMap;
}

/** A group of master keys that each wrap the same data key (or Shamir share). */
export type KeyGroup = KeyStanza[];

export interface KeyProvider {
  /** The stanza type this provider owns (the metadata key name). */
  readonly type: string;

  /**
   * Wraps `dataKey` (32 raw bytes, or a 33-byte Shamir share) for the master key described by
   * `key` (a stanza without `enc`). Returns the complete stanza to store, with `enc` (and
   * `created_at` where the type has one). Throws a CofferError when the key service fails.
   */
  wrap(dataKey: Uint8Array, key: KeyStanza): Promise<KeyStanza>;

  /**
   * Unwraps the data key from `stanza`. Returns `null` when the stanza is not this provider's or
   * when none of its identities is meant for it; throws a CofferError (with a code such as
   * `PROVIDER_DENIED` or `PROVIDER_UNAVAILABLE`) only when the stanza is its own and unwrapping
   * fails. Never logs or throws the key material.
   */
  unwrap(stanza: KeyStanza): Promise<Uint8Array | null>;
}

/** Finds the provider for a stanza type; lets callers load providers lazily. */
export type ProviderResolver = (type: string) => Promise<KeyProvider | undefined>;

/** Builds a resolver from an explicit list of providers. */
export function providersByType(providers: readonly KeyProvider[]): ProviderResolver {
  return async (type) => providers.find((provider) => provider.type === type);
}
