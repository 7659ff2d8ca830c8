/**
 * The YAML store (spec §8.1): multi-document streams read with go-yaml v3 semantics and written
 * in go-yaml v3's layout, with the `sops` metadata as the last key of every document.
 */
import { CofferError } from "../../errors.js";
import { Comment, TreeMap, type TreeFile } from "../../core/tree.js";
import type { EmitOptions, Store } from "../store.js";
import { emitYamlDocuments, emitYamlValue } from "./emit.js";
import { parseYamlStream } from "./parse.js";

export { parseYamlStream } from "./parse.js";
export { emitYamlDocuments, emitYamlValue } from "./emit.js";

const utf8 = new TextDecoder("utf-8", { fatal: true });
const encoder = new TextEncoder();

function decodeText(input: Uint8Array): string {
  try {
    const text = utf8.decode(input);
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  } catch (error) {
    throw new CofferError("FORMAT_INVALID", "yaml input is not valid utf-8", { cause: error });
  }
}

/**
 * Splits the `sops` key off every document; the first document's value is the metadata.
 * `strict` (encrypted files) requires it to be a mapping.
 */
function splitMetadata(documents: TreeMap[], strict: boolean): TreeFile {
  let metadata: TreeMap | undefined;
  documents.forEach((doc, index) => {
    if (!doc.has("sops")) return;
    const value = doc.get("sops");
    if (index === 0) {
      if (value instanceof TreeMap) metadata = value;
      else if (strict) {
        throw new CofferError("METADATA_INVALID", "the sops metadata is not a mapping", {
          hint: "the top-level sops key must hold the metadata block written by sops",
        });
      } else {
        // Leave the key in place, but report that a sops key exists so the caller can refuse it.
        metadata = new TreeMap();
        return;
      }
    }
    doc.delete("sops");
  });
  return { documents, metadata };
}

function withMetadata(doc: TreeMap, metadata: TreeMap): TreeMap {
  const items = doc.items.filter((item) => item instanceof Comment || item.key !== "sops");
  return new TreeMap([...items, { key: "sops", value: metadata }]);
}

/** The YAML {@link Store}. */
export const yamlStore: Store = {
  name: "yaml",
  loadPlain(input: Uint8Array): TreeFile {
    return splitMetadata(parseYamlStream(decodeText(input)), false);
  },
  loadEncrypted(input: Uint8Array): TreeFile {
    return splitMetadata(parseYamlStream(decodeText(input)), true);
  },
  emitPlain(file: TreeFile, options?: EmitOptions): Uint8Array {
    return encoder.encode(emitYamlDocuments(file.documents, options?.indent ?? 4));
  },
  emitEncrypted(file: TreeFile, options?: EmitOptions): Uint8Array {
    const metadata = file.metadata;
    if (metadata === undefined) throw new CofferError("EMIT_FAILED", "an encrypted yaml file needs its sops metadata");
    const documents = file.documents.map((doc) => withMetadata(doc, metadata));
    return encoder.encode(emitYamlDocuments(documents, options?.indent ?? 4));
  },
  emitValue(value): Uint8Array {
    return encoder.encode(emitYamlValue(value));
  },
};
