/**
 * The primitives age's X25519-based stanzas share (native `X25519` and `ssh-ed25519`), on
 * node:crypto so a key is imported once and each unwrap costs one native scalar multiplication.
 */
import {
  createCipheriv,
  createDecipheriv,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  hkdfSync,
  randomBytes,
  type KeyObject,
} from "node:crypto";

const PKCS8_PREFIX = Buffer.from("302e020100300506032b656e04220420", "hex");
const ZERO_NONCE = Buffer.alloc(12);

/** Imports a 32-byte X25519 scalar (clamped by OpenSSL at use). */
export function importX25519Secret(scalar: Uint8Array): KeyObject {
  if (scalar.length !== 32) throw new Error("x25519 scalar must be 32 bytes");
  return createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, scalar]), format: "der", type: "pkcs8" });
}

/** The 32-byte public point of an imported X25519 secret. */
export function x25519PublicBytes(secret: KeyObject): Uint8Array {
  const jwk = createPublicKey(secret).export({ format: "jwk" });
  if (typeof jwk.x !== "string") throw new Error("x25519 public key export failed");
  return new Uint8Array(Buffer.from(jwk.x, "base64url"));
}

/**
 * X25519(secret, point). Throws for low-order points (OpenSSL refuses an all-zero shared secret),
 * which age also treats as an invalid stanza.
 */
export function x25519(secret: KeyObject, point: Uint8Array | KeyObject): Uint8Array {
  const publicKey = point instanceof Uint8Array ? importX25519Point(point) : point;
  return new Uint8Array(diffieHellman({ privateKey: secret, publicKey }));
}

/** Imports a peer point once so several identities can reuse it (JWK import is ~7x faster than DER). */
export function importX25519Point(point: Uint8Array): KeyObject {
  if (point.length !== 32) throw new Error("x25519 point must be 32 bytes");
  return createPublicKey({ key: { kty: "OKP", crv: "X25519", x: Buffer.from(point).toString("base64url") }, format: "jwk" });
}

/** A fresh ephemeral X25519 key pair for wrapping. */
export function ephemeralX25519(): { secret: KeyObject; share: Uint8Array } {
  const secret = importX25519Secret(randomBytes(32));
  return { secret, share: x25519PublicBytes(secret) };
}

export function hkdfSha256(ikm: Uint8Array, salt: Uint8Array, info: string, length = 32): Uint8Array {
  return new Uint8Array(hkdfSync("sha256", ikm, salt, Buffer.from(info, "latin1"), length));
}

/** ChaCha20-Poly1305 with the all-zero nonce age uses for single-use wrapping keys. */
export function sealFileKey(key: Uint8Array, fileKey: Uint8Array): Uint8Array {
  const cipher = createCipheriv("chacha20-poly1305", key, ZERO_NONCE, { authTagLength: 16 });
  return new Uint8Array(Buffer.concat([cipher.update(fileKey), cipher.final(), cipher.getAuthTag()]));
}

/** Opens a wrapped file key; returns null when authentication fails. */
export function openFileKey(key: Uint8Array, body: Uint8Array): Uint8Array | null {
  if (body.length < 16) return null;
  const decipher = createDecipheriv("chacha20-poly1305", key, ZERO_NONCE, { authTagLength: 16 });
  decipher.setAuthTag(body.subarray(body.length - 16));
  try {
    return new Uint8Array(Buffer.concat([decipher.update(body.subarray(0, body.length - 16)), decipher.final()]));
  } catch {
    return null;
  }
}
