/**
 * Turns a SOPS age `recipient` string into something age-encryption's Encrypter accepts.
 */
import type { Recipient } from "age-encryption";
import { bech32 } from "@scure/base";
import { CofferError } from "../../src/errors.js";
import { parseSshPublicKey } from "./ssh-keys.js";
import { sshRecipient } from "./ssh-stanzas.js";

/**
 * Parses `age1…` (X25519), `age1pq1…` (ML-KEM-768 + X25519 hybrid), `ssh-ed25519 AAAA… [comment]`
 * or `ssh-rsa AAAA… [comment]`. Throws KEY_INVALID for anything else (including age plugin
 * recipients, which need plugin binaries Coffer does not run).
 */
export function parseAgeRecipient(recipient: string): string | Recipient {
  const trimmed = recipient.trim();
  if (trimmed.startsWith("ssh-")) {
    try {
      return sshRecipient(parseSshPublicKey(trimmed));
    } catch (cause) {
      throw new CofferError("KEY_INVALID", "malformed ssh recipient", {
        hint: "use an ssh-ed25519 or ssh-rsa public key line as found in ~/.ssh/*.pub",
        cause: cause instanceof Error ? new Error(cause.message) : undefined,
      });
    }
  }
  const lower = trimmed.toLowerCase();
  const prefix = bech32Prefix(lower);
  if (prefix === "age" || prefix === "age1pq") {
    return lower;
  }
  throw new CofferError("KEY_INVALID", "malformed age recipient", {
    hint:
      prefix !== null && prefix.startsWith("age1")
        ? "age plugin recipients are not supported; use an age1…, age1pq1… or ssh recipient"
        : "expected age1…, age1pq1…, ssh-ed25519 … or ssh-rsa …",
  });
}

/** The bech32 human-readable part, or null when the string is not valid bech32 of the right size. */
function bech32Prefix(text: string): string | null {
  try {
    const { prefix, words } = bech32.decode(text as `${string}1${string}`, false);
    const length = bech32.fromWords(words).length;
    if (prefix === "age" && length !== 32) return null;
    if (prefix === "age1pq" && length !== 1216) return null;
    return prefix;
  } catch {
    return null;
  }
}
