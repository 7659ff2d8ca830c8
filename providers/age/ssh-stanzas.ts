/**
 * The age `ssh-ed25519` and `ssh-rsa` recipient types (C2SP age spec), as age-encryption
 * Recipient/Identity plug-ins.
 *
 * - tag: the first 4 bytes of SHA-256 of the SSH wire public key (lets an identity skip stanzas
 *   that are not its own without trying to decrypt).
 * - ssh-ed25519: X25519 against the Montgomery form of the Ed25519 key, with the shared secret
 *   multiplied by a tweak = HKDF-SHA-256(ikm = "", salt = wire key, info = label), then
 *   wrap key = HKDF-SHA-256(shared, salt = ephemeral share || Montgomery key, info = label).
 * - ssh-rsa: RSA-OAEP-SHA-256 with the label `age-encryption.org/v1/ssh-rsa`.
 */
import type { Identity, Recipient } from "age-encryption";
import { constants, createHash, privateDecrypt, publicEncrypt, type KeyObject } from "node:crypto";
import type { AgeStanza } from "./age-format.js";
import { decodeBase64NoPad, encodeBase64NoPad } from "./encoding.js";
import { OwnedStanzaError } from "./identity.js";
import type { SshPrivateKey, SshPublicKey } from "./ssh-keys.js";
import {
  ephemeralX25519,
  hkdfSha256,
  importX25519Secret,
  openFileKey,
  sealFileKey,
  x25519,
  x25519PublicBytes,
} from "./x25519.js";

const ED25519_LABEL = "age-encryption.org/v1/ssh-ed25519";
const RSA_LABEL = Buffer.from("age-encryption.org/v1/ssh-rsa", "latin1");

/** @noble/curves' Ed25519 (for the Montgomery conversions), loaded when an SSH key is first used. */
let ed25519Module: Promise<typeof import("@noble/curves/ed25519.js")> | undefined;
function loadEd25519(): Promise<typeof import("@noble/curves/ed25519.js")> {
  return (ed25519Module ??= import("@noble/curves/ed25519.js"));
}

function stanza(args: string[], body: Uint8Array): AgeStanza {
  return { args, body };
}

function sshTag(wire: Uint8Array): string {
  return encodeBase64NoPad(createHash("sha256").update(wire).digest().subarray(0, 4));
}

function ed25519Tweak(wire: Uint8Array): Uint8Array {
  return hkdfSha256(new Uint8Array(0), wire, ED25519_LABEL);
}

/** Encrypts file keys to an SSH public key. */
export function sshRecipient(publicKey: SshPublicKey): Recipient {
  const tag = sshTag(publicKey.wire);
  if (publicKey.type === "ssh-rsa") {
    const key = publicKey.key;
    return {
      wrapFileKey: (fileKey) => [
        stanza(["ssh-rsa", tag], rsaEncrypt(key, fileKey)),
      ],
    };
  }
  const tweak = importX25519Secret(ed25519Tweak(publicKey.wire));
  return {
    wrapFileKey: async (fileKey) => {
      const montgomery = (await loadEd25519()).ed25519.utils.toMontgomery(publicKey.key);
      const { secret, share } = ephemeralX25519();
      const shared = x25519(tweak, x25519(secret, montgomery));
      const wrapKey = hkdfSha256(shared, new Uint8Array([...share, ...montgomery]), ED25519_LABEL);
      return [stanza(["ssh-ed25519", tag, encodeBase64NoPad(share)], sealFileKey(wrapKey, fileKey))];
    },
  };
}

/** Decrypts file keys wrapped to the public half of an SSH private key. */
export function sshIdentity(privateKey: SshPrivateKey): Identity {
  const tag = sshTag(privateKey.publicKey.wire);
  if (privateKey.type === "ssh-rsa") {
    const key = privateKey.key;
    return {
      unwrapFileKey(stanzas) {
        for (const stanza of stanzas) {
          if (stanza.args[0] !== "ssh-rsa") continue;
          if (stanza.args.length !== 2) throw new Error("invalid ssh-rsa stanza");
          if (stanza.args[1] !== tag) continue;
          try {
            return rsaDecrypt(key, stanza.body);
          } catch {
            throw new OwnedStanzaError("the ssh-rsa stanza for this key does not decrypt");
          }
        }
        return null;
      },
    };
  }
  const tweak = importX25519Secret(ed25519Tweak(privateKey.publicKey.wire));
  let converted: { secret: KeyObject; ownPoint: Uint8Array } | undefined;
  return {
    async unwrapFileKey(stanzas) {
      if (converted === undefined) {
        const secret = importX25519Secret((await loadEd25519()).ed25519.utils.toMontgomerySecret(privateKey.seed));
        converted = { secret, ownPoint: x25519PublicBytes(secret) };
      }
      const { secret, ownPoint } = converted;
      for (const stanza of stanzas) {
        if (stanza.args[0] !== "ssh-ed25519") continue;
        const share = stanza.args.length === 3 ? decodeBase64NoPad(stanza.args[2] ?? "") : null;
        if (share === null || share.length !== 32) throw new Error("invalid ssh-ed25519 stanza");
        if (stanza.args[1] !== tag) continue;
        let fileKey: Uint8Array | null = null;
        try {
          const shared = x25519(tweak, x25519(secret, share));
          fileKey = openFileKey(hkdfSha256(shared, new Uint8Array([...share, ...ownPoint]), ED25519_LABEL), stanza.body);
        } catch {
          fileKey = null;
        }
        if (fileKey === null) throw new OwnedStanzaError("the ssh-ed25519 stanza for this key does not decrypt");
        return fileKey;
      }
      return null;
    },
  };
}

function rsaEncrypt(key: KeyObject, fileKey: Uint8Array): Uint8Array {
  return new Uint8Array(
    publicEncrypt({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: "sha256", oaepLabel: RSA_LABEL }, fileKey),
  );
}

function rsaDecrypt(key: KeyObject, body: Uint8Array): Uint8Array {
  return new Uint8Array(
    privateDecrypt({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: "sha256", oaepLabel: RSA_LABEL }, body),
  );
}
