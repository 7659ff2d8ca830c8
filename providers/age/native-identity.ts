/**
 * Native age identities: `AGE-SECRET-KEY-1…` (X25519, implemented here on node:crypto because the
 * CD path unwraps many files and a per-call WebCrypto import is ~1 ms) and `AGE-SECRET-KEY-PQ-1…`
 * (ML-KEM-768 + X25519 hybrid, delegated to age-encryption, loaded only when a hybrid key is used).
 */
import type { Identity } from "age-encryption";
import { bech32 } from "@scure/base";
import type { KeyObject } from "node:crypto";
import type { AgeStanza } from "./age-format.js";
import { decodeBase64NoPad } from "./encoding.js";
import { memoize, type AgeIdentitySource } from "./identity.js";
import { X25519_LABEL } from "./native-file.js";
import {
  hkdfSha256,
  importX25519Point,
  importX25519Secret,
  openFileKey,
  x25519,
  x25519PublicBytes,
} from "./x25519.js";

/**
 * The ephemeral share of a stanza imported once per file: every X25519 identity tries every
 * X25519 stanza (they carry no tag), so without this N identities would import it N times.
 */
const importedShares = new WeakMap<AgeStanza, KeyObject>();

function shareKey(stanza: AgeStanza, share: Uint8Array): KeyObject {
  let key = importedShares.get(stanza);
  if (key === undefined) {
    key = importX25519Point(share);
    importedShares.set(stanza, key);
  }
  return key;
}

/** Implements the age `X25519` stanza for one secret key. */
class X25519Identity implements Identity {
  readonly #secret: KeyObject;
  readonly #publicKey: Uint8Array;

  constructor(scalar: Uint8Array) {
    this.#secret = importX25519Secret(scalar);
    this.#publicKey = x25519PublicBytes(this.#secret);
  }

  get publicKey(): Uint8Array {
    return this.#publicKey;
  }

  unwrapFileKey(stanzas: readonly AgeStanza[]): Uint8Array | null {
    for (const stanza of stanzas) {
      if (stanza.args[0] !== "X25519") continue;
      const share = stanza.args.length === 2 ? decodeBase64NoPad(stanza.args[1] ?? "") : null;
      if (share === null || share.length !== 32 || stanza.body.length !== 32) {
        throw new Error("invalid X25519 stanza");
      }
      const shared = x25519(this.#secret, shareKey(stanza, share));
      const salt = new Uint8Array([...share, ...this.#publicKey]);
      const fileKey = openFileKey(hkdfSha256(shared, salt, X25519_LABEL), stanza.body);
      if (fileKey !== null) return fileKey;
    }
    return null;
  }
}

/** Whether a token looks like a native identity this module can parse. */
export function isNativeIdentityToken(token: string): boolean {
  return token.startsWith("AGE-SECRET-KEY-1") || token.startsWith("AGE-SECRET-KEY-PQ-1");
}

/**
 * Parses one `AGE-SECRET-KEY-1…` or `AGE-SECRET-KEY-PQ-1…` string. Throws a plain Error without
 * the input when malformed (callers turn it into a KEY_INVALID naming the source).
 */
export function parseNativeIdentity(token: string, source: string): AgeIdentitySource {
  if (token.startsWith("AGE-SECRET-KEY-PQ-1")) {
    const decoded = decodeBech32(token);
    if (decoded.prefix !== "age-secret-key-pq-" || decoded.bytes.length !== 32) {
      throw new Error("invalid hybrid identity");
    }
    return {
      kind: "hybrid",
      source,
      // The hybrid public key needs ML-KEM, so age-encryption is loaded only when it is asked for.
      recipient: memoize(async () => (await (await import("age-encryption")).identityToRecipient(token)).toLowerCase()),
      decrypterInput: () => token,
    };
  }
  if (!token.startsWith("AGE-SECRET-KEY-1")) throw new Error("unknown identity type");
  const decoded = decodeBech32(token);
  if (decoded.prefix !== "age-secret-key-" || decoded.bytes.length !== 32) {
    throw new Error("invalid identity");
  }
  const identity = new X25519Identity(decoded.bytes);
  const recipient = bech32.encodeFromBytes("age", identity.publicKey);
  return {
    kind: "x25519",
    source,
    recipient: () => Promise.resolve(recipient),
    decrypterInput: () => identity,
    x25519Unwrap: (stanzas) => identity.unwrapFileKey(stanzas),
  };
}

function decodeBech32(token: string): { prefix: string; bytes: Uint8Array } {
  // Identities are uppercase by convention; bech32 forbids mixed case, so decode the lowercase form.
  const { prefix, words } = bech32.decode(token.toLowerCase() as `${string}1${string}`, false);
  return { prefix, bytes: bech32.fromWords(words) };
}
