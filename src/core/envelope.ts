/**
 * Whole-file envelope encryption: a plaintext {@link TreeFile} plus an already wrapped data key →
 * encrypted documents and the `sops` metadata block, and back (spec §1-§5). Pure: no key services,
 * no I/O; callers unwrap/wrap the data key with `data-key.ts`.
 */
import { CofferError } from "../errors.js";
import type { KeyGroup } from "../provider.js";
import { formatUtcSeconds } from "./canonical.js";
import { compileCryptRule } from "./crypt-rules.js";
import type { CryptRule } from "./crypt-rules.js";
import type { IvReuseMap, IvSource } from "./iv-reuse.js";
import { decryptMac, encryptMac, macAad, verifyMac } from "./mac.js";
import { DEFAULT_SOPS_VERSION, metadataFromTree, metadataToTree } from "./metadata.js";
import type { Metadata } from "./metadata.js";
import type { MapEntry, TreeFile } from "./tree.js";
import { prepareDataKey } from "./value-cipher.js";
import type { RandomSource } from "./value-cipher.js";
import { decryptDocuments, encryptDocuments } from "./walk.js";
import type { CoreWarning } from "./walk.js";

export type { CoreWarning } from "./walk.js";

/** Options for {@link encryptTreeFile}. */
export interface EncryptTreeFileOptions {
  /** The 32-byte data key. */
  dataKey: Uint8Array;
  /** Key groups whose stanzas already carry `enc` (see `wrapDataKey`). */
  keyGroups: KeyGroup[];
  /** With two or more groups; default = number of groups. */
  shamirThreshold?: number | undefined;
  /**
   * The crypt rule to apply and store. undefined = `unencrypted_suffix: _unencrypted`, written
   * explicitly like sops; null = apply that default but store no rule (binary store, sops >= 3.11).
   */
  cryptRule?: CryptRule | null | undefined;
  macOnlyEncrypted?: boolean | undefined;
  /** The time written to `lastmodified` (UTC, truncated to seconds). */
  now: Date;
  /** The `version` to write; default {@link DEFAULT_SOPS_VERSION}. */
  version?: string | undefined;
  /** IVs to reuse for unchanged values (edit/set); the MAC is asked too, with AAD = lastmodified. */
  ivFor?: IvSource | undefined;
  random?: RandomSource | undefined;
  /** Unknown top-level metadata fields to carry over from a previous version of the file. */
  unknownMetadata?: MapEntry[] | undefined;
}

/**
 * Encrypts every selected value of `file`, computes and encrypts the MAC and returns new documents
 * with the `sops` metadata map. Refuses a file that already has metadata (`ALREADY_ENCRYPTED`).
 */
export function encryptTreeFile(file: TreeFile, options: EncryptTreeFileOptions): TreeFile {
  if (file.metadata !== undefined || file.documents.some((doc) => doc.has("sops"))) {
    throw new CofferError("ALREADY_ENCRYPTED", "the file already has sops metadata", {
      hint: "decrypt it first, or use edit/set/rotate to change an encrypted file",
    });
  }
  if (file.documents.length === 0) {
    throw new CofferError("NO_DOCUMENTS", "the file has no documents to encrypt", {
      hint: "add at least one document (an empty map is enough)",
    });
  }
  const dataKey = prepareDataKey(options.dataKey);
  const rule = compileCryptRule(options.cryptRule ?? undefined, "CONFIG_INVALID");
  const macOnlyEncrypted = options.macOnlyEncrypted ?? false;
  const { documents, mac } = encryptDocuments(file.documents, {
    dataKey,
    rule,
    macOnlyEncrypted,
    ivFor: options.ivFor,
    random: options.random,
  });
  const lastModified = formatUtcSeconds(options.now);
  const macBytes = Buffer.from(mac, "utf8");
  const metadata: Metadata = {
    keyGroups: options.keyGroups,
    shamirThreshold: options.keyGroups.length >= 2 ? (options.shamirThreshold ?? options.keyGroups.length) : undefined,
    lastModified,
    mac: encryptMac(mac, {
      dataKey,
      lastModified,
      iv: options.ivFor?.(macAad(lastModified), macBytes, "str"),
      random: options.random,
    }),
    cryptRule: options.cryptRule === null ? undefined : rule.rule,
    macOnlyEncrypted,
    version: options.version ?? DEFAULT_SOPS_VERSION,
    unknown: options.unknownMetadata ?? [],
  };
  return { documents, metadata: metadataToTree(metadata) };
}

/** Options for {@link decryptTreeFile}. */
export interface DecryptTreeFileOptions {
  /** The 32-byte data key (see `unwrapDataKey`). */
  dataKey: Uint8Array;
  /** Skip MAC verification (`--ignore-mac`). */
  ignoreMac?: boolean | undefined;
  /** Receives non-fatal events such as comments kept in clear text; never printed by core. */
  onWarning?: ((warning: CoreWarning) => void) | undefined;
  /** Filled with the IV of every decrypted value, for IV reuse when re-encrypting. */
  collectIvs?: IvReuseMap | undefined;
}

/**
 * Decrypts every encrypted value of `file` and verifies the MAC; returns the plaintext documents
 * without metadata. Errors: `NOT_ENCRYPTED`, `CIPHERTEXT_INVALID`, `VALUE_DECRYPT_FAILED`,
 * `MAC_MISSING`, `MAC_DECRYPT_FAILED`, `MAC_MISMATCH`, `METADATA_INVALID`, `CRYPT_RULE_CONFLICT`.
 */
export function decryptTreeFile(file: TreeFile, options: DecryptTreeFileOptions): TreeFile {
  if (file.metadata === undefined) {
    throw new CofferError("NOT_ENCRYPTED", "the file has no sops metadata", {
      hint: "this file is not encrypted; encrypt it first",
    });
  }
  return decryptWithMetadata(file, metadataFromTree(file.metadata), options);
}

/** {@link decryptTreeFile} with metadata already parsed (saves a parse when the caller has it). */
export function decryptWithMetadata(file: TreeFile, metadata: Metadata, options: DecryptTreeFileOptions): TreeFile {
  const dataKey = prepareDataKey(options.dataKey);
  const rule = compileCryptRule(metadata.cryptRule, "METADATA_INVALID");
  const { documents, mac } = decryptDocuments(file.documents, {
    dataKey,
    rule,
    macOnlyEncrypted: metadata.macOnlyEncrypted,
    onWarning: options.onWarning,
    collectIvs: options.collectIvs,
  });
  if (!options.ignoreMac) {
    const stored = decryptMac(metadata.mac, { dataKey, lastModified: metadata.lastModified });
    verifyMac(stored, mac);
  }
  return { documents };
}
