/**
 * The `age` KeyProvider: wraps a data key as an ASCII-armored age file to the stanza's recipient,
 * and unwraps with the identities it was created with (spec §6.1).
 */
import type { Identity, Stanza } from "age-encryption";
import { bech32 } from "@scure/base";
import { TreeMap } from "../../src/core/tree.js";
import { CofferError, isCofferError } from "../../src/errors.js";
import type { KeyProvider, KeyStanza } from "../../src/provider.js";
import { normalizeRecipient, OwnedStanzaError, type AgeIdentitySource } from "./identity.js";
import { encryptX25519File, openX25519File, type X25519Unwrap } from "./native-file.js";
import { parseAgeRecipient } from "./recipient.js";

export interface AgeProviderOptions {
  /** Identities already loaded (see `discoverAgeIdentities` and `parseAgeIdentities`). */
  identities?: readonly AgeIdentitySource[] | undefined;
}

/** What one unwrap attempt learned about the stanzas, to tell "not ours" from "ours but broken". */
interface Attempt {
  headerParsed: boolean;
  matched: boolean;
  owned: boolean;
  malformed: boolean;
}

/** Creates the age provider. Identities are parsed by the caller once and shared by every unwrap. */
export function createAgeProvider(options: AgeProviderOptions = {}): KeyProvider {
  const identities = [...(options.identities ?? [])];
  // Cheap native identities first: the Decrypter stops at the first one that opens the file.
  const order: Record<AgeIdentitySource["kind"], number> = { x25519: 0, "ssh-ed25519": 1, "ssh-rsa": 2, hybrid: 3 };
  identities.sort((a, b) => order[a.kind] - order[b.kind]);
  const nativeUnwraps: X25519Unwrap[] = identities.flatMap((identity) =>
    identity.x25519Unwrap === undefined ? [] : [identity.x25519Unwrap],
  );

  async function isOwnRecipient(recipient: unknown): Promise<boolean> {
    if (typeof recipient !== "string") return false;
    const wanted = normalizeRecipient(recipient);
    for (const identity of identities) {
      if ((await identity.recipient()) === wanted) return true;
    }
    return false;
  }

  return {
    type: "age",

    async wrap(dataKey, key) {
      const recipient = key.fields.get("recipient");
      if (typeof recipient !== "string" || recipient.trim() === "") {
        throw new CofferError("KEY_INVALID", "the age key entry has no recipient", {
          hint: "set `recipient` to an age1…, age1pq1… or ssh public key",
        });
      }
      const enc = await encryptToRecipient(dataKey, recipient);
      const fields = new TreeMap([
        { key: "recipient", value: recipient },
        { key: "enc", value: enc },
      ]);
      for (const entry of key.fields.entries()) {
        if (entry.key !== "recipient" && entry.key !== "enc") fields.set(entry.key, entry.value);
      }
      return { type: "age", fields };
    },

    async unwrap(stanza) {
      if (stanza.type !== "age" || identities.length === 0) return null;
      const enc = stanza.fields.get("enc");
      const attempt: Attempt = { headerParsed: false, matched: false, owned: false, malformed: false };
      if (typeof enc !== "string") return failure(stanza, attempt, isOwnRecipient);
      // X25519-only files (the common case) open on node:crypto without loading age-encryption.
      const native = openX25519File(enc, nativeUnwraps);
      if (native.kind === "opened") return native.plaintext;
      if (native.kind !== "fallback") {
        return failure(stanza, { ...attempt, headerParsed: true, matched: native.kind === "corrupt" }, isOwnRecipient);
      }
      const { Decrypter, armor } = await import("age-encryption");
      let file: Uint8Array;
      try {
        file = armor.decode(enc);
      } catch {
        return failure(stanza, attempt, isOwnRecipient);
      }
      const decrypter = new Decrypter();
      decrypter.addIdentity(probe(attempt));
      for (const identity of identities) decrypter.addIdentity(tracked(identity.decrypterInput(), attempt));
      try {
        return await decrypter.decrypt(file);
      } catch {
        return failure(stanza, attempt, isOwnRecipient);
      }
    },
  };
}

/**
 * Encrypts a data key to one SOPS age recipient: natively for `age1…` (X25519), through
 * age-encryption (loaded here, on demand) for post-quantum and SSH recipients.
 */
async function encryptToRecipient(dataKey: Uint8Array, recipient: string): Promise<string> {
  const parsed = parseAgeRecipient(recipient);
  if (typeof parsed === "string" && !parsed.startsWith("age1pq1")) {
    const point = bech32.fromWords(bech32.decode(parsed as `${string}1${string}`, false).words);
    try {
      return encryptX25519File(dataKey, [point]);
    } catch {
      throw new CofferError("KEY_INVALID", "the age recipient is not a usable x25519 public key", {
        hint: "the recipient decodes but is a low-order point; generate a real key with `coffer keygen`",
      });
    }
  }
  const { Encrypter, armor } = await import("age-encryption");
  const encrypter = new Encrypter();
  try {
    encrypter.addRecipient(parsed);
  } catch (cause) {
    if (isCofferError(cause)) throw cause;
    throw new CofferError("KEY_INVALID", "malformed age recipient", { hint: "check the recipient string" });
  }
  return armor.encode(await encrypter.encrypt(dataKey));
}

/** Decides between `null` (not ours) and a coded error (ours, but it does not open). */
async function failure(
  stanza: KeyStanza,
  attempt: Attempt,
  isOwnRecipient: (recipient: unknown) => Promise<boolean>,
): Promise<null> {
  if (attempt.matched || attempt.owned) {
    throw new CofferError("CIPHERTEXT_INVALID", "the age-encrypted data key is corrupt", {
      hint: "an identity matched this age entry but its ciphertext does not authenticate; the file was edited or damaged",
    });
  }
  if (!(await isOwnRecipient(stanza.fields.get("recipient")))) return null;
  if (!attempt.headerParsed || attempt.malformed) {
    throw new CofferError("CIPHERTEXT_INVALID", "the age-encrypted data key is malformed", {
      hint: "the `enc` of an age entry for one of your identities is not a valid armored age file",
    });
  }
  throw new CofferError("NO_MATCHING_KEY", "no loaded age identity opens the entry for its recipient", {
    hint: "the entry names one of your recipients but was encrypted to another key, or it was edited",
  });
}

/** Runs first: the Decrypter only calls identities once the header parsed. */
function probe(attempt: Attempt): Identity {
  return {
    unwrapFileKey: () => {
      attempt.headerParsed = true;
      return null;
    },
  };
}

/** Records whether an identity matched or found its own stanza broken; hybrid strings pass as is. */
function tracked(input: Identity | string, attempt: Attempt): Identity | string {
  if (typeof input === "string") return input;
  return {
    async unwrapFileKey(stanzas: Stanza[]) {
      try {
        const fileKey = await input.unwrapFileKey(stanzas);
        if (fileKey !== null) attempt.matched = true;
        return fileKey;
      } catch (error) {
        if (error instanceof OwnedStanzaError) attempt.owned = true;
        else attempt.malformed = true;
        throw error;
      }
    },
  };
}
