/** Generates new native age identities in age-keygen's file format. */
import { generateKeyPairSync } from "node:crypto";
import { bech32 } from "@scure/base";

export interface GeneratedAgeIdentity {
  /** `AGE-SECRET-KEY-1…` or `AGE-SECRET-KEY-PQ-1…`. */
  identity: string;
  /** `age1…` or `age1pq1…`. */
  recipient: string;
  /** The key file as age-keygen writes it: created/public key comments, then the identity. */
  fileText: string;
}

/**
 * Generates an X25519 identity (on node:crypto), or an ML-KEM-768 + X25519 hybrid one with
 * `postQuantum` (age-encryption, loaded only then). `now` is injectable for tests; the timestamp
 * is RFC 3339 in UTC.
 */
export async function generateAgeIdentity(
  options: { postQuantum?: boolean | undefined; now?: Date | undefined } = {},
): Promise<GeneratedAgeIdentity> {
  const { identity, recipient } = options.postQuantum === true ? await generateHybrid() : generateX25519();
  const created = (options.now ?? new Date()).toISOString().replace(/\.\d{3}Z$/, "Z");
  const fileText = `# created: ${created}\n# public key: ${recipient}\n${identity}\n`;
  return { identity, recipient, fileText };
}

function generateX25519(): { identity: string; recipient: string } {
  const { privateKey, publicKey } = generateKeyPairSync("x25519");
  const secret = privateKey.export({ format: "jwk" }).d;
  const point = publicKey.export({ format: "jwk" }).x;
  if (typeof secret !== "string" || typeof point !== "string") throw new Error("x25519 key export failed");
  return {
    identity: bech32.encodeFromBytes("age-secret-key-", Buffer.from(secret, "base64url")).toUpperCase(),
    recipient: bech32.encodeFromBytes("age", Buffer.from(point, "base64url")),
  };
}

async function generateHybrid(): Promise<{ identity: string; recipient: string }> {
  const { generateHybridIdentity, identityToRecipient } = await import("age-encryption");
  const identity = await generateHybridIdentity();
  return { identity, recipient: await identityToRecipient(identity) };
}
