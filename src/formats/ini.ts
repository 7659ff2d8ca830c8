/**
 * The INI store (spec §8.4). The document map holds one entry per section occurrence (key =
 * section name, value = a map of that section's keys to strings), so a value's AAD is
 * `section:key:`. A section comment is the section map's first item; a key's comment follows the
 * key. Metadata lives in a final `[sops]` section, flattened (§5.4).
 */
import { formatGoFloat } from "../core/canonical.js";
import { CofferError } from "../errors.js";
import { Comment, Time, TreeMap } from "../core/tree.js";
import type { TreeFile, TreeValue } from "../core/tree.js";
import { flattenMetadata, reservedMetadata, unflattenMetadata } from "./flatten.js";
import { emitIni } from "./ini-emit.js";
import { DEFAULT_SECTION, parseIni } from "./ini-parse.js";
import type { IniKey, IniSection } from "./ini-parse.js";
import { emitJsonValue } from "./json-emit.js";
import { singleDocument } from "./json.js";
import type { Store } from "./store.js";

const SOPS_SECTION = "sops";
const utf8 = new TextDecoder("utf-8", { ignoreBOM: true });

/** sops strips the comment character and the spaces after it (`; text` -> `text`). */
function stripCommentChar(comment: string): string {
  if (comment.startsWith(";")) return comment.replace(/^[; ]+/, "");
  if (comment.startsWith("#")) return comment.replace(/^[# ]+/, "");
  return comment;
}

function sectionToMap(section: IniSection): TreeMap {
  const map = new TreeMap();
  if (section.comment !== "") map.items.push(new Comment(stripCommentChar(section.comment)));
  for (const key of section.keys) {
    map.items.push({ key: key.name, value: key.value });
    if (key.comment !== "") map.items.push(new Comment(stripCommentChar(key.comment)));
  }
  return map;
}

function parse(input: Uint8Array): { document: TreeMap; sopsPairs: Array<[string, string]> | undefined } {
  const document = new TreeMap();
  let sopsPairs: Array<[string, string]> | undefined;
  for (const section of parseIni(utf8.decode(input))) {
    // The headerless DEFAULT section always exists in go-ini; an empty one is not part of the data.
    if (section.implicit && section.keys.length === 0) continue;
    if (section.name === SOPS_SECTION) {
      sopsPairs = [...(sopsPairs ?? []), ...section.keys.map((key): [string, string] => [key.name, key.value])];
      continue;
    }
    document.items.push({ key: section.name, value: sectionToMap(section) });
  }
  return { document, sopsPairs };
}

function loadEncrypted(input: Uint8Array): TreeFile {
  const { document, sopsPairs } = parse(input);
  if (sopsPairs === undefined) return { documents: [document] };
  // unflattenMetadata decodes the `\n` escapes; values of 3.13.0/3.13.1 files already hold real
  // newlines (read from `"""` blocks), for which the decoding is a no-op.
  return { documents: [document], metadata: unflattenMetadata(sopsPairs) };
}

function loadPlain(input: Uint8Array): TreeFile {
  const { document, sopsPairs } = parse(input);
  if (sopsPairs === undefined) return { documents: [document] };
  return { documents: [document], metadata: reservedMetadata(sopsPairs) };
}

/** sops `valToString`: floats with six decimals (Go `'f', 6`), bools lower case. */
function valueText(value: TreeValue): string {
  if (value instanceof TreeMap || Array.isArray(value)) {
    throw new CofferError("EMIT_FAILED", "ini values cannot be nested deeper than section.key", {
      hint: "use yaml or json output for nested data",
    });
  }
  if (value === null) return "";
  if (typeof value === "string") return value;
  if (typeof value === "bigint") return value.toString(10);
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number") {
    if (!Number.isFinite(value)) return formatGoFloat(value);
    return Math.abs(value) < 1e21 ? value.toFixed(6) : `${formatGoFloat(value)}.000000`;
  }
  if (value instanceof Time) return value.text;
  return Buffer.from(value).toString("utf8");
}

function appendComment(current: string, text: string): string {
  return current === "" ? text : `${current}\n${text}`;
}

/** Tree document -> go-ini sections (sops `encodeTree`). */
function documentToSections(document: TreeMap): IniSection[] {
  const sections: IniSection[] = [];
  for (const entry of document.entries()) {
    if (!(entry.value instanceof TreeMap)) {
      throw new CofferError("EMIT_FAILED", "every top-level ini value must be a section", {
        hint: "use yaml or json output, or nest the values under section names",
      });
    }
    const section: IniSection = { name: entry.key, comment: "", keys: [], implicit: false };
    let last: IniKey | undefined;
    for (const item of entry.value.items) {
      if (item instanceof Comment) {
        // A comment follows the key it belongs to; go-ini writes it above that key.
        if (last === undefined) section.comment = appendComment(section.comment, item.text);
        else last.comment = appendComment(last.comment, item.text);
        continue;
      }
      const text = valueText(item.value);
      const existing = section.keys.find((key) => key.name === item.key);
      if (existing) {
        existing.value = text;
        last = existing;
      } else {
        last = { name: item.key, value: text, comment: "" };
        section.keys.push(last);
      }
    }
    sections.push(section);
  }
  return sections;
}

function metadataSection(metadata: TreeMap): IniSection {
  const keys = flattenMetadata(metadata).map(([name, value]) => ({ name, value, comment: "" }));
  return { name: SOPS_SECTION, comment: "", keys, implicit: false };
}

function encode(sections: IniSection[]): Uint8Array {
  return Buffer.from(emitIni(sections), "utf8");
}

/** The INI {@link Store}. */
export const iniStore: Store = {
  name: "ini",
  loadPlain,
  loadEncrypted,
  emitPlain(file: TreeFile): Uint8Array {
    return encode(documentToSections(singleDocument(file, "ini")));
  },
  emitEncrypted(file: TreeFile): Uint8Array {
    if (file.metadata === undefined) {
      throw new CofferError("EMIT_FAILED", "an encrypted file needs sops metadata", { fault: "internal" });
    }
    return encode([...documentToSections(singleDocument(file, "ini")), metadataSection(file.metadata)]);
  },
  emitValue(value: TreeValue): Uint8Array {
    // sops writes a whole tree as INI and any other value as compact JSON.
    if (value instanceof TreeMap) return encode(documentToSections(value));
    return Buffer.from(emitJsonValue(value), "utf8");
  },
};

export { DEFAULT_SECTION };
