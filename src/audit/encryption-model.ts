/**
 * What an EncryptionConfiguration means once parsed: for each group of resources, the providers
 * in order (the first one writes, every one can read). `audit encryption-config` produces it;
 * `audit etcd` uses it to tell which key should have written an object.
 */

export type EncryptionProviderType = "identity" | "aescbc" | "aesgcm" | "secretbox" | "kms";

/** One key a provider holds: its `name` in the config (for kms, the provider's name). */
export interface ProviderKey {
  provider: EncryptionProviderType;
  /** Key name (aescbc/aesgcm/secretbox) or KMS provider name; undefined for identity. */
  name?: string | undefined;
  /** For kms: "v1" (the default when apiVersion is absent) or "v2". */
  kmsApiVersion?: "v1" | "v2" | undefined;
}

/** One `resources:` entry: the resource names as written and its keys in reading order. */
export interface ResourceEncryption {
  /** As written: "secrets", "deployments.apps", "*.apps", "*." (core group), "*.*". */
  resources: string[];
  /**
   * Every key, in the order kube-apiserver tries them: providers in order and, within a
   * provider, its keys in order. The first entry is the writing key.
   */
  keys: ProviderKey[];
}

export interface EncryptionModel {
  entries: ResourceEncryption[];
}

/** The etcd prefix an encrypted value carries for `key`, e.g. `k8s:enc:aescbc:v1:key1:`. */
export function storagePrefix(key: ProviderKey): string | undefined {
  if (key.provider === "identity") return undefined;
  const version = key.provider === "kms" ? (key.kmsApiVersion ?? "v1") : "v1";
  return `k8s:enc:${key.provider}:${version}:${key.name ?? ""}:`;
}

/**
 * The entry that governs `resource` in API group `group` ("" for the core group): the first
 * entry, in file order, that names it exactly (`secrets`, `deployments.apps`), by its group
 * (`*.apps`, `*.` for core) or as `*.*`. kube-apiserver uses the first match (and rejects a
 * config where a wildcard masks a later exact entry). Undefined when nothing covers it.
 */
export function encryptionFor(model: EncryptionModel, resource: string, group: string): ResourceEncryption | undefined {
  const names = new Set([group === "" ? resource : `${resource}.${group}`, group === "" ? "*." : `*.${group}`, "*.*"]);
  return model.entries.find((entry) => entry.resources.some((name) => names.has(name)));
}
