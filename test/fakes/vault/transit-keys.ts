/**
 * The fake's transit keyring: AES-256-GCM keys with versions, kept per namespace and mount, and
 * Vault's ciphertext format `vault:v<N>:base64(nonce(12) || ciphertext || tag(16))`. Errors are
 * the strings Vault's transit backend returns (all HTTP 400).
 */
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

export class TransitUserError extends Error {}

export class TransitKeyring {
  private readonly keys = new Map<string, Buffer[]>();
  private readonly mounts = new Set<string>();

  hasMount(namespace: string, mount: string): boolean {
    return this.mounts.has(`${namespace}|${mount}`);
  }

  addMount(namespace: string, mount: string): void {
    this.mounts.add(`${namespace}|${mount}`);
  }

  has(namespace: string, mount: string, name: string): boolean {
    return this.keys.has(slot(namespace, mount, name));
  }

  /** Creates a key (and its mount) if missing; creating an existing key is a no-op, as in Vault. */
  create(namespace: string, mount: string, name: string): void {
    this.addMount(namespace, mount);
    if (!this.keys.has(slot(namespace, mount, name))) this.keys.set(slot(namespace, mount, name), [randomBytes(32)]);
  }

  /** Adds a key version; new encryptions use it, old ciphertexts still decrypt. */
  rotate(namespace: string, mount: string, name: string): number {
    const versions = this.versions(namespace, mount, name);
    versions.push(randomBytes(32));
    return versions.length;
  }

  latestVersion(namespace: string, mount: string, name: string): number {
    return this.versions(namespace, mount, name).length;
  }

  encrypt(namespace: string, mount: string, name: string, plaintextBase64: unknown): string {
    if (typeof plaintextBase64 !== "string") throw new TransitUserError("missing plaintext to encrypt");
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(plaintextBase64) || plaintextBase64.length % 4 !== 0) {
      throw new TransitUserError("failed to base64-decode plaintext");
    }
    const versions = this.versions(namespace, mount, name);
    const version = versions.length;
    const nonce = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", versions[version - 1] as Buffer, nonce);
    const body = Buffer.concat([cipher.update(Buffer.from(plaintextBase64, "base64")), cipher.final()]);
    return `vault:v${version}:${Buffer.concat([nonce, body, cipher.getAuthTag()]).toString("base64")}`;
  }

  /** Returns the plaintext as base64, or throws a TransitUserError with Vault's message. */
  decrypt(namespace: string, mount: string, name: string, ciphertext: unknown): string {
    if (typeof ciphertext !== "string" || ciphertext === "") throw new TransitUserError("missing ciphertext to decrypt");
    if (!ciphertext.startsWith("vault:")) throw new TransitUserError("invalid ciphertext: no prefix");
    const parts = ciphertext.split(":");
    if (parts.length !== 3) throw new TransitUserError("invalid ciphertext: wrong number of fields");
    const versionText = parts[1] ?? "";
    const version = /^v[0-9]+$/.test(versionText) ? Number(versionText.slice(1)) : Number.NaN;
    if (!Number.isInteger(version) || version < 1) throw new TransitUserError("invalid ciphertext: version number could not be decoded");
    const versions = this.versions(namespace, mount, name);
    const secret = versions[version - 1];
    if (secret === undefined) throw new TransitUserError("invalid ciphertext: version is too new");
    const payloadText = parts[2] ?? "";
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(payloadText) || payloadText.length % 4 !== 0) {
      throw new TransitUserError("invalid ciphertext: could not decode base64");
    }
    const payload = Buffer.from(payloadText, "base64");
    if (payload.length < 12 + 16) throw new TransitUserError("invalid ciphertext: unable to decrypt");
    try {
      const decipher = createDecipheriv("aes-256-gcm", secret, payload.subarray(0, 12));
      decipher.setAuthTag(payload.subarray(payload.length - 16));
      const plain = Buffer.concat([decipher.update(payload.subarray(12, payload.length - 16)), decipher.final()]);
      return plain.toString("base64");
    } catch {
      throw new TransitUserError("cipher: message authentication failed");
    }
  }

  private versions(namespace: string, mount: string, name: string): Buffer[] {
    const versions = this.keys.get(slot(namespace, mount, name));
    if (versions === undefined) throw new TransitUserError("encryption key not found");
    return versions;
  }
}

function slot(namespace: string, mount: string, name: string): string {
  return `${namespace}|${mount}|${name}`;
}
