/**
 * The JSON store (spec §8.2): one document per file, a top-level object whose optional `sops` key
 * holds the metadata. Output is tab-indented by default with a trailing newline (sops 3.10+).
 */
import { CofferError } from "../errors.js";
import { TreeMap } from "../core/tree.js";
import type { TreeFile, TreeValue } from "../core/tree.js";
import { emitJsonValue, jsonIndentUnit } from "./json-emit.js";
import { parseJsonTree } from "./json-parse.js";
import type { EmitOptions, Store } from "./store.js";

const utf8 = new TextDecoder("utf-8", { ignoreBOM: true });

/** Parses a JSON file into its single document and its `sops` map (when present). */
export function loadJsonFile(input: Uint8Array): TreeFile {
  // Go's decoder replaces invalid UTF-8 with U+FFFD; the non-fatal decoder does the same.
  const root = parseJsonTree(utf8.decode(input), { requireObject: true }) as TreeMap;
  return splitMetadata(root);
}

/** Removes every top-level `sops` entry from `root`; the first one becomes the metadata. */
export function splitMetadata(root: TreeMap): TreeFile {
  const metadata = root.get("sops");
  if (metadata === undefined) return { documents: [root] };
  if (!(metadata instanceof TreeMap)) {
    throw new CofferError("METADATA_INVALID", "the sops key is not an object", {
      hint: "the sops block must be an object; restore it from version control",
    });
  }
  root.delete("sops");
  return { documents: [root], metadata };
}

/** The single document to write; several documents cannot be expressed in one JSON file. */
export function singleDocument(file: TreeFile, format: string): TreeMap {
  if (file.documents.length > 1) {
    throw new CofferError("EMIT_FAILED", `${format} holds one document but the tree has ${file.documents.length}`, {
      hint: "use yaml output for multi-document files",
    });
  }
  return file.documents[0] ?? new TreeMap();
}

/** The document with the metadata appended as its last key, as sops writes it. */
export function withMetadata(file: TreeFile, format: string): TreeMap {
  if (file.metadata === undefined) {
    throw new CofferError("EMIT_FAILED", "an encrypted file needs sops metadata", { fault: "internal" });
  }
  const document = singleDocument(file, format);
  return new TreeMap([...document.items, { key: "sops", value: file.metadata }]);
}

function encodeDocument(document: TreeMap, options: EmitOptions | undefined): Uint8Array {
  return Buffer.from(`${emitJsonValue(document, jsonIndentUnit(options?.indent))}\n`, "utf8");
}

/** The JSON {@link Store}. */
export const jsonStore: Store = {
  name: "json",
  loadPlain: loadJsonFile,
  loadEncrypted: loadJsonFile,
  emitPlain(file: TreeFile, options?: EmitOptions): Uint8Array {
    return encodeDocument(singleDocument(file, "json"), options);
  },
  emitEncrypted(file: TreeFile, options?: EmitOptions): Uint8Array {
    return encodeDocument(withMetadata(file, "json"), options);
  },
  emitValue(value: TreeValue): Uint8Array {
    // sops re-indents extracted values too (maps and lists), without a trailing newline.
    return Buffer.from(emitJsonValue(value, "\t"), "utf8");
  },
};
