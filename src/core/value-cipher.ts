/**
 * The per-value cipher (spec §2): AES-256-GCM with a 32-byte IV, the tree path as AAD, and the
 * `ENC[AES256_GCM,data:…,iv:…,tag:…,type:…]` string form with standard padded base64.
 */
import { createCipheriv, createDecipheriv, createSecretKey, randomFillSync } from "node:crypto";
import type { KeyObject } from "node:crypto";
import { isUtf8 } from "node:buffer";
import { CofferError } from "../errors.js";
import { Comment, Time } from "./tree.js";
import type { Scalar } from "./tree.js";
import {
  canonicalBytes,
  canonicalTimeText,
  parseGoBool,
  parseGoFloat,
  parseGoInt,
  typeTagOf,
} from "./canonical.js";
import type { ValueType } from "./canonical.js";

export type { ValueType } from "./canonical.js";

/** The IV length sops writes. Readers accept any length. */
export const IV_LENGTH = 32;
const TAG_LENGTH = 16;

/** A data key as raw bytes, or a prepared key object (reused across many values for speed). */
export type DataKey = Uint8Array | KeyObject;

/** Returns `size` random bytes; injectable for deterministic tests. */
export type RandomSource = (size: number) => Uint8Array;

/** The decoded parts of an ENC string. `data` excludes the tag. */
export interface EncParts {
  data: Buffer;
  iv: Buffer;
  tag: Buffer;
  type: ValueType;
}

const VALUE_TYPES: ReadonlySet<string> = new Set(["str", "int", "float", "bool", "time", "comment", "bytes"]);
const PREFIX = "ENC[AES256_GCM,data:";

// Standard base64 alphabet; '=' and CR/LF are handled separately.
const BASE64_CHAR = new Uint8Array(128);
for (const ch of "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/") BASE64_CHAR[ch.charCodeAt(0)] = 1;

const POOL_SIZE = 64 * IV_LENGTH;
let pool = Buffer.alloc(0);
let poolOffset = 0;

/** crypto.randomBytes with a small pool, so that 50,000 IVs do not cost 50,000 RNG calls. */
export const defaultRandom: RandomSource = (size) => {
  if (size > POOL_SIZE) return randomFillSync(Buffer.alloc(size));
  if (poolOffset + size > pool.length) {
    pool = randomFillSync(Buffer.alloc(POOL_SIZE));
    poolOffset = 0;
  }
  const out = Buffer.from(pool.subarray(poolOffset, poolOffset + size));
  pool.fill(0, poolOffset, poolOffset + size);
  poolOffset += size;
  return out;
};

/** Wraps raw key bytes in a KeyObject once; passes KeyObjects through. */
export function prepareDataKey(dataKey: DataKey): KeyObject {
  if (!(dataKey instanceof Uint8Array)) return dataKey;
  if (dataKey.length !== 32) {
    throw new CofferError("KEY_INVALID", "the data key must be 32 bytes", {
      hint: "the unwrapped data key has the wrong length; the key stanza may be corrupt",
    });
  }
  return createSecretKey(dataKey);
}

/** True when `text` looks like an ENC value (cheap prefix test, no validation). */
export function isEncValue(text: string): boolean {
  return text.startsWith("ENC[AES256_GCM,");
}

function invalid(why: string, cause?: unknown): CofferError {
  return new CofferError("CIPHERTEXT_INVALID", `encrypted value is invalid: ${why}`, {
    hint: "the ENC[...] string was truncated or edited; restore it from version control",
    cause,
  });
}

function decodeBase64(text: string, field: string): Buffer {
  // Go's decoder ignores CR and LF inside base64 text.
  const clean = text.includes("\n") || text.includes("\r") ? text.replace(/[\r\n]/g, "") : text;
  // A char loop instead of a regex: this runs three times per value on the decrypt hot path.
  const length = clean.length;
  let ok = length % 4 === 0;
  let padding = 0;
  if (ok && length > 0 && clean.charCodeAt(length - 1) === 61) padding = clean.charCodeAt(length - 2) === 61 ? 2 : 1;
  for (let i = 0; ok && i < length - padding; i++) {
    const code = clean.charCodeAt(i);
    ok = code < 128 && BASE64_CHAR[code] === 1;
  }
  if (!ok) throw invalid(`${field} is not valid base64`);
  return Buffer.from(clean, "base64");
}

/**
 * Parses an ENC string; throws `CIPHERTEXT_INVALID` when it is malformed or has an unknown type.
 * Equivalent to sops' regex `^ENC\[AES256_GCM,data:(.+),iv:(.+),tag:(.+),type:(.+)\]` (anchored
 * at the start only, greedy) for every string whose fields are valid base64, which is the only
 * case that can decrypt; it just avoids the regex's backtracking on the hot path.
 */
export function parseEncValue(text: string): EncParts {
  const ivAt = text.lastIndexOf(",iv:");
  const tagAt = text.lastIndexOf(",tag:");
  const typeAt = text.lastIndexOf(",type:");
  const end = text.lastIndexOf("]");
  if (
    !text.startsWith(PREFIX) ||
    ivAt <= PREFIX.length ||
    tagAt <= ivAt + 4 ||
    typeAt <= tagAt + 5 ||
    end <= typeAt + 6
  ) {
    throw invalid("it does not match the ENC[AES256_GCM,...] format");
  }
  const type = text.slice(typeAt + 6, end);
  if (!VALUE_TYPES.has(type)) throw invalid("unknown value type");
  return {
    data: decodeBase64(text.slice(PREFIX.length, ivAt), "data"),
    iv: decodeBase64(text.slice(ivAt + 4, tagAt), "iv"),
    tag: decodeBase64(text.slice(tagAt + 5, typeAt), "tag"),
    type: type as ValueType,
  };
}

/** Formats ENC parts as sops writes them. */
export function formatEncValue(parts: EncParts): string {
  return `ENC[AES256_GCM,data:${parts.data.toString("base64")},iv:${parts.iv.toString("base64")},tag:${parts.tag.toString("base64")},type:${parts.type}]`;
}

/** Options for encrypting one value. */
export interface EncryptValueOptions {
  dataKey: DataKey;
  /** The path string (`a:b:`), see spec §2.3. */
  aad: string;
  /** A fixed IV (IV reuse for unchanged values, test vectors); default: 32 random bytes. */
  iv?: Uint8Array | undefined;
  random?: RandomSource | undefined;
}

/** Encrypts canonical plaintext bytes under a given type tag. */
export function encryptBytes(plaintext: Uint8Array, type: ValueType, options: EncryptValueOptions): string {
  const iv = options.iv ?? (options.random ?? defaultRandom)(IV_LENGTH);
  const cipher = createCipheriv("aes-256-gcm", prepareDataKey(options.dataKey), iv, { authTagLength: TAG_LENGTH });
  cipher.setAAD(Buffer.from(options.aad, "utf8"));
  const first = cipher.update(plaintext);
  const last = cipher.final();
  const data = last.length === 0 ? first : Buffer.concat([first, last]);
  return formatEncValue({ data, iv: Buffer.from(iv.buffer, iv.byteOffset, iv.length), tag: cipher.getAuthTag(), type });
}

/** Encrypts a scalar (or a comment's text) into an ENC string (spec §2.1-2.2). */
export function encryptValue(value: Scalar | Comment, options: EncryptValueOptions): string {
  if (value instanceof Comment) return encryptBytes(Buffer.from(value.text, "utf8"), "comment", options);
  return encryptBytes(canonicalBytes(value), typeTagOf(value), options);
}

/** Options for decrypting one value. */
export interface DecryptValueOptions {
  dataKey: DataKey;
  aad: string;
}

/** Decrypts ENC parts to plaintext bytes; AES-GCM failure gives `VALUE_DECRYPT_FAILED`. */
export function decryptParts(parts: EncParts, options: DecryptValueOptions): Buffer {
  // Like Go: concatenate data and tag and let GCM take the last 16 bytes as the tag.
  const sealed = parts.tag.length === TAG_LENGTH ? undefined : Buffer.concat([parts.data, parts.tag]);
  const data = sealed ? sealed.subarray(0, Math.max(0, sealed.length - TAG_LENGTH)) : parts.data;
  const tag = sealed ? sealed.subarray(sealed.length - TAG_LENGTH) : parts.tag;
  try {
    if (tag.length !== TAG_LENGTH || parts.iv.length === 0) throw new Error("bad tag or iv length");
    const decipher = createDecipheriv("aes-256-gcm", prepareDataKey(options.dataKey), parts.iv, {
      authTagLength: TAG_LENGTH,
    });
    decipher.setAAD(Buffer.from(options.aad, "utf8"));
    decipher.setAuthTag(tag);
    const first = decipher.update(data);
    const last = decipher.final();
    return last.length === 0 ? first : Buffer.concat([first, last]);
  } catch (cause) {
    if (cause instanceof CofferError) throw cause;
    throw new CofferError("VALUE_DECRYPT_FAILED", "could not decrypt a value: authentication failed", {
      hint: "the value, its path or the data key does not match; the file may have been tampered with",
      cause,
    });
  }
}

function unparsable(type: ValueType): CofferError {
  return invalid(`the decrypted plaintext is not a valid ${type}`);
}

/** Turns decrypted plaintext into a tree value the way sops does for each type tag. */
export function plaintextToValue(plaintext: Buffer, type: ValueType): Scalar {
  switch (type) {
    case "str":
    case "comment":
      return isUtf8(plaintext) ? plaintext.toString("utf8") : new Uint8Array(plaintext);
    case "bytes":
      return new Uint8Array(plaintext);
    case "int": {
      const value = parseGoInt(plaintext.toString("utf8"));
      if (value === undefined) throw unparsable(type);
      return value;
    }
    case "float": {
      const value = parseGoFloat(plaintext.toString("utf8"));
      if (value === undefined) throw unparsable(type);
      return value;
    }
    case "bool": {
      const value = parseGoBool(plaintext.toString("utf8"));
      if (value === undefined) throw unparsable(type);
      return value;
    }
    case "time": {
      const text = canonicalTimeText(plaintext.toString("utf8"));
      if (text === undefined) throw unparsable(type);
      return new Time(text);
    }
  }
}

/** Decrypts one ENC string to its value (a comment decrypts to its text). */
export function decryptValue(text: string, options: DecryptValueOptions): Scalar {
  const parts = parseEncValue(text);
  return plaintextToValue(decryptParts(parts, options), parts.type);
}
