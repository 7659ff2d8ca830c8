/**
 * The depth-first tree walk shared by encryption and decryption (spec §4.1): documents in order,
 * map items in key order, list items in index order, the top-level `sops` key skipped. The AAD of a
 * leaf is its map keys joined by `:` plus a trailing `:`; list indices never appear; comments use
 * their container's path. The MAC is accumulated during the same pass.
 */
import type { KeyObject } from "node:crypto";
import { CofferError, isCofferError } from "../errors.js";
import { canonicalBytes, typeTagOf } from "./canonical.js";
import type { ValueType } from "./canonical.js";
import type { CompiledCryptRule } from "./crypt-rules.js";
import type { IvReuseMap, IvSource } from "./iv-reuse.js";
import { MacHasher } from "./mac.js";
import { Comment, TreeMap } from "./tree.js";
import type { MapEntry, Scalar, TreeList, TreeValue } from "./tree.js";
import { decryptParts, encryptBytes, parseEncValue, plaintextToValue } from "./value-cipher.js";
import type { RandomSource } from "./value-cipher.js";

/** A non-fatal event during decryption; the library never prints, the caller decides. */
export interface CoreWarning {
  code: "COMMENT_NOT_DECRYPTED";
  message: string;
  /** The AAD (container path) of the comment. */
  aad: string;
}

interface WalkBase {
  dataKey: KeyObject;
  rule: CompiledCryptRule;
  macOnlyEncrypted: boolean;
}

export interface EncryptWalkOptions extends WalkBase {
  ivFor?: IvSource | undefined;
  random?: RandomSource | undefined;
}

export interface DecryptWalkOptions extends WalkBase {
  onWarning?: ((warning: CoreWarning) => void) | undefined;
  /** Receives the IV of every decrypted value, for IV reuse on re-encryption. */
  collectIvs?: IvReuseMap | undefined;
}

/** The walked documents and the MAC (hex) of their plaintext. */
export interface WalkResult {
  documents: TreeMap[];
  mac: string;
}

type LeafHandler = (
  leaf: Scalar | Comment,
  aad: string,
  pathMatched: boolean,
  stack: string[][],
) => Scalar | Comment;

/** Walks one document, replacing leaves via `onLeaf`; null stays null. */
function walkDocument(doc: TreeMap, rule: CompiledCryptRule, onLeaf: LeafHandler): TreeMap {
  const tracksComments = rule.usesComments;
  const stack: string[][] = [];

  const walkValue = (value: TreeValue, prefix: string, matched: boolean): TreeValue => {
    if (value === null) return null;
    if (value instanceof TreeMap) return walkMap(value, prefix, matched, false);
    if (Array.isArray(value)) return walkList(value, prefix, matched);
    return onLeaf(value, prefix, matched, stack) as Scalar;
  };

  const walkMap = (map: TreeMap, prefix: string, matched: boolean, topLevel: boolean): TreeMap => {
    const group: string[] = [];
    if (tracksComments) stack.push(group);
    const items: Array<MapEntry | Comment> = [];
    for (const item of map.items) {
      if (item instanceof Comment) {
        if (tracksComments) group.push(item.text);
        items.push(onLeaf(item, prefix === "" ? ":" : prefix, matched, stack) as Comment);
        continue;
      }
      if (topLevel && item.key === "sops") continue;
      const childMatched = matched || rule.matchesKey(item.key);
      items.push({ key: item.key, value: walkValue(item.value, `${prefix}${item.key}:`, childMatched) });
      if (tracksComments) group.length = 0;
    }
    if (tracksComments) stack.pop();
    return new TreeMap(items);
  };

  const walkList = (list: TreeList, prefix: string, matched: boolean): TreeList => {
    const group: string[] = [];
    if (tracksComments) stack.push(group);
    const out: TreeList = new Array(list.length);
    const aad = prefix === "" ? ":" : prefix;
    for (let i = 0; i < list.length; i++) {
      const item = list[i]!;
      if (item instanceof Comment) {
        if (tracksComments) group.push(item.text);
        out[i] = onLeaf(item, aad, matched, stack);
        continue;
      }
      out[i] = walkValue(item, prefix, matched);
      if (tracksComments) group.length = 0;
    }
    if (tracksComments) stack.pop();
    return out;
  };

  return walkMap(doc, "", false, true);
}

/** Encrypts every selected leaf of `documents` and computes the MAC over the plaintext. */
export function encryptDocuments(documents: readonly TreeMap[], options: EncryptWalkOptions): WalkResult {
  const { dataKey, rule, ivFor, random } = options;
  const mac = new MacHasher(options.macOnlyEncrypted);
  const macAll = !options.macOnlyEncrypted;
  const encryptLeaf: LeafHandler = (leaf, aad, matched, stack) => {
    const isComment = leaf instanceof Comment;
    const encrypted = rule.decide(matched, stack, isComment);
    if (isComment) {
      if (!encrypted || leaf.text === "") return new Comment(leaf.text, leaf.inline);
      const plaintext = Buffer.from(leaf.text, "utf8");
      const iv = ivFor?.(aad, plaintext, "comment");
      return new Comment(encryptBytes(plaintext, "comment", { dataKey, aad, iv, random }), leaf.inline);
    }
    const plaintext = canonicalBytes(leaf);
    if (macAll || encrypted) mac.add(plaintext);
    // Empty values are never encrypted (spec §2.5).
    if (!encrypted || plaintext.length === 0) return leaf;
    const type: ValueType = typeTagOf(leaf);
    const iv = ivFor?.(aad, plaintext, type);
    return encryptBytes(plaintext, type, { dataKey, aad, iv, random });
  };
  return {
    documents: documents.map((doc) => walkDocument(doc, rule, encryptLeaf)),
    mac: mac.hex(),
  };
}

function notEncrypted(aad: string): CofferError {
  return new CofferError("CIPHERTEXT_INVALID", `value at ${aad} should be encrypted but is not an ENC[...] string`, {
    hint: "the file was edited by hand or its crypt rule was changed; restore it from version control",
  });
}

/** Decrypts every selected leaf of `documents` and computes the MAC over the plaintext. */
export function decryptDocuments(documents: readonly TreeMap[], options: DecryptWalkOptions): WalkResult {
  const { dataKey, rule, onWarning, collectIvs } = options;
  const mac = new MacHasher(options.macOnlyEncrypted);
  const macAll = !options.macOnlyEncrypted;
  const decryptLeaf: LeafHandler = (leaf, aad, matched, stack) => {
    const isComment = leaf instanceof Comment;
    const encrypted = rule.decide(matched, stack, isComment);
    if (isComment) {
      if (!encrypted || leaf.text === "") return new Comment(leaf.text, leaf.inline);
      try {
        const parts = parseEncValue(leaf.text);
        const plaintext = decryptParts(parts, { dataKey, aad });
        const text = plaintextToValue(plaintext, parts.type);
        if (typeof text !== "string") throw new Error("comment plaintext is not text");
        collectIvs?.record(aad, plaintext, parts.type, parts.iv);
        return new Comment(text, leaf.inline);
      } catch {
        // Older sops left comments in clear text; sops keeps them and warns (spec §2.4).
        onWarning?.({
          code: "COMMENT_NOT_DECRYPTED",
          message: `a comment at ${aad} could not be decrypted and was kept as plain text`,
          aad,
        });
        return new Comment(leaf.text, leaf.inline);
      }
    }
    if (!encrypted || leaf === "") {
      if (macAll || encrypted) mac.add(canonicalBytes(leaf));
      return leaf;
    }
    if (typeof leaf !== "string") throw notEncrypted(aad);
    let parts;
    try {
      parts = parseEncValue(leaf);
    } catch (cause) {
      throw isCofferError(cause) ? cause : notEncrypted(aad);
    }
    const plaintext = decryptParts(parts, { dataKey, aad });
    const value = plaintextToValue(plaintext, parts.type);
    collectIvs?.record(aad, plaintext, parts.type, parts.iv);
    // str plaintext is already canonical; other types are re-serialised like sops' ToBytes.
    mac.add(parts.type === "str" || parts.type === "bytes" ? plaintext : canonicalBytes(value));
    return value;
  };
  return {
    documents: documents.map((doc) => walkDocument(doc, rule, decryptLeaf)),
    mac: mac.hex(),
  };
}

