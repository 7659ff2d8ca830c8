/** Generates new native age identities in age-keygen's file format. */
import { generateHybridIdentity, generateX25519Identity, identityToRecipient } from "age-encryption";

export interface GeneratedAgeIdentity {
  /** `AGE-SECRET-KEY-1…` or `AGE-SECRET-KEY-PQ-1…`. */
  identity: string;
  /** `age1…` or `age1pq1…`. */
  recipient: string;
  /** The key file as age-keygen writes it: created/public key comments, then the identity. */
  fileText: string;
}

/**
 * Generates an X25519 identity, or an ML-KEM-768 + X25519 hybrid one with `postQuantum`.
 * `now` is injectable for tests; the timestamp is RFC 3339 in UTC.
 */
export async function generateAgeIdentity(
  options: { postQuantum?: boolean | undefined; now?: Date | undefined } = {},
): Promise<GeneratedAgeIdentity> {
  const identity = options.postQuantum === true ? await generateHybridIdentity() : await generateX25519Identity();
  const recipient = await identityToRecipient(identity);
  const created = (options.now ?? new Date()).toISOString().replace(/\.\d{3}Z$/, "Z");
  const fileText = `# created: ${created}\n# public key: ${recipient}\n${identity}\n`;
  return { identity, recipient, fileText };
}
