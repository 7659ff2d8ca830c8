/**
 * The CofferGenerator: a kustomize generator that decrypts Coffer/sops files in memory and emits
 * the plaintext resources. This module is pure: it reads and decrypts only through the
 * {@link GeneratorIo} it is given, and never writes anything.
 *
 *   apiVersion: coffer.dev/v1alpha1
 *   kind: CofferGenerator
 *   metadata: { name: app-secrets }
 *   files: [secret.enc.yaml]                 # encrypted manifests, any kind, multi-document
 *   secrets:                                 # Secrets built from encrypted inputs
 *     - name: app-env
 *       type: Opaque                         # default Opaque
 *       envs: [app.enc.env]                  # dotenv (or flat JSON/YAML): one key per entry
 *       files: [tls.crt=cert.enc.pem, ca.enc.pem]   # whole file as one key (default: basename without .enc)
 *       options: { nameSuffixHash: true, labels: {}, annotations: {} }
 *       behavior: create                     # or merge / replace (kustomize generator behavior)
 */
import { parseAllDocuments } from "yaml";
import { CofferError } from "../errors.js";
import { formatFromPath } from "../formats/index.js";
import type { FormatName } from "../formats/store.js";
import { isRecord } from "../records.js";

export const GENERATOR_API_VERSION = "coffer.dev/v1alpha1";
export const GENERATOR_KIND = "CofferGenerator";

/** Annotations kustomize reads on a generator's output (and removes before printing). */
export const NEEDS_HASH_ANNOTATION = "kustomize.config.k8s.io/needs-hash";
export const BEHAVIOR_ANNOTATION = "kustomize.config.k8s.io/behavior";

/** A Kubernetes object as plain data. */
export type KubeObject = Record<string, unknown>;

export interface SecretFileSource {
  key: string;
  path: string;
}

export interface SecretSpec {
  name: string;
  namespace: string | undefined;
  type: string;
  envs: string[];
  files: SecretFileSource[];
  behavior: "create" | "merge" | "replace" | undefined;
  nameSuffixHash: boolean;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export interface GeneratorConfig {
  name: string;
  files: string[];
  secrets: SecretSpec[];
}

/**
 * How the generator reaches files: `decrypt` returns the plaintext of the encrypted file at
 * `path` (relative to the kustomization), re-emitted as `outputFormat`. Paths are checked by the
 * implementation (it refuses files outside the kustomization root).
 */
export interface GeneratorIo {
  decrypt(path: string, formats: { format: FormatName; outputFormat: FormatName }): Promise<Uint8Array>;
}

/** A Kubernetes Secret data key: what the API server accepts. */
const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function invalid(message: string, hint = "see the CofferGenerator format in 'coffer kustomize-function --help'"): CofferError {
  return new CofferError("GENERATOR_INVALID", message, { hint });
}


function stringList(value: unknown, where: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every((item) => typeof item === "string" && item !== "")) {
    throw invalid(`${where} must be a list of file paths`);
  }
  return value as string[];
}

function stringMap(value: unknown, where: string): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (!isRecord(value) || !Object.values(value).every((item) => typeof item === "string")) {
    throw invalid(`${where} must map names to strings`);
  }
  return value as Record<string, string>;
}

function optionalString(value: unknown, where: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string" || value === "") throw invalid(`${where} must be a non-empty string`);
  return value;
}

/** `key=path` or `path` (key: the file name without its `.enc` part). */
function fileSource(entry: string, where: string): SecretFileSource {
  const eq = entry.indexOf("=");
  const path = eq === -1 ? entry : entry.slice(eq + 1);
  const key = eq === -1 ? defaultKeyFor(path) : entry.slice(0, eq);
  if (path === "") throw invalid(`${where}: '${entry}' names no file`);
  if (!SECRET_KEY.test(key)) throw invalid(`${where}: '${key}' is not a valid Secret key`, "keys may hold letters, digits, '-', '_' and '.'; write KEY=PATH to choose one");
  return { key, path };
}

/** `cert.enc.pem` -> `cert.pem`, `tls.key.enc` -> `tls.key`, `ca.pem` -> `ca.pem`. */
export function defaultKeyFor(path: string): string {
  const base = path.split("/").pop() ?? path;
  return base.replace(/\.enc(?=\.|$)/, "");
}

function parseSecret(value: unknown, index: number): SecretSpec {
  const where = `secrets[${index}]`;
  if (!isRecord(value)) throw invalid(`${where} must be a map`);
  const name = optionalString(value.name, `${where}.name`);
  if (name === undefined || !DNS_SUBDOMAIN.test(name) || name.length > 253) {
    throw invalid(`${where}.name must be a Kubernetes object name`, "lowercase letters, digits, '-' and '.'");
  }
  const options = value.options === undefined || value.options === null ? {} : value.options;
  if (!isRecord(options)) throw invalid(`${where}.options must be a map`);
  const hash = options.nameSuffixHash ?? false;
  if (typeof hash !== "boolean") throw invalid(`${where}.options.nameSuffixHash must be true or false`);
  const behavior = optionalString(value.behavior, `${where}.behavior`);
  if (behavior !== undefined && behavior !== "create" && behavior !== "merge" && behavior !== "replace") {
    throw invalid(`${where}.behavior must be create, merge or replace`);
  }
  const secret: SecretSpec = {
    name,
    namespace: optionalString(value.namespace, `${where}.namespace`),
    type: optionalString(value.type, `${where}.type`) ?? "Opaque",
    envs: stringList(value.envs, `${where}.envs`),
    files: stringList(value.files, `${where}.files`).map((entry) => fileSource(entry, `${where}.files`)),
    behavior,
    nameSuffixHash: hash,
    labels: stringMap(options.labels, `${where}.options.labels`),
    annotations: stringMap(options.annotations, `${where}.options.annotations`),
  };
  if (secret.envs.length === 0 && secret.files.length === 0) throw invalid(`${where} has neither envs nor files`);
  return secret;
}

/** Validates a CofferGenerator (the generator config / KRM functionConfig). */
export function parseGeneratorConfig(value: unknown): GeneratorConfig {
  if (!isRecord(value)) throw invalid("the generator config is not a map");
  if (value.apiVersion !== GENERATOR_API_VERSION || value.kind !== GENERATOR_KIND) {
    throw invalid(`the generator config must be apiVersion ${GENERATOR_API_VERSION}, kind ${GENERATOR_KIND}`);
  }
  const metadata = isRecord(value.metadata) ? value.metadata : {};
  const name = optionalString(metadata.name, "metadata.name");
  if (name === undefined) throw invalid("the generator config has no metadata.name");
  const files = stringList(value.files, "files");
  if (value.secrets !== undefined && value.secrets !== null && !Array.isArray(value.secrets)) throw invalid("secrets must be a list");
  const secrets = ((value.secrets ?? []) as unknown[]).map(parseSecret);
  if (files.length === 0 && secrets.length === 0) throw invalid(`generator '${name}' lists no files and no secrets`);
  const names = new Set<string>();
  for (const secret of secrets) {
    const id = `${secret.namespace ?? ""}/${secret.name}`;
    if (names.has(id)) throw invalid(`generator '${name}' builds Secret '${secret.name}' twice`);
    names.add(id);
  }
  return { name, files, secrets };
}

const decoder = new TextDecoder("utf-8", { fatal: true });

/** The Kubernetes objects in a decrypted manifest file (empty documents skipped). */
async function manifestObjects(io: GeneratorIo, path: string): Promise<KubeObject[]> {
  const format = formatFromPath(path);
  if (format !== "yaml" && format !== "json") {
    throw invalid(`files: ${path} is not a YAML or JSON manifest`, "list dotenv and other files under secrets[].envs or secrets[].files");
  }
  const text = decoder.decode(await io.decrypt(path, { format, outputFormat: "yaml" }));
  const objects: KubeObject[] = [];
  const documents = parseAllDocuments(text, { uniqueKeys: true });
  if (!Array.isArray(documents)) return objects; // an empty stream
  for (const [index, document] of documents.entries()) {
    const unparsable = new CofferError("FORMAT_INVALID", `document ${index + 1} of ${path} does not parse after decryption`, { hint: "check the file with 'coffer decrypt'" });
    if (document.errors.length > 0) throw unparsable;
    let value: unknown;
    try {
      value = document.toJS({ maxAliasCount: 100 });
    } catch {
      throw unparsable;
    }
    // An empty document comes back from sops as `{}`: skip it like an empty one.
    if (value === null || value === undefined || (isRecord(value) && Object.keys(value).length === 0)) continue;
    if (!isKubeObject(value)) {
      throw new CofferError("FORMAT_INVALID", `document ${index + 1} of ${path} is not a Kubernetes object (apiVersion, kind and metadata.name)`, {
        hint: "files: lists encrypted manifests; build Secrets from other files with secrets:",
      });
    }
    objects.push(value);
  }
  return objects;
}

function isKubeObject(value: unknown): value is KubeObject {
  return (
    isRecord(value) &&
    typeof value.apiVersion === "string" &&
    typeof value.kind === "string" &&
    isRecord(value.metadata) &&
    typeof value.metadata.name === "string"
  );
}

/** The key/value pairs of a decrypted dotenv (or flat JSON/YAML) file. */
async function envPairs(io: GeneratorIo, path: string): Promise<Array<[string, string]>> {
  const format = formatFromPath(path);
  if (format === "binary" || format === "ini") throw invalid(`envs: ${path} is not a dotenv, JSON or YAML file`, "list other files under files:");
  const parsed: unknown = JSON.parse(decoder.decode(await io.decrypt(path, { format, outputFormat: "json" })));
  if (!isRecord(parsed)) throw new CofferError("FORMAT_INVALID", `envs: ${path} does not hold key/value pairs`, { hint: "use a flat dotenv file" });
  return Object.entries(parsed).map(([key, value]) => {
    if (isRecord(value) || Array.isArray(value)) {
      throw new CofferError("FORMAT_INVALID", `envs: ${path} has a nested value under '${key}'`, { hint: "use a flat dotenv file, or list the file under files:" });
    }
    return [key, value === null ? "" : String(value)];
  });
}

async function buildSecret(io: GeneratorIo, spec: SecretSpec): Promise<KubeObject> {
  const data = new Map<string, string>();
  const put = (key: string, bytes: Uint8Array, source: string): void => {
    if (!SECRET_KEY.test(key)) throw new CofferError("FORMAT_INVALID", `${source}: '${key}' is not a valid Secret key`, { hint: "keys may hold letters, digits, '-', '_' and '.'" });
    if (data.has(key)) throw invalid(`Secret '${spec.name}' gets key '${key}' twice (${source})`, "rename one of the keys");
    data.set(key, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64"));
  };
  for (const path of spec.envs) {
    for (const [key, value] of await envPairs(io, path)) put(key, new TextEncoder().encode(value), path);
  }
  for (const file of spec.files) {
    const format = formatFromPath(file.path);
    put(file.key, await io.decrypt(file.path, { format, outputFormat: format }), file.path);
  }
  const annotations: Record<string, string> = { ...spec.annotations };
  if (spec.nameSuffixHash) annotations[NEEDS_HASH_ANNOTATION] = "true";
  if (spec.behavior !== undefined) annotations[BEHAVIOR_ANNOTATION] = spec.behavior;
  const metadata: Record<string, unknown> = { name: spec.name };
  if (spec.namespace !== undefined) metadata.namespace = spec.namespace;
  if (Object.keys(spec.labels).length > 0) metadata.labels = spec.labels;
  if (Object.keys(annotations).length > 0) metadata.annotations = annotations;
  const sorted = Object.fromEntries([...data.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return { apiVersion: "v1", kind: "Secret", metadata, type: spec.type, data: sorted };
}

/**
 * Everything the generator emits, in the config's order: the objects of each listed manifest
 * file, then each Secret. Files are decrypted concurrently (the IO bounds key-service calls).
 */
export async function generate(config: GeneratorConfig, io: GeneratorIo): Promise<KubeObject[]> {
  const manifests = Promise.all(config.files.map((path) => manifestObjects(io, path)));
  const secrets = Promise.all(config.secrets.map((spec) => buildSecret(io, spec)));
  // Settle both before rethrowing, so no decryption is left running unobserved.
  const [files, built] = await Promise.allSettled([manifests, secrets]);
  if (files.status === "rejected") throw files.reason;
  if (built.status === "rejected") throw built.reason;
  return [...files.value.flat(), ...built.value];
}
