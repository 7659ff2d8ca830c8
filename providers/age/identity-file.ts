/**
 * Parses the text (or bytes) of an age identity source: native identity lines, an SSH private key,
 * or an age-encrypted identity file (armored or binary, opened with a passphrase). Errors name the
 * source and line, never the content.
 */
import { CofferError } from "../../src/errors.js";
import type { AgeIdentitySource } from "./identity.js";
import { isNativeIdentityToken, parseNativeIdentity } from "./native-identity.js";
import { EncryptedSshKeyError, looksLikeSshPrivateKey, parseSshPrivateKey, sshPublicKeyLine } from "./ssh-keys.js";
import { sshIdentity } from "./ssh-stanzas.js";

export interface ParseAgeIdentitiesOptions {
  /** Names the source in errors and on each identity, e.g. `SOPS_AGE_KEY_FILE (/path)`. */
  source: string;
  /** Supplies the passphrase of an age-encrypted identity file; without it such a file is refused. */
  passphrase?: ((source: string) => Promise<string>) | undefined;
}

export interface ParsedAgeIdentities {
  identities: AgeIdentitySource[];
  /** Things skipped on purpose (e.g. plugin identities), without key material. */
  warnings: string[];
}

const BINARY_AGE_INTRO = "age-encryption.org/v1\n";
const ARMOR_BEGIN = "-----BEGIN AGE ENCRYPTED FILE-----";

/**
 * Parses an identity source; see the module comment for what it accepts. `options` may be just the
 * source name. Resolves to `{ identities, warnings }`.
 */
export async function parseAgeIdentities(
  content: string | Uint8Array,
  sourceOrOptions: ParseAgeIdentitiesOptions | string,
): Promise<ParsedAgeIdentities> {
  const options = typeof sourceOrOptions === "string" ? { source: sourceOrOptions } : sourceOrOptions;
  const bytes = typeof content === "string" ? new TextEncoder().encode(content) : content;
  const text = typeof content === "string" ? content : new TextDecoder().decode(content);
  if (text.trimStart().startsWith(ARMOR_BEGIN) || text.startsWith(BINARY_AGE_INTRO)) {
    const inner = await decryptIdentityFile(text, bytes, options);
    return parseAgeIdentities(inner, { source: `${options.source} (encrypted)` });
  }
  if (looksLikeSshPrivateKey(text)) {
    return { identities: [loadSshIdentity(text, options.source)], warnings: [] };
  }
  return parseIdentityLines(text, options.source);
}

function parseIdentityLines(text: string, source: string): ParsedAgeIdentities {
  const identities: AgeIdentitySource[] = [];
  const warnings: string[] = [];
  const lines = text.split(/\r?\n/);
  for (const [index, rawLine] of lines.entries()) {
    const line = rawLine.trim();
    if (line === "" || line.startsWith("#")) continue;
    const where = `${source} line ${index + 1}`;
    for (const token of line.split(/\s+/)) {
      if (token.startsWith("AGE-PLUGIN-")) {
        warnings.push(`skipped an age plugin identity at ${where}: age plugins are not supported`);
        continue;
      }
      if (!isNativeIdentityToken(token)) {
        throw new CofferError("KEY_INVALID", `malformed age identity at ${where}`, {
          hint: "identity lines hold AGE-SECRET-KEY-1… or AGE-SECRET-KEY-PQ-1… strings; comments start with #",
        });
      }
      try {
        identities.push(parseNativeIdentity(token, where));
      } catch {
        // The decoder's own message may quote the input, so it is deliberately not kept as cause.
        throw new CofferError("KEY_INVALID", `malformed age identity at ${where}`, {
          hint: "the identity's bech32 encoding or length is wrong; regenerate it with `coffer keygen`",
        });
      }
    }
  }
  return { identities, warnings };
}

/** Loads an SSH private key as an age identity. */
export function loadSshIdentity(text: string, source: string): AgeIdentitySource {
  let key;
  try {
    key = parseSshPrivateKey(text);
  } catch (cause) {
    if (cause instanceof EncryptedSshKeyError) {
      throw new CofferError("KEY_INVALID", `the ssh private key in ${source} is passphrase-protected`, {
        hint: "use an unencrypted key (for example from SOPS_AGE_SSH_PRIVATE_KEY_CMD) or a native age identity",
        cause,
      });
    }
    throw new CofferError("KEY_INVALID", `malformed ssh private key in ${source}`, {
      hint: "expected an unencrypted OpenSSH or PEM ssh-ed25519 or ssh-rsa private key",
      cause: cause instanceof Error ? new Error(cause.message) : undefined,
    });
  }
  const identity = sshIdentity(key);
  const recipient = sshPublicKeyLine(key.publicKey);
  return {
    kind: key.type,
    source,
    recipient: () => Promise.resolve(recipient),
    decrypterInput: () => identity,
  };
}

async function decryptIdentityFile(
  text: string,
  bytes: Uint8Array,
  options: ParseAgeIdentitiesOptions,
): Promise<Uint8Array> {
  // Passphrase (scrypt) files are rare: age-encryption is loaded only for them.
  const { Decrypter, armor } = await import("age-encryption");
  if (options.passphrase === undefined) {
    throw new CofferError("KEY_INVALID", `the age identity file in ${options.source} is passphrase-encrypted`, {
      hint: "run interactively so Coffer can ask for the passphrase, or provide the decrypted identity via SOPS_AGE_KEY_CMD",
    });
  }
  let file: Uint8Array;
  try {
    file = text.startsWith(BINARY_AGE_INTRO) ? bytes : armor.decode(text);
  } catch (cause) {
    throw new CofferError("KEY_INVALID", `the encrypted age identity file in ${options.source} has corrupt armor`, { cause });
  }
  const decrypter = new Decrypter();
  decrypter.addPassphrase(await options.passphrase(options.source));
  try {
    return await decrypter.decrypt(file);
  } catch (cause) {
    throw new CofferError("KEY_INVALID", `cannot decrypt the age identity file in ${options.source}`, {
      hint: "check the passphrase; the file must be encrypted with `age -p`",
      cause,
    });
  }
}
