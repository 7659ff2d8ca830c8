/**
 * Kubernetes manifests as data: multi-document YAML or JSON text (plaintext, already decrypted)
 * into plain objects, `kind: List` expanded; or a decrypted tree straight into objects (no
 * emitting and re-parsing of plaintext). Pure.
 */
import { parseAllDocuments } from "yaml";
import { CofferError } from "../errors.js";
import { Comment, Time, TreeMap, type TreeFile, type TreeValue } from "../core/tree.js";
import { isRecord } from "../records.js";

/** One Kubernetes object as read from a manifest. */
export type KubeObject = Record<string, unknown> & { metadata?: Record<string, unknown> };

/** An object and the file (and document) it came from, for messages. */
export interface SourcedObject {
  object: KubeObject;
  source: string;
}


/** Objects of a document: itself, or the items of a `*List`. Empty documents give nothing. */
function objectsOf(value: unknown, source: string): SourcedObject[] {
  if (value === null || value === undefined) return [];
  if (!isRecord(value)) {
    throw new CofferError("MANIFEST_INVALID", `${source} is not a Kubernetes object (expected a mapping)`, {
      hint: "each YAML document or JSON value must be an object with apiVersion, kind and metadata.name",
    });
  }
  if (typeof value.kind === "string" && value.kind.endsWith("List") && Array.isArray(value.items)) {
    return value.items.flatMap((item, index) => objectsOf(item, `${source} item ${index + 1}`));
  }
  return [{ object: value as KubeObject, source }];
}

/** Parses manifest text: JSON when it looks like JSON, else multi-document YAML. */
export function parseManifests(text: string, source: string): SourcedObject[] {
  const trimmed = text.trimStart();
  if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new CofferError("FORMAT_INVALID", `${source} is not valid JSON`, { hint: "fix the file's syntax" });
    }
    const values = Array.isArray(parsed) ? parsed : [parsed];
    return values.flatMap((value, index) => objectsOf(value, values.length > 1 ? `${source} item ${index + 1}` : source));
  }
  const documents = parseAllDocuments(text, { uniqueKeys: true, prettyErrors: false });
  const list = Array.isArray(documents) ? documents : [documents];
  const objects: SourcedObject[] = [];
  list.forEach((document, index) => {
    const error = document.errors[0];
    if (error !== undefined) {
      // The parser's message may quote the input; name only the position.
      const line = error.linePos?.[0]?.line;
      throw new CofferError("FORMAT_INVALID", `${source} is not valid YAML (document ${index + 1}${line === undefined ? "" : `, line ${line}`})`, {
        hint: "fix the file's syntax",
      });
    }
    const value: unknown = document.toJS({ maxAliasCount: 100 });
    objects.push(...objectsOf(value, list.length > 1 ? `${source} document ${index + 1}` : source));
  });
  return objects;
}

/** A tree value as JSON data: int64 beyond 2^53 and raw bytes become strings (bytes as base64). */
function treeToJs(value: TreeValue): unknown {
  if (value instanceof TreeMap) {
    const out: Record<string, unknown> = {};
    for (const { key, value: item } of value.entries()) out[key] = treeToJs(item);
    return out;
  }
  if (Array.isArray(value)) return value.filter((item): item is TreeValue => !(item instanceof Comment)).map(treeToJs);
  if (typeof value === "bigint") return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value.toString();
  if (value instanceof Time) return value.text;
  if (value instanceof Uint8Array) return Buffer.from(value).toString("base64");
  return value;
}

/** The objects of a decrypted file's documents. */
export function manifestsFromTree(file: TreeFile, source: string): SourcedObject[] {
  const many = file.documents.length > 1;
  return file.documents.flatMap((document, index) => (document.entries().length === 0 ? [] : objectsOf(treeToJs(document), many ? `${source} document ${index + 1}` : source)));
}
