/**
 * The checks kube-apiserver makes before it starts with an EncryptionConfiguration: those of its
 * config validation and those it makes while building the transformers (wildcard masking).
 * Each error names the field and the release that introduced the check (`since`), so a file can
 * be judged for an older control plane (`--kube-version 1.20`).
 */
import type { DecodedEntry, DecodedKey, DecodedKms, DecodedProvider } from "./encryption-config.js";
import type { ConfigError } from "./yaml-reader.js";

/** "The newest rules": judged as the latest release would. */
export const LATEST = Number.POSITIVE_INFINITY;

/** Resource-name rules, in-list overlap and cross-entry masking arrived with wildcards in 1.27. */
const RESOURCE_RULES_SINCE = 27;
/** KMS apiVersion, v2-only rules and provider-name uniqueness arrived with KMS v2 in 1.25. */
const KMS_V2_RULES_SINCE = 25;

const AES_KEY_SIZES = [16, 24, 32];
const SECRETBOX_KEY_SIZES = [32];
/** Stored in etcd without a REST API of their own: kube-apiserver refuses to encrypt them. */
const NON_REST_RESOURCES = new Set(["apiserveripinfo", "serviceipallocations", "servicenodeportallocations"]);

export interface ValidateOptions {
  automaticReload: boolean;
  kubeMinor: number;
}

export function validateEncryptionConfig(entries: readonly DecodedEntry[], options: ValidateOptions): ConfigError[] {
  const errors: ConfigError[] = [];
  if (entries.length === 0) return [{ path: "resources", message: "at least one resources entry is required" }];
  const kmsNames = new Set<string>();
  for (const entry of entries) {
    if (entry.resources.length === 0) errors.push({ path: `${entry.path}.resources`, message: "at least one resource is required" });
    errors.push(...resourceListErrors(entry));
    if (entry.providers.length === 0) errors.push({ path: `${entry.path}.providers`, message: "at least one provider is required" });
    for (const provider of entry.providers) errors.push(...providerErrors(provider, kmsNames, options));
  }
  errors.push(...maskingErrors(entries));
  return errors;
}

interface GroupResource {
  group: string;
  resource: string;
}

/** Kubernetes' ParseGroupResource: "deployments.apps" -> {apps, deployments}; "*." -> {"", "*"}. */
export function parseGroupResource(text: string): GroupResource {
  const dot = text.indexOf(".");
  return dot < 0 ? { group: "", resource: text } : { group: text.slice(dot + 1), resource: text.slice(0, dot) };
}

/** As kube-apiserver writes it in messages: "secrets", "*." (core wildcard), "deployments.apps". */
function grText(gr: GroupResource): string {
  if (gr.group === "") return gr.resource === "*" ? "*." : gr.resource;
  return `${gr.resource}.${gr.group}`;
}

function resourceListErrors(entry: DecodedEntry): ConfigError[] {
  const path = `${entry.path}.resources`;
  const since = RESOURCE_RULES_SINCE;
  const errors: ConfigError[] = [];
  const parsed = entry.resources.map(parseGroupResource);
  let duplicate = false;
  let overlap = false;
  parsed.forEach((a, i) =>
    parsed.forEach((b, j) => {
      if (i === j) return;
      if (a.group === b.group && a.resource === b.resource) duplicate = true;
      else if ((a.group === "*" && a.resource === "*") || (a.group === b.group && (a.resource === "*" || b.resource === "*"))) overlap = true;
    }),
  );
  if (duplicate) errors.push({ path, message: "the same resource cannot be specified multiple times", since });
  if (overlap) errors.push({ path, message: "overlapping resources (such as 'secrets' and '*.') in the same list are not allowed: one masks the other", since });
  entry.resources.forEach((name, index) => {
    const message = resourceNameProblem(name);
    if (message !== undefined) errors.push({ path: `${path}[${index}]`, message, since });
  });
  return errors;
}

function resourceNameProblem(name: string): string | undefined {
  if (name.toLowerCase() !== name) return "resource name must not contain capital letters";
  if (name === "*") return "'*' is not allowed: use '*.' for every resource of the core group or '*.*' for every resource";
  if (NON_REST_RESOURCES.has(name)) return "resources without a REST API cannot be encrypted";
  const { group, resource } = parseGroupResource(name);
  if (group === "events.k8s.io") return "events.k8s.io objects are stored in the 'events' resource: name 'events' instead";
  if (group === "extensions") return "the 'extensions' group has been removed and cannot be used for encryption";
  if (group === "*" && resource !== "*") return "encrypting the same resource across groups ('name.*') is not supported";
  return undefined;
}

/** kube-apiserver refuses a resource that an earlier `*.group` or `*.*` entry already covers. */
function maskingErrors(entries: readonly DecodedEntry[]): ConfigError[] {
  const seen = new Set<string>();
  const errors: ConfigError[] = [];
  for (const entry of entries) {
    entry.resources.forEach((name, index) => {
      const gr = parseGroupResource(name);
      for (const mask of [{ group: gr.group, resource: "*" }, { group: "*", resource: "*" }]) {
        if (seen.has(grText(mask))) {
          errors.push({ path: `${entry.path}.resources[${index}]`, message: `resource "${grText(gr)}" is masked by earlier rule "${grText(mask)}"`, since: RESOURCE_RULES_SINCE });
          return;
        }
      }
      seen.add(grText(gr));
    });
  }
  return errors;
}

function providerErrors(provider: DecodedProvider, kmsNames: Set<string>, options: ValidateOptions): ConfigError[] {
  if (provider.types.length === 0) {
    return [{ path: provider.path, message: "no provider set: expected one of aescbc, aesgcm, secretbox, kms, identity (a bare 'identity:' needs '{}')" }];
  }
  const errors: ConfigError[] = [];
  if (provider.types.length > 1) {
    errors.push({ path: provider.path, message: `more than one provider in one list element (${provider.types.join(", ")}): give each its own element` });
  }
  // kube-apiserver validates the settings of one type, in this order.
  const type = (["kms", "aesgcm", "aescbc", "secretbox"] as const).find((candidate) => provider.types.includes(candidate));
  if (type === "kms" && provider.kms !== undefined) errors.push(...kmsErrors(provider.kms, kmsNames, options));
  else if (type !== undefined) errors.push(...keyErrors(provider.keys, `${provider.path}.${type}.keys`, type === "secretbox" ? SECRETBOX_KEY_SIZES : AES_KEY_SIZES));
  return errors;
}

function keyErrors(keys: readonly DecodedKey[], path: string, sizes: readonly number[]): ConfigError[] {
  if (keys.length === 0) return [{ path, message: "at least one key is required" }];
  return keys.flatMap((key): ConfigError[] => {
    const errors: ConfigError[] = [];
    if (key.name === "") errors.push({ path: `${key.path}.name`, message: "name is required for a key" });
    if (key.secretProblem === "missing") errors.push({ path: `${key.path}.secret`, message: "secret is required for a key" });
    else if (key.secretProblem === "base64") errors.push({ path: `${key.path}.secret`, message: "secret must be standard base64 (with padding)" });
    else if (key.secretLength !== undefined && !sizes.includes(key.secretLength)) {
      errors.push({ path: `${key.path}.secret`, message: `secret decodes to ${key.secretLength} bytes, expected ${sizes.join(", ")}` });
    }
    return errors;
  });
}

function kmsErrors(kms: DecodedKms, names: Set<string>, options: ValidateOptions): ConfigError[] {
  const errors: ConfigError[] = [];
  const at = (field: string): string => `${kms.path}.${field}`;
  const since = KMS_V2_RULES_SINCE;
  if (kms.name === "") errors.push({ path: at("name"), message: "name is required for a kms provider" });
  if (kms.apiVersion !== "v1" && kms.name.includes(":")) errors.push({ path: at("name"), message: `kms v2 provider name "${kms.name}" must not contain ':'`, since });
  if ((options.automaticReload || kms.apiVersion !== "v1") && names.has(kms.name)) {
    errors.push({ path: at("name"), message: `duplicate kms provider name "${kms.name}": names must be unique`, since });
  }
  names.add(kms.name);
  if (!(kms.timeoutNs > 0) && !Number.isNaN(kms.timeoutNs)) errors.push({ path: at("timeout"), message: "timeout must be positive" });
  const endpointProblem = kmsEndpointProblem(kms.endpoint);
  if (endpointProblem !== undefined) errors.push({ path: at("endpoint"), message: endpointProblem });
  if (kms.apiVersion !== "v1" && kms.cachesize !== undefined) errors.push({ path: at("cachesize"), message: "cachesize is not supported by kms v2", since });
  if (kms.apiVersion === "v1" && kms.cachesize === 0) errors.push({ path: at("cachesize"), message: "cachesize must be positive, or negative to disable the cache" });
  if (kms.apiVersion !== "v1" && kms.apiVersion !== "v2") errors.push({ path: at("apiVersion"), message: `kms apiVersion ${kms.apiVersion} is not supported: use v2 (or v1)`, since });
  return errors;
}

function kmsEndpointProblem(endpoint: string): string | undefined {
  if (endpoint === "") return "endpoint is required for a kms provider (unix:///path/to/socket)";
  // Go's url.Parse refuses ASCII control characters; the scheme must then be unix.
  if (/[\u0000-\u001f\u007f]/.test(endpoint)) return "endpoint is not a valid URL";
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(endpoint)?.[1] ?? "";
  if (scheme.toLowerCase() !== "unix") return `endpoint scheme "${scheme}" is not supported: only unix:// sockets are`;
  return undefined;
}

/** "1.20", "v1.29.3", "1.27.0-eks-1234" -> the minor number; undefined when not a 1.x version. */
export function parseKubeMinor(text: string): number | undefined {
  const match = /^v?1\.(\d+)(?:\.\d+)?(?:[-+].*)?$/.exec(text.trim());
  return match === null ? undefined : Number(match[1]);
}
