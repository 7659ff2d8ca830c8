/**
 * The library API: encrypt and decrypt whole files in memory. It never prints, prompts, exits or
 * reads the environment: callers pass providers (key services) and options explicitly.
 */
import { CofferError } from "./errors.js";
import type { KeyGroup, KeyProvider, ProviderResolver } from "./provider.js";
import { providersByType } from "./provider.js";
import { TreeMap, type TreeFile, type TreeValue } from "./core/tree.js";
import type { CryptRule } from "./core/crypt-rules.js";
import { generateDataKey, unwrapDataKey, wrapDataKey } from "./core/data-key.js";
import { decryptWithMetadata, encryptTreeFile } from "./core/envelope.js";
import { metadataFromTree } from "./core/metadata.js";
import { parseTreePath, valueAtPath } from "./core/tree-path.js";
import { holdsKubernetesSecret, KUBERNETES_SECRET_REGEX } from "./kubernetes-default.js";
import { storeFor } from "./formats/index.js";
import type { FormatName } from "./formats/store.js";

export type { FormatName } from "./formats/store.js";
export type { CryptRule } from "./core/crypt-rules.js";

export interface EncryptOptions {
  /** Format of the plaintext input. */
  format: FormatName;
  /** Format of the encrypted output; defaults to `format`. */
  outputFormat?: FormatName | undefined;
  /** Master keys: each group wraps the data key (or a Shamir share of it). Stanzas without `enc`. */
  keyGroups: KeyGroup[];
  /** Providers that can wrap for the stanza types in `keyGroups`, or a resolver that loads them. */
  providers: readonly KeyProvider[] | ProviderResolver;
  shamirThreshold?: number | undefined;
  /** Which values to encrypt; default `_unencrypted` suffix, or the Kubernetes Secret rule. */
  cryptRule?: CryptRule | undefined;
  macOnlyEncrypted?: boolean | undefined;
  /** Encrypt only data/stringData of YAML Kubernetes Secrets when no crypt rule is given (default true). */
  kubernetesSecretDefault?: boolean | undefined;
  indent?: number | undefined;
  /** Clock for `lastmodified` (tests). */
  now?: Date | undefined;
}

export interface DecryptOptions {
  format: FormatName;
  outputFormat?: FormatName | undefined;
  providers: readonly KeyProvider[] | ProviderResolver;
  /** Skip MAC verification. Only for recovering damaged files. */
  ignoreMac?: boolean | undefined;
  /** Emit only the value at this sops path, e.g. `["data"]["password"]`. */
  extract?: string | undefined;
  /** Decryption order of key types, default age, pgp, then the file's order. */
  keyOrder?: readonly string[] | undefined;
  indent?: number | undefined;
  /** Receives non-fatal notices (e.g. a comment that was stored in clear text). */
  onWarning?: ((message: string) => void) | undefined;
}

function resolverOf(providers: readonly KeyProvider[] | ProviderResolver): ProviderResolver {
  return typeof providers === "function" ? providers : providersByType(providers);
}

function toBytes(input: Uint8Array | string): Uint8Array {
  return typeof input === "string" ? new TextEncoder().encode(input) : input;
}

/** Chooses the crypt rule: explicit, else the Kubernetes Secret rule for YAML Secrets, else none (sops default). */
export function effectiveCryptRule(file: TreeFile, options: Pick<EncryptOptions, "cryptRule" | "kubernetesSecretDefault" | "format">): CryptRule | undefined {
  if (options.cryptRule !== undefined) return options.cryptRule;
  if (options.format === "yaml" && options.kubernetesSecretDefault !== false && holdsKubernetesSecret(file.documents)) {
    return { kind: "encrypted_regex", value: KUBERNETES_SECRET_REGEX };
  }
  return undefined;
}

/** Encrypts a plaintext file in memory and returns the encrypted file's bytes. */
export async function encrypt(input: Uint8Array | string, options: EncryptOptions): Promise<Uint8Array> {
  const store = await storeFor(options.format);
  const plain = store.loadPlain(toBytes(input));
  const encrypted = await encryptTree(plain, options);
  const out = await storeFor(options.outputFormat ?? options.format);
  return out.emitEncrypted(encrypted, { indent: options.indent });
}

/** Encrypts an already parsed plaintext tree (new data key, every value encrypted). */
export async function encryptTree(plain: TreeFile, options: EncryptOptions): Promise<TreeFile> {
  if (plain.metadata !== undefined) {
    throw new CofferError("ALREADY_ENCRYPTED", "the file is already encrypted (it has a sops key)", {
      hint: "decrypt it first, or use 'coffer rotate' to change its keys",
    });
  }
  if (plain.documents.length === 0) {
    throw new CofferError("NO_DOCUMENTS", "the file has no document to encrypt", { hint: "check that the input is not empty" });
  }
  if (options.keyGroups.length === 0 || options.keyGroups.every((group) => group.length === 0)) {
    throw new CofferError("NO_RECIPIENTS", "no master key to encrypt the data key for", {
      hint: "pass --age age1... or add a creation rule to .sops.yaml",
    });
  }
  const dataKey = generateDataKey();
  const keyGroups = await wrapDataKey(dataKey, options.keyGroups, {
    threshold: options.shamirThreshold,
    resolve: resolverOf(options.providers),
  });
  return encryptTreeFile(plain, {
    dataKey,
    keyGroups,
    shamirThreshold: options.shamirThreshold,
    cryptRule: effectiveCryptRule(plain, options),
    macOnlyEncrypted: options.macOnlyEncrypted ?? false,
    now: options.now ?? new Date(),
  });
}

/** Loads an encrypted file, unwraps its data key and returns the plaintext tree (MAC verified). */
export async function decryptToTree(input: Uint8Array | string, options: DecryptOptions): Promise<TreeFile> {
  const store = await storeFor(options.format);
  const file = store.loadEncrypted(toBytes(input));
  if (file.metadata === undefined) {
    throw new CofferError("NOT_ENCRYPTED", "the file has no sops metadata: it is not encrypted", {
      hint: "check the file name and --input-type; 'coffer filestatus' tells whether a file is encrypted",
    });
  }
  const metadata = metadataFromTree(file.metadata);
  const dataKey = await unwrapDataKey(metadata, { resolve: resolverOf(options.providers), order: options.keyOrder });
  const onWarning = options.onWarning;
  return decryptWithMetadata(file, metadata, {
    dataKey,
    ignoreMac: options.ignoreMac ?? false,
    onWarning: onWarning === undefined ? undefined : (warning) => onWarning(warning.message),
  });
}

/** Decrypts an encrypted file in memory and returns the plaintext bytes (or the extracted value). */
export async function decrypt(input: Uint8Array | string, options: DecryptOptions): Promise<Uint8Array> {
  // Validate the path before any key service is asked for anything.
  const extractPath = options.extract === undefined ? undefined : parseTreePath(options.extract);
  const plain = await decryptToTree(input, options);
  const out = await storeFor(options.outputFormat ?? options.format);
  if (extractPath !== undefined) {
    const first = plain.documents[0] ?? new TreeMap();
    return emitExtracted(valueAtPath(first, extractPath), out);
  }
  return out.emitPlain(plain, { indent: options.indent });
}

function emitExtracted(value: TreeValue, store: Awaited<ReturnType<typeof storeFor>>): Uint8Array {
  if (typeof value === "string") return new TextEncoder().encode(value);
  if (value instanceof Uint8Array) return value;
  if (value instanceof TreeMap) return store.emitPlain({ documents: [value] });
  return store.emitValue(value);
}

/** Whether `input` parses as an encrypted file of `format` (sops `filestatus`: metadata with version and mac). */
export async function isEncrypted(input: Uint8Array | string, format: FormatName): Promise<boolean> {
  const store = await storeFor(format);
  let file: TreeFile;
  try {
    file = store.loadEncrypted(toBytes(input));
  } catch {
    return false;
  }
  const metadata = file.metadata;
  if (metadata === undefined) return false;
  const version = metadata.get("version");
  const mac = metadata.get("mac");
  return typeof version === "string" && version !== "" && typeof mac === "string" && mac !== "";
}
