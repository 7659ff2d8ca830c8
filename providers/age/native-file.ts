/**
 * Native age files for X25519 recipients: opens and writes armored age files whose stanzas are all
 * `X25519` without loading age-encryption (whose bundle and stream reader cost ~60 ms of a CLI cold
 * start). Anything else is reported as `fallback` so the caller uses age-encryption.
 */
import { randomBytes } from "node:crypto";
import { decodeBase64NoPad, encodeBase64NoPad } from "./encoding.js";
import {
  decodeArmor,
  decryptPayload,
  encodeArmor,
  encodeHeader,
  encryptPayload,
  parseAgeFile,
  verifyHeaderMac,
  type AgeStanza,
} from "./age-format.js";
import { ephemeralX25519, hkdfSha256, sealFileKey, x25519 } from "./x25519.js";

/** The age label of the X25519 recipient type (HKDF info). */
export const X25519_LABEL = "age-encryption.org/v1/X25519";

/** Unwraps the file key from X25519 stanzas, or null when none is for this identity. */
export type X25519Unwrap = (stanzas: AgeStanza[]) => Uint8Array | null;

/** What a native open found; `fallback` means "not for the native path", not "failed". */
export type NativeOpenResult =
  | { readonly kind: "fallback" }
  | { readonly kind: "opened"; readonly plaintext: Uint8Array }
  | { readonly kind: "no-match" }
  | { readonly kind: "corrupt" };

const FALLBACK: NativeOpenResult = { kind: "fallback" };

/** Whether a stanza is a well-formed `X25519` stanza (share and body of the sizes age requires). */
function isWellFormedX25519(stanza: AgeStanza): boolean {
  if (stanza.args.length !== 2 || stanza.args[0] !== "X25519" || stanza.body.length !== 32) return false;
  const share = decodeBase64NoPad(stanza.args[1] ?? "");
  return share !== null && share.length === 32;
}

/**
 * Opens an armored age file with X25519 identities. Returns `corrupt` when an identity matched but
 * the header MAC or payload does not authenticate (never wrong bytes), and `fallback` for files
 * with other stanza types or anything the strict parser doubts.
 */
export function openX25519File(armored: string, identities: readonly X25519Unwrap[]): NativeOpenResult {
  const file = decodeArmor(armored);
  if (file === null) return FALLBACK;
  const parsed = parseAgeFile(file);
  if (parsed === null || parsed.stanzas.length === 0 || !parsed.stanzas.every(isWellFormedX25519)) return FALLBACK;
  for (const unwrap of identities) {
    let fileKey: Uint8Array | null;
    try {
      fileKey = unwrap(parsed.stanzas);
    } catch {
      return FALLBACK; // e.g. a low-order share: let age-encryption classify it as before
    }
    if (fileKey === null) continue;
    if (fileKey.length !== 16 || !verifyHeaderMac(fileKey, parsed)) return { kind: "corrupt" };
    const plaintext = decryptPayload(fileKey, parsed.payload);
    return plaintext === null ? { kind: "corrupt" } : { kind: "opened", plaintext };
  }
  return { kind: "no-match" };
}

/** Wraps a fresh file key to one X25519 recipient (32-byte public point) as an `X25519` stanza. */
export function x25519Stanza(fileKey: Uint8Array, recipient: Uint8Array): AgeStanza {
  const { secret, share } = ephemeralX25519();
  const shared = x25519(secret, recipient);
  const wrapKey = hkdfSha256(shared, new Uint8Array([...share, ...recipient]), X25519_LABEL);
  return { args: ["X25519", encodeBase64NoPad(share)], body: sealFileKey(wrapKey, fileKey) };
}

/**
 * Encrypts `plaintext` to X25519 recipients (32-byte public points) as an armored age file, laid
 * out byte for byte as age writes it. Throws a plain Error for a low-order recipient point.
 */
export function encryptX25519File(plaintext: Uint8Array, recipients: readonly Uint8Array[]): string {
  const fileKey = new Uint8Array(randomBytes(16));
  const stanzas = recipients.map((recipient) => x25519Stanza(fileKey, recipient));
  const header = encodeHeader(stanzas, fileKey);
  const payload = encryptPayload(fileKey, plaintext);
  const file = new Uint8Array(header.length + payload.length);
  file.set(header, 0);
  file.set(payload, header.length);
  return encodeArmor(file);
}
