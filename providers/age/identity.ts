/**
 * A loaded age identity: parsed once (keys imported, tags computed), then reused for every unwrap.
 */
import type { Identity } from "age-encryption";
import type { X25519Unwrap } from "./native-file.js";

export type AgeIdentityKind = "x25519" | "hybrid" | "ssh-ed25519" | "ssh-rsa";

/** One identity together with where it came from (for diagnostics; never the key itself). */
export interface AgeIdentitySource {
  readonly kind: AgeIdentityKind;
  /** Where the identity was loaded from, e.g. `SOPS_AGE_KEY_FILE (/home/me/keys.txt) line 3`. */
  readonly source: string;
  /**
   * The recipient this identity opens, normalised for comparison with {@link normalizeRecipient}:
   * lowercase `age1…`/`age1pq1…`, or `ssh-ed25519 AAAA…` without the comment. Memoised; the
   * post-quantum public key is only computed when first asked for.
   */
  recipient(): Promise<string>;
  /** What an age-encryption `Decrypter` is given for this identity. */
  decrypterInput(): Identity | string;
  /** For `x25519` identities: the native unwrap used by the age-encryption-free path. */
  readonly x25519Unwrap?: X25519Unwrap | undefined;
}

/**
 * Thrown by our own identities when a stanza carries their tag (it is provably for them) but does
 * not open: the file was tampered with or the key does not match its tag.
 */
export class OwnedStanzaError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "OwnedStanzaError";
  }
}

/**
 * Normalises a recipient string for equality checks: trims, lowercases bech32 recipients, and
 * keeps only `type base64` of SSH public key lines (the comment is not part of the key).
 */
export function normalizeRecipient(recipient: string): string {
  const trimmed = recipient.trim();
  if (trimmed.startsWith("ssh-")) {
    const [type, blob] = trimmed.split(/\s+/);
    return `${type ?? ""} ${blob ?? ""}`;
  }
  return trimmed.toLowerCase();
}

/** Memoises an async computation (used for recipients that are costly to derive). */
export function memoize<T>(compute: () => Promise<T>): () => Promise<T> {
  let cached: Promise<T> | undefined;
  return () => (cached ??= compute());
}
