/**
 * The SOPS MAC (spec §4.2): SHA-512 over the canonical bytes of the leaves in walk order, as
 * upper-case hex, stored encrypted with the data key and AAD = `lastmodified` (seconds precision).
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { Hash } from "node:crypto";
import { CofferError, isCofferError } from "../errors.js";
import { canonicalSecondsText } from "./canonical.js";
import { decryptParts, encryptBytes, parseEncValue } from "./value-cipher.js";
import type { DataKey, RandomSource } from "./value-cipher.js";

/** SHA-256("sops"): fed first when `mac_only_encrypted` is set so the two modes never collide. */
export const MAC_ONLY_ENCRYPTED_PREFIX: Uint8Array = Buffer.from(
  "8a3fd2ad54ce66527b1034f3d147be0b0b975b3bf44f72c6fdadec8176f27d69",
  "hex",
);

/** Accumulates the MAC over leaf plaintexts. */
export class MacHasher {
  private readonly hash: Hash = createHash("sha512");

  constructor(readonly macOnlyEncrypted = false) {
    if (macOnlyEncrypted) this.hash.update(MAC_ONLY_ENCRYPTED_PREFIX);
  }

  /** Feeds one leaf's canonical bytes (no separator). */
  add(bytes: Uint8Array): void {
    if (bytes.length > 0) this.hash.update(bytes);
  }

  /** The 128 upper-case hex characters sops stores. */
  hex(): string {
    return this.hash.digest("hex").toUpperCase();
  }
}

/** The MAC's AAD: `lastmodified` re-formatted as RFC 3339 seconds (`Z` for UTC, offsets kept). */
export function macAad(lastModified: string): string {
  const aad = canonicalSecondsText(lastModified);
  if (aad === undefined) {
    throw new CofferError("METADATA_INVALID", "sops.lastmodified is not an RFC 3339 timestamp", {
      hint: "restore the lastmodified field from version control",
    });
  }
  return aad;
}

/** Encrypts the MAC hex string like a `str` value with AAD = `lastmodified`. */
export function encryptMac(
  macHex: string,
  options: { dataKey: DataKey; lastModified: string; iv?: Uint8Array | undefined; random?: RandomSource | undefined },
): string {
  return encryptBytes(Buffer.from(macHex, "utf8"), "str", {
    dataKey: options.dataKey,
    aad: macAad(options.lastModified),
    iv: options.iv,
    random: options.random,
  });
}

/**
 * Decrypts the stored MAC. Missing or empty → `MAC_MISSING`; malformed or failing authentication
 * (wrong key, edited `lastmodified`) → `MAC_DECRYPT_FAILED`.
 */
export function decryptMac(encMac: string | undefined, options: { dataKey: DataKey; lastModified: string }): string {
  if (encMac === undefined || encMac === "") {
    throw new CofferError("MAC_MISSING", "the file has no mac", {
      hint: "the file may have been written by hand; pass --ignore-mac only if you trust its contents",
    });
  }
  try {
    return decryptParts(parseEncValue(encMac), { dataKey: options.dataKey, aad: macAad(options.lastModified) }).toString(
      "utf8",
    );
  } catch (cause) {
    if (isCofferError(cause, "METADATA_INVALID")) throw cause;
    throw new CofferError("MAC_DECRYPT_FAILED", "could not decrypt the mac", {
      hint: "sops.mac or sops.lastmodified was edited, or the data key is wrong",
      cause,
    });
  }
}

/** Compares two MAC hex strings in constant time (for equal lengths). */
export function macEquals(stored: string, computed: string): boolean {
  const a = Buffer.from(stored, "utf8");
  const b = Buffer.from(computed, "utf8");
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Throws `MAC_MISMATCH` unless `stored` equals `computed`. */
export function verifyMac(stored: string, computed: string): void {
  if (!macEquals(stored, computed)) {
    throw new CofferError("MAC_MISMATCH", "the file's mac does not match its contents", {
      hint: "a value, comment position or key was changed outside sops/coffer; restore the file or re-encrypt it",
    });
  }
}
