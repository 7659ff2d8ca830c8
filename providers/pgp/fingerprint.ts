/**
 * PGP fingerprints as sops handles them: spaces removed (sops strips them from configured
 * fingerprints), and the last 16 hex digits as the long key id given to `--trusted-key`.
 */
import { CofferError } from "../../src/errors.js";

/** A v4 fingerprint is 40 hex digits, v5/v6 64; a long key id (16) is accepted as sops does. */
const FINGERPRINT = /^(?:[0-9A-Fa-f]{16}|[0-9A-Fa-f]{40}|[0-9A-Fa-f]{64})$/;

/**
 * Returns the fingerprint without spaces (and without a `0x` prefix), or throws KEY_INVALID.
 * Validating here also keeps anything that starts with `-` off gpg's argument list.
 */
export function normalizeFingerprint(configured: unknown): string {
  if (typeof configured !== "string" || configured.trim() === "") {
    throw new CofferError("KEY_INVALID", "the pgp key entry has no fingerprint", {
      hint: "set `fp` to the key's 40-hex-digit fingerprint (gpg --list-keys --with-colons shows it)",
    });
  }
  const compact = configured.replace(/\s+/g, "").replace(/^0x/i, "");
  if (!FINGERPRINT.test(compact)) {
    throw new CofferError("KEY_INVALID", `the pgp fingerprint ${JSON.stringify(configured.slice(0, 80))} is not a hex fingerprint`, {
      hint: "use the key's full fingerprint, e.g. FBC7B9E2A4F9289AC0C1D4843D16CEE4A27381B4",
    });
  }
  return compact.toUpperCase();
}

/** The long key id (last 16 hex digits) sops passes as `--trusted-key`. */
export function longKeyId(fingerprint: string): string {
  return fingerprint.slice(-16);
}
