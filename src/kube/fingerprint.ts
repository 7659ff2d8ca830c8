/**
 * Keyed fingerprints of values for `coffer apply --diff`: a reviewer can tell whether two
 * environments hold the same value for a key without seeing it.
 *
 * fingerprint = first 12 hex digits of HMAC-SHA256(K, "<group>/<kind>/<name>/<key>" NUL value), where
 * - with `--fingerprint-key` / COFFER_FINGERPRINT_KEY: K = HMAC-SHA256("coffer fingerprint v1", user key).
 *   Without that key nobody can test guesses against a fingerprint, so diffs can go into shared CI logs.
 * - by default: K = the fixed string "coffer fingerprint v1 default". Not a secret, so a weak value can
 *   still be guessed offline by whoever reads the output; but the object identity in the message
 *   salts it (no precomputed tables, and equal values under different names or keys do not match).
 * The namespace and the cluster are left out on purpose: the point is to compare environments.
 */
import { createHmac } from "node:crypto";

export interface Fingerprinter {
  /** Fingerprint of `value` stored under `key` of the object `identity` (group/kind/name). */
  of(identity: string, key: string, value: Uint8Array): string;
  /** Whether the key came from the user (else the public default). */
  keyed: boolean;
}

const DEFAULT_KEY = "coffer fingerprint v1 default";

export function createFingerprinter(userKey: string | undefined): Fingerprinter {
  const keyed = userKey !== undefined && userKey !== "";
  const key = keyed ? createHmac("sha256", "coffer fingerprint v1").update(userKey).digest() : Buffer.from(DEFAULT_KEY);
  return {
    keyed,
    of(identity, name, value) {
      return createHmac("sha256", key).update(`${identity}/${name}\u0000`).update(value).digest("hex").slice(0, 12);
    },
  };
}
