/**
 * SSH keys as age uses them: authorized_keys-style public lines (`ssh-ed25519 AAAA… comment`,
 * `ssh-rsa AAAA… comment`) and private key files (unencrypted `openssh-key-v1`, and PEM/PKCS#8
 * keys that node:crypto reads). Errors are plain Errors without key material; callers attach the
 * source and a code.
 */
import { createPrivateKey, createPublicKey, type KeyObject } from "node:crypto";
import {
  base64Url,
  bigIntToBytes,
  bytesToBigInt,
  decodeBase64Padded,
  latin1,
  mpintBody,
  WireReader,
  wireString,
} from "./encoding.js";

export type SshPublicKey =
  | { readonly type: "ssh-ed25519"; readonly wire: Uint8Array; readonly key: Uint8Array }
  | { readonly type: "ssh-rsa"; readonly wire: Uint8Array; readonly key: KeyObject };

export type SshPrivateKey =
  | { readonly type: "ssh-ed25519"; readonly publicKey: SshPublicKey; readonly seed: Uint8Array }
  | { readonly type: "ssh-rsa"; readonly publicKey: SshPublicKey; readonly key: KeyObject };

/** A private key that needs a passphrase; Coffer only reads unencrypted SSH keys. */
export class EncryptedSshKeyError extends Error {
  constructor() {
    super("the ssh private key is passphrase-protected");
    this.name = "EncryptedSshKeyError";
  }
}

/** `ssh-ed25519 AAAA…` (the canonical recipient form, without comment). */
export function sshPublicKeyLine(key: SshPublicKey): string {
  return `${key.type} ${Buffer.from(key.wire).toString("base64")}`;
}

/** Parses an authorized_keys-style line (options before the type are not accepted, as in age). */
export function parseSshPublicKey(line: string): SshPublicKey {
  const [type, blob] = line.trim().split(/\s+/);
  if (type !== "ssh-ed25519" && type !== "ssh-rsa") throw new Error("unsupported ssh key type");
  const wire = decodeBase64Padded(blob ?? "");
  if (wire === null) throw new Error("malformed ssh public key encoding");
  return parseSshWirePublicKey(wire, type);
}

/** Parses an SSH wire-format public key blob, checking it has the expected type. */
export function parseSshWirePublicKey(wire: Uint8Array, expectedType?: string): SshPublicKey {
  const reader = new WireReader(wire);
  const type = reader.text();
  if (expectedType !== undefined && type !== expectedType) throw new Error("ssh key type mismatch");
  if (type === "ssh-ed25519") {
    const key = reader.string();
    if (key.length !== 32 || !reader.done) throw new Error("malformed ssh-ed25519 public key");
    return { type, wire, key };
  }
  if (type === "ssh-rsa") {
    const e = reader.mpint();
    const n = reader.mpint();
    if (!reader.done) throw new Error("malformed ssh-rsa public key");
    const key = createPublicKey({ key: { kty: "RSA", n: base64Url(n), e: base64Url(e) }, format: "jwk" });
    return { type, wire, key };
  }
  throw new Error("unsupported ssh key type");
}

/** Whether a file's text looks like an SSH/PEM private key rather than an age identity file. */
export function looksLikeSshPrivateKey(text: string): boolean {
  return /^-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/.test(text.trimStart());
}

/** Parses an SSH private key file (OpenSSH format or PEM). */
export function parseSshPrivateKey(text: string): SshPrivateKey {
  const trimmed = text.trim();
  if (trimmed.startsWith("-----BEGIN OPENSSH PRIVATE KEY-----")) return parseOpenSshPrivateKey(trimmed);
  let key: KeyObject;
  try {
    key = createPrivateKey(trimmed);
  } catch (error) {
    if ((error as { code?: unknown }).code === "ERR_MISSING_PASSPHRASE") throw new EncryptedSshKeyError();
    throw new Error("malformed pem private key", { cause: error });
  }
  if (key.asymmetricKeyType === "rsa") return rsaPrivateKey(key);
  if (key.asymmetricKeyType === "ed25519") {
    const jwk = key.export({ format: "jwk" });
    if (typeof jwk.d !== "string") throw new Error("malformed ed25519 private key");
    return ed25519PrivateKey(new Uint8Array(Buffer.from(jwk.d, "base64url")));
  }
  throw new Error("unsupported private key type");
}

const OPENSSH_MAGIC = "openssh-key-v1\0";

function parseOpenSshPrivateKey(pem: string): SshPrivateKey {
  const body = pem
    .replace("-----BEGIN OPENSSH PRIVATE KEY-----", "")
    .replace("-----END OPENSSH PRIVATE KEY-----", "")
    .replace(/\s+/g, "");
  const bytes = new Uint8Array(Buffer.from(body, "base64"));
  if (Buffer.from(bytes.subarray(0, OPENSSH_MAGIC.length)).toString("latin1") !== OPENSSH_MAGIC) {
    throw new Error("malformed openssh private key");
  }
  const reader = new WireReader(bytes.subarray(OPENSSH_MAGIC.length));
  const cipher = reader.text();
  const kdf = reader.text();
  reader.string(); // kdf options
  if (cipher !== "none" || kdf !== "none") throw new EncryptedSshKeyError();
  if (reader.uint32() !== 1) throw new Error("openssh private key files with several keys are not supported");
  const publicWire = reader.string();
  const secret = new WireReader(reader.string());
  if (secret.uint32() !== secret.uint32()) throw new Error("malformed openssh private key");
  const type = secret.text();
  if (type === "ssh-ed25519") {
    const publicKey = secret.string();
    const privateKey = secret.string(); // seed || public key
    if (publicKey.length !== 32 || privateKey.length !== 64) throw new Error("malformed ssh-ed25519 private key");
    const parsed = ed25519PrivateKey(privateKey.subarray(0, 32));
    if (!Buffer.from(parsed.publicKey.wire).equals(Buffer.from(publicWire))) {
      throw new Error("openssh private key does not match its public key");
    }
    return parsed;
  }
  if (type === "ssh-rsa") {
    const n = secret.mpint();
    const e = secret.mpint();
    const d = secret.mpint();
    const qi = secret.mpint();
    const p = secret.mpint();
    const q = secret.mpint();
    const dInt = bytesToBigInt(d);
    const dp = bigIntToBytes(dInt % (bytesToBigInt(p) - 1n));
    const dq = bigIntToBytes(dInt % (bytesToBigInt(q) - 1n));
    const key = createPrivateKey({
      key: {
        kty: "RSA",
        n: base64Url(n),
        e: base64Url(e),
        d: base64Url(d),
        p: base64Url(p),
        q: base64Url(q),
        dp: base64Url(dp),
        dq: base64Url(dq),
        qi: base64Url(qi),
      },
      format: "jwk",
    });
    return rsaPrivateKey(key);
  }
  throw new Error("unsupported ssh key type");
}

function ed25519PrivateKey(seed: Uint8Array): SshPrivateKey {
  if (seed.length !== 32) throw new Error("malformed ed25519 private key");
  const pkcs8 = Buffer.concat([Buffer.from("302e020100300506032b657004220420", "hex"), seed]);
  const jwk = createPublicKey(createPrivateKey({ key: pkcs8, format: "der", type: "pkcs8" })).export({ format: "jwk" });
  if (typeof jwk.x !== "string") throw new Error("malformed ed25519 private key");
  const key = new Uint8Array(Buffer.from(jwk.x, "base64url"));
  const wire = wireString(latin1("ssh-ed25519"), key);
  return { type: "ssh-ed25519", publicKey: { type: "ssh-ed25519", wire, key }, seed };
}

function rsaPrivateKey(key: KeyObject): SshPrivateKey {
  const jwk = createPublicKey(key).export({ format: "jwk" });
  if (typeof jwk.n !== "string" || typeof jwk.e !== "string") throw new Error("malformed rsa private key");
  const n = new Uint8Array(Buffer.from(jwk.n, "base64url"));
  const e = new Uint8Array(Buffer.from(jwk.e, "base64url"));
  const wire = wireString(latin1("ssh-rsa"), mpintBody(e), mpintBody(n));
  return { type: "ssh-rsa", publicKey: parseSshWirePublicKey(wire, "ssh-rsa"), key };
}
