/**
 * The dotenv store (spec §8.3). Deliberately naive, like sops: split on `\n` only, `#` in the first
 * column starts a comment, the key is everything before the first `=` (spaces included), no quote
 * handling, `\n` is the only escape. Metadata travels as flattened `sops_` lines (§5.4).
 */
import { formatGoFloat, formatGoShortestFloat } from "../core/canonical.js";
import { CofferError } from "../errors.js";
import { Comment, Time, TreeMap } from "../core/tree.js";
import type { MapEntry, TreeFile, TreeValue } from "../core/tree.js";
import { flattenMetadata, reservedMetadata, unflattenMetadata } from "./flatten.js";
import { singleDocument } from "./json.js";
import type { Store } from "./store.js";

const SOPS_PREFIX = "sops_";
const NEWLINE = 0x0a;
const EQUALS = 0x3d;
const HASH = 0x23;

/** Parses dotenv lines; `sops_` keys are collected separately, in file order. */
function parseLines(input: Uint8Array): { document: TreeMap; sopsPairs: Array<[string, string]> } {
  const document = new TreeMap();
  const sopsPairs: Array<[string, string]> = [];
  const buffer = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  let lineNumber = 0;
  let start = 0;
  while (start <= buffer.length) {
    let end = buffer.indexOf(NEWLINE, start);
    if (end === -1) end = buffer.length;
    lineNumber += 1;
    const line = buffer.subarray(start, end);
    start = end + 1;
    if (line.length === 0) continue;
    if (line[0] === HASH) {
      document.items.push(new Comment(line.subarray(1).toString("utf8")));
      continue;
    }
    const eq = line.indexOf(EQUALS);
    if (eq === -1) {
      throw new CofferError("FORMAT_INVALID", `invalid dotenv at line ${lineNumber}: expected KEY=VALUE`, {
        hint: "every non-empty line must be KEY=VALUE or start with #",
      });
    }
    const key = line.subarray(0, eq).toString("utf8");
    const value = line.subarray(eq + 1).toString("utf8").replaceAll("\\n", "\n");
    if (key.startsWith(SOPS_PREFIX)) sopsPairs.push([key.slice(SOPS_PREFIX.length), value]);
    else document.items.push({ key, value });
  }
  return { document, sopsPairs };
}

function loadEncrypted(input: Uint8Array): TreeFile {
  const { document, sopsPairs } = parseLines(input);
  if (sopsPairs.length === 0) return { documents: [document] };
  return { documents: [document], metadata: unflattenMetadata(sopsPairs) };
}

function loadPlain(input: Uint8Array): TreeFile {
  const { document, sopsPairs } = parseLines(input);
  if (sopsPairs.length === 0) return { documents: [document] };
  return { documents: [document], metadata: reservedMetadata(sopsPairs) };
}

/**
 * Text of a top-level value: strings as is, bools `true`/`false`, ints decimal, floats Go `%g`
 * with a `.0` forced onto integral values (so `7.0` stays recognisably a float).
 */
function valueText(entry: MapEntry): string | Uint8Array {
  const value = entry.value;
  if (value instanceof TreeMap || Array.isArray(value)) {
    throw new CofferError("EMIT_FAILED", "dotenv cannot hold nested maps or lists", {
      hint: "use yaml or json output, or flatten the value first",
    });
  }
  if (value === null) return "";
  if (typeof value === "string" || value instanceof Uint8Array) return value;
  if (typeof value === "bigint") return value.toString(10);
  if (typeof value === "boolean") return value ? "true" : "false";
  if (value instanceof Time) return value.text;
  return formatGoG(value);
}

/** Go `strconv.FormatFloat(v, 'g', -1, 64)` plus `.0` when the result looks like an integer. */
export function formatGoG(value: number): string {
  return Number.isFinite(value) ? formatGoShortestFloat(value) : formatGoFloat(value);
}

function escapeValue(value: string | Uint8Array): Buffer {
  const bytes = typeof value === "string" ? Buffer.from(value, "utf8") : Buffer.from(value);
  if (!bytes.includes(NEWLINE)) return bytes;
  const parts: Buffer[] = [];
  let start = 0;
  for (let i = bytes.indexOf(NEWLINE); i !== -1; i = bytes.indexOf(NEWLINE, start)) {
    parts.push(bytes.subarray(start, i), Buffer.from("\\n"));
    start = i + 1;
  }
  parts.push(bytes.subarray(start));
  return Buffer.concat(parts);
}

function emitLines(document: TreeMap, sopsPairs: Array<[string, string]>): Uint8Array {
  const chunks: Buffer[] = [];
  for (const item of document.items) {
    if (item instanceof Comment) {
      // A comment that came from another format may span lines; each line stays a comment.
      for (const line of item.text.split("\n")) chunks.push(Buffer.from(`#${line}\n`, "utf8"));
      continue;
    }
    chunks.push(Buffer.from(`${item.key}=`, "utf8"), escapeValue(valueText(item)), Buffer.from("\n"));
  }
  for (const [key, value] of sopsPairs) {
    chunks.push(Buffer.from(`${SOPS_PREFIX}${key}=`, "utf8"), escapeValue(value), Buffer.from("\n"));
  }
  return Buffer.concat(chunks);
}

/** The dotenv {@link Store}. */
export const dotenvStore: Store = {
  name: "dotenv",
  loadPlain,
  loadEncrypted,
  emitPlain(file: TreeFile): Uint8Array {
    return emitLines(singleDocument(file, "dotenv"), []);
  },
  emitEncrypted(file: TreeFile): Uint8Array {
    if (file.metadata === undefined) {
      throw new CofferError("EMIT_FAILED", "an encrypted file needs sops metadata", { fault: "internal" });
    }
    return emitLines(singleDocument(file, "dotenv"), flattenMetadata(file.metadata));
  },
  emitValue(value: TreeValue): Uint8Array {
    if (value instanceof TreeMap) return emitLines(value, []);
    return escapeValue(valueText({ key: "", value }));
  },
};
