/**
 * `parseEncryptionConfig`: reads an EncryptionConfiguration (YAML or JSON) the way kube-apiserver
 * does, says whether it would start with it (and why not, by field path), and builds the
 * {@link EncryptionModel} both audits use. Secrets are decoded only to measure their length;
 * no key material is kept in the result.
 */
import type { Node } from "yaml";
import type { EncryptionModel, EncryptionProviderType, ProviderKey } from "./encryption-model.js";
import { validateEncryptionConfig, LATEST } from "./encryption-validate.js";
import { parseGoDuration, YamlReader, type ConfigError, type Position } from "./yaml-reader.js";

export type { ConfigError, Position } from "./yaml-reader.js";

export const ENCRYPTION_CONFIG_API_VERSION = "apiserver.config.k8s.io/v1";
export const ENCRYPTION_CONFIG_KIND = "EncryptionConfiguration";

export interface DecodedKey {
  path: string;
  name: string;
  /** Decoded length in bytes; undefined when the secret is missing or not base64. */
  secretLength?: number | undefined;
  secretProblem?: "missing" | "base64" | undefined;
}

export interface DecodedKms {
  path: string;
  name: string;
  endpoint: string;
  /** "v1" when absent (or, before 1.25, whatever is written: the field did not exist). */
  apiVersion: string;
  cachesize?: number | undefined;
  /** Nanoseconds; the default is 3 s. NaN when the text is not a Go duration. */
  timeoutNs: number;
}

export interface DecodedProvider {
  path: string;
  /** The provider types set in this list element (kube-apiserver wants exactly one). */
  types: EncryptionProviderType[];
  /** For aescbc/aesgcm/secretbox: the keys of the first such type. */
  keys: DecodedKey[];
  kms?: DecodedKms | undefined;
}

export interface DecodedEntry {
  path: string;
  resources: string[];
  providers: DecodedProvider[];
}

export interface ParseOptions {
  /** Judge as kube-apiserver 1.N would (e.g. 20 for 1.20); default: the newest rules. */
  kubeMinor?: number | undefined;
  /** `--encryption-provider-config-automatic-reload` is set (KMS v1 names must be unique). */
  automaticReload?: boolean | undefined;
}

export interface ParsedEncryptionConfig {
  /** Would kube-apiserver start with this file? */
  valid: boolean;
  /** Why not, each naming the field; empty when valid. */
  errors: ConfigError[];
  /** The resources and their keys in reading order (best effort when invalid). */
  model: EncryptionModel;
  /**
   * Are new writes of Secrets encrypted under this file (the writing provider is not identity)?
   * False when the file is invalid: kube-apiserver does not run with it.
   */
  secretsEncrypted: boolean;
  /** The decoded entries (lengths, names and settings only: no key material). */
  entries: DecodedEntry[];
  /** Fields kube-apiserver does not know (ignored before 1.31, refused from 1.31). */
  unknownFields: string[];
  /** True when the file is not an object at all (empty, not YAML): there is nothing to audit. */
  undecodable: boolean;
  /** The release the file was judged for (Infinity: the newest rules). */
  kubeMinor: number;
  /** The line and column of a field path, or of its nearest parent that has one. */
  positionOf(path: string): Position | undefined;
}

const PROVIDER_TYPES: readonly EncryptionProviderType[] = ["aescbc", "aesgcm", "secretbox", "identity", "kms"];
const DEFAULT_KMS_TIMEOUT_NS = 3e9;
/** The kms `apiVersion` field (and KMS v2) arrived in 1.25. */
export const KMS_API_VERSION_SINCE = 25;

export function parseEncryptionConfig(text: string, options: ParseOptions = {}): ParsedEncryptionConfig {
  const kubeMinor = options.kubeMinor ?? LATEST;
  const reader = new YamlReader(text);
  const entries = text.trim() === "" ? emptyFile(reader) : decode(reader, kubeMinor);
  // A file that is not a mapping at all (empty, not YAML) gets that one error, not a cascade.
  const undecodable = reader.errors.some((error) => error.path === "");
  const errors = [...reader.errors, ...(undecodable ? [] : validateEncryptionConfig(entries, { automaticReload: options.automaticReload === true, kubeMinor }))];
  const applicable = errors.filter((error) => error.since === undefined || error.since <= kubeMinor);
  const model = buildModel(entries, kubeMinor);
  const secrets = secretsEntry(model, kubeMinor);
  return {
    valid: applicable.length === 0,
    errors: applicable,
    model,
    secretsEncrypted: applicable.length === 0 && secrets?.keys[0] !== undefined && secrets.keys[0].provider !== "identity",
    entries,
    unknownFields: reader.unknownFields,
    kubeMinor,
    undecodable,
    positionOf: (path) => reader.positionOf(path),
  };
}

function emptyFile(reader: YamlReader): DecodedEntry[] {
  reader.errors.push({ path: "", message: "the file is empty" });
  return [];
}

function decode(reader: YamlReader, kubeMinor: number): DecodedEntry[] {
  if (reader.root === null) return [];
  const top = reader.fields(reader.root, "", ["apiVersion", "kind", "resources"]);
  if (top === undefined) {
    if (reader.errors.length === 0) reader.errors.push({ path: "", message: "the file is empty" });
    return [];
  }
  const apiVersion = reader.string(top.get("apiVersion"), "apiVersion");
  const kind = reader.string(top.get("kind"), "kind");
  if (kind === "") reader.errors.push({ path: "kind", message: "kind is missing (expected EncryptionConfiguration)" });
  else if (kind !== ENCRYPTION_CONFIG_KIND) reader.errors.push({ path: "kind", message: `kind is ${kind}, expected ${ENCRYPTION_CONFIG_KIND}` });
  if (apiVersion !== ENCRYPTION_CONFIG_API_VERSION) {
    reader.errors.push({ path: "apiVersion", message: `apiVersion must be ${ENCRYPTION_CONFIG_API_VERSION}${apiVersion === "" ? "" : `, not ${apiVersion}`}` });
  }
  return reader.list(top.get("resources"), "resources").map(({ node, path }) => decodeEntry(reader, node, path, kubeMinor));
}

function decodeEntry(reader: YamlReader, node: Node | null, path: string, kubeMinor: number): DecodedEntry {
  const fields = reader.fields(node, path, ["resources", "providers"]);
  const resources = reader.list(fields?.get("resources"), `${path}.resources`).map((item) => reader.string(item.node, item.path));
  const providers = reader.list(fields?.get("providers"), `${path}.providers`).map((item) => decodeProvider(reader, item.node, item.path, kubeMinor));
  return { path, resources, providers };
}

function decodeProvider(reader: YamlReader, node: Node | null, path: string, kubeMinor: number): DecodedProvider {
  const fields = reader.fields(node, path, PROVIDER_TYPES);
  const types: EncryptionProviderType[] = [];
  let keys: DecodedKey[] | undefined;
  let kms: DecodedKms | undefined;
  for (const type of PROVIDER_TYPES) {
    const value = fields?.get(type);
    // A null value is a nil pointer in Go: `- identity:` without `{}` sets no provider at all.
    const settings = reader.fields(value ?? null, `${path}.${type}`, type === "kms" ? ["apiVersion", "name", "endpoint", "cachesize", "timeout"] : type === "identity" ? [] : ["keys"]);
    if (settings === undefined) continue;
    types.push(type);
    if (type === "kms") kms ??= decodeKms(reader, settings, `${path}.kms`, kubeMinor);
    else if (type !== "identity") keys ??= reader.list(settings.get("keys"), `${path}.${type}.keys`).map((item) => decodeKey(reader, item.node, item.path));
  }
  return { path, types, keys: keys ?? [], kms };
}

function decodeKey(reader: YamlReader, node: Node | null, path: string): DecodedKey {
  const fields = reader.fields(node, path, ["name", "secret"]);
  const name = reader.string(fields?.get("name"), `${path}.name`);
  const secret = reader.string(fields?.get("secret"), `${path}.secret`);
  if (secret === "") return { path, name, secretProblem: "missing" };
  const length = base64Length(secret);
  return length === undefined ? { path, name, secretProblem: "base64" } : { path, name, secretLength: length };
}

function decodeKms(reader: YamlReader, fields: Map<string, Node | null>, path: string, kubeMinor: number): DecodedKms {
  const written = reader.string(fields.get("apiVersion"), `${path}.apiVersion`);
  const timeoutText = reader.string(fields.get("timeout"), `${path}.timeout`);
  const timeoutNs = timeoutText === "" ? DEFAULT_KMS_TIMEOUT_NS : (parseGoDuration(timeoutText) ?? Number.NaN);
  if (Number.isNaN(timeoutNs)) reader.errors.push({ path: `${path}.timeout`, message: `timeout "${timeoutText}" is not a duration (e.g. 3s)` });
  return {
    path,
    name: reader.string(fields.get("name"), `${path}.name`),
    endpoint: reader.string(fields.get("endpoint"), `${path}.endpoint`),
    // Before 1.25 the field did not exist: every kms provider was v1 whatever the file said.
    apiVersion: kubeMinor < KMS_API_VERSION_SINCE || written === "" ? "v1" : written,
    cachesize: reader.int32(fields.get("cachesize"), `${path}.cachesize`),
    timeoutNs,
  };
}

/**
 * The decoded length of standard base64 as Go's StdEncoding reads it (padding required, CR and
 * LF ignored), or undefined when Go would refuse it. The key bytes are never materialised.
 */
export function base64Length(text: string): number | undefined {
  const compact = text.replace(/[\r\n]/g, "");
  if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(compact)) return undefined;
  const padding = compact.endsWith("==") ? 2 : compact.endsWith("=") ? 1 : 0;
  return (compact.length / 4) * 3 - padding;
}

function buildModel(entries: readonly DecodedEntry[], kubeMinor: number): EncryptionModel {
  return {
    entries: entries.map((entry) => ({
      resources: [...entry.resources],
      keys: entry.providers.flatMap((provider): ProviderKey[] => {
        const type = provider.types[0];
        if (type === undefined) return [];
        if (type === "identity") return [{ provider: "identity" }];
        if (type === "kms") {
          const version = provider.kms?.apiVersion === "v2" && kubeMinor >= KMS_API_VERSION_SINCE ? "v2" : "v1";
          return [{ provider: "kms", name: provider.kms?.name, kmsApiVersion: version }];
        }
        return provider.keys.map((key) => ({ provider: type, name: key.name }));
      }),
    })),
  };
}

/**
 * Wildcards became part of the config in 1.27. Before, kube-apiserver's storage factory still
 * applied an entry for resource `*` of a group to the whole group, so `*.` (and `*`) covered
 * every core resource, Secrets included, while `*.*` and `name.*` matched nothing (checked
 * against kube-apiserver 1.20.2 in test/cluster/encryption-config-real.test.ts).
 */
export const WILDCARDS_SINCE = 27;

/** The entry kube-apiserver uses for Secrets: an exact `secrets` first, then the core wildcard, then `*.*`. */
export function secretsEntry(model: EncryptionModel, kubeMinor: number = LATEST): EncryptionModel["entries"][number] | undefined {
  const groups = kubeMinor >= WILDCARDS_SINCE ? [["secrets"], ["*."], ["*.*"]] : [["secrets"], ["*.", "*"]];
  for (const names of groups) {
    const entry = model.entries.find((candidate) => candidate.resources.some((name) => names.includes(name)));
    if (entry !== undefined) return entry;
  }
  return undefined;
}
