/**
 * The fake's ciphertext blobs: real AES-256-GCM under a per-key secret. The key id is carried in
 * the blob (so Decrypt without KeyId works, as with real KMS) and, with the canonical
 * EncryptionContext, bound as AAD, so a changed context or a moved blob fails to open.
 *
 * Layout: 0x01 | id length (1 byte) | key id (ASCII) | IV (12) | ciphertext | tag (16).
 */
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

const VERSION = 1;

/** The context as sorted [key, value] pairs, so `{a,b}` and `{b,a}` bind the same way. */
export function canonicalContext(context: Record<string, string> | undefined): string {
  const entries = Object.entries(context ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify(entries);
}

function aad(keyId: string, context: Record<string, string> | undefined): Buffer {
  return Buffer.from(`${keyId}\n${canonicalContext(context)}`, "utf8");
}

export function sealBlob(options: {
  keyId: string;
  secret: Buffer;
  plaintext: Buffer;
  context: Record<string, string> | undefined;
}): Buffer {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", options.secret, iv);
  cipher.setAAD(aad(options.keyId, options.context));
  const body = Buffer.concat([cipher.update(options.plaintext), cipher.final()]);
  const id = Buffer.from(options.keyId, "ascii");
  return Buffer.concat([Buffer.from([VERSION, id.length]), id, iv, body, cipher.getAuthTag()]);
}

/** The key id a blob names, or undefined when it is not one of ours. */
export function blobKeyId(blob: Buffer): string | undefined {
  if (blob.length < 2 || blob[0] !== VERSION) return undefined;
  const idLength = blob[1] ?? 0;
  if (blob.length < 2 + idLength + 12 + 16) return undefined;
  return blob.subarray(2, 2 + idLength).toString("ascii");
}

/** Opens a blob; undefined when authentication fails (wrong context, edited bytes). */
export function openBlob(options: {
  blob: Buffer;
  secret: Buffer;
  context: Record<string, string> | undefined;
}): Buffer | undefined {
  const keyId = blobKeyId(options.blob);
  if (keyId === undefined) return undefined;
  const start = 2 + Buffer.byteLength(keyId, "ascii");
  const iv = options.blob.subarray(start, start + 12);
  const tag = options.blob.subarray(options.blob.length - 16);
  const body = options.blob.subarray(start + 12, options.blob.length - 16);
  try {
    const decipher = createDecipheriv("aes-256-gcm", options.secret, iv);
    decipher.setAAD(aad(keyId, options.context));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(body), decipher.final()]);
  } catch {
    return undefined;
  }
}
