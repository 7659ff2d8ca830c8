/**
 * What an etcd value is, from its first bytes only: kube-apiserver's plaintext (`k8s\x00` +
 * protobuf, or JSON), or an encryption prefix `k8s:enc:<provider>:<version>:<name>:` naming the
 * provider and the key (or KMS plugin) that wrote it. Nothing past the prefix is looked at, and
 * nothing of the value is ever returned.
 */
import { storagePrefix, type EncryptionProviderType, type ProviderKey } from "../encryption-model.js";

export type StoredAs =
  | { kind: "plaintext"; encoding: "protobuf" | "json" }
  | { kind: "encrypted"; provider: EncryptionProviderType; version: string; name: string; prefix: string }
  | { kind: "unrecognized" };

const PROTOBUF_MAGIC = Buffer.from("k8s\x00", "latin1");
const ENCRYPTED_MAGIC = Buffer.from("k8s:enc:", "latin1");
const PROVIDERS = new Set<string>(["aescbc", "aesgcm", "secretbox", "kms"]);
/** A key or plugin name long enough for any real config; stops the search on garbage. */
const MAX_PREFIX = 300;

export function classifyValue(value: Buffer): StoredAs {
  if (value.subarray(0, 4).equals(PROTOBUF_MAGIC)) return { kind: "plaintext", encoding: "protobuf" };
  if (value.subarray(0, 8).equals(ENCRYPTED_MAGIC)) return classifyEncrypted(value);
  // JSON storage (--storage-media-type=application/json): an object, perhaps after whitespace.
  for (const byte of value.subarray(0, 64)) {
    if (byte === 0x7b) return { kind: "plaintext", encoding: "json" };
    if (byte !== 0x20 && byte !== 0x0a && byte !== 0x0d && byte !== 0x09) break;
  }
  return { kind: "unrecognized" };
}

function classifyEncrypted(value: Buffer): StoredAs {
  // k8s:enc:<provider>:<version>:<name>: — three more colons after the magic.
  const head = value.subarray(0, MAX_PREFIX);
  const colons: number[] = [];
  for (let i = ENCRYPTED_MAGIC.length; i < head.length && colons.length < 3; i++) {
    if (head[i] === 0x3a) colons.push(i);
  }
  if (colons.length < 3) return { kind: "unrecognized" };
  const [afterProvider, afterVersion, afterName] = colons as [number, number, number];
  const provider = head.subarray(ENCRYPTED_MAGIC.length, afterProvider).toString("latin1");
  const version = head.subarray(afterProvider + 1, afterVersion).toString("latin1");
  const name = head.subarray(afterVersion + 1, afterName).toString("utf8");
  if (!PROVIDERS.has(provider) || !/^v\d+$/.test(version) || name === "") return { kind: "unrecognized" };
  return {
    kind: "encrypted",
    provider: provider as EncryptionProviderType,
    version,
    name,
    prefix: head.subarray(0, afterName + 1).toString("utf8"),
  };
}

/** A short label for counts and reports: `plaintext`, `aescbc/key1`, `kms-v2/plugin`, `unrecognized`. */
export function storedLabel(stored: StoredAs): string {
  if (stored.kind !== "encrypted") return stored.kind;
  const provider = stored.provider === "kms" ? `kms-${stored.version}` : stored.provider;
  return `${provider}/${stored.name}`;
}

/** The same label for a key of the configuration. */
export function keyLabel(key: ProviderKey): string {
  if (key.provider === "identity") return "identity";
  const provider = key.provider === "kms" ? `kms-${key.kmsApiVersion ?? "v1"}` : key.provider;
  return `${provider}/${key.name ?? ""}`;
}

/**
 * Where `stored` sits among `keys` (reading order): 0 is the writing key, a higher index a key
 * that still reads it, -1 a key the list does not hold. Plaintext matches `identity`.
 */
export function keyIndex(stored: StoredAs, keys: readonly ProviderKey[]): number {
  if (stored.kind === "plaintext") return keys.findIndex((key) => key.provider === "identity");
  if (stored.kind === "unrecognized") return -1;
  return keys.findIndex((key) => storagePrefix(key) === stored.prefix);
}
