/**
 * Flattened metadata for the formats that cannot nest: dotenv (`sops_` lines) and INI (a `[sops]`
 * section), spec §5.4. Descending into a map under key K appends `__map_K`, into a list at index N
 * appends `__list_N`; the root field name is bare (`age__list_0__map_enc`).
 */
import { formatGoFloat, parseGoBool } from "../core/canonical.js";
import { CofferError } from "../errors.js";
import { Comment, Time, TreeMap } from "../core/tree.js";
import type { TreeList, TreeValue } from "../core/tree.js";

const MAP_SEPARATOR = "__map_";
const LIST_SEPARATOR = "__list_";

/**
 * Flattens the `sops` metadata map into `[key, text]` pairs in structural order: map entries in
 * the map's own item order (the metadata module writes 3.13's alphabetical order), list elements
 * by index. Newlines become the two characters `\n`. Nulls, empty lists and empty maps produce no
 * pair: a `sops_kms=` line would read back as a one-element list.
 */
export function flattenMetadata(metadata: TreeMap): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const entry of metadata.entries()) flattenInto(out, entry.key, entry.value);
  return out;
}

function flattenInto(out: Array<[string, string]>, key: string, value: TreeValue): void {
  if (value === null) return;
  if (value instanceof TreeMap) {
    for (const entry of value.entries()) flattenInto(out, `${key}${MAP_SEPARATOR}${entry.key}`, entry.value);
    return;
  }
  if (Array.isArray(value)) {
    let index = 0;
    for (const item of value) {
      if (item instanceof Comment) continue;
      flattenInto(out, `${key}${LIST_SEPARATOR}${index}`, item);
      index += 1;
    }
    return;
  }
  out.push([key, escapeNewlines(scalarText(value))]);
}

function scalarText(value: Exclude<TreeValue, null | TreeMap | TreeList>): string {
  if (typeof value === "string") return value;
  if (typeof value === "bigint") return value.toString(10);
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number") return formatGoFloat(value);
  if (value instanceof Time) return value.text;
  return Buffer.from(value).toString("utf8");
}

/** Writes newlines as the two characters `\n` (no other escapes; backslashes are not doubled). */
export function escapeNewlines(text: string): string {
  return text.replaceAll("\n", "\\n");
}

/** Turns every two-character `\n` back into a newline. */
export function unescapeNewlines(text: string): string {
  return text.replaceAll("\\n", "\n");
}

type Step = { kind: "map"; key: string } | { kind: "list"; index: number };

/** A node under construction: lists are sparse until every index has been seen. */
type Building = { kind: "map"; entries: Map<string, Building | string> } | { kind: "list"; items: Map<number, Building | string> };

function invalid(message: string, hint?: string): CofferError {
  return new CofferError("METADATA_INVALID", message, { hint: hint ?? "the flattened sops metadata is damaged; restore it from version control" });
}

/** Splits `age__list_0__map_enc` into the root name and its steps. */
function parseFlatKey(flatKey: string): { root: string; steps: Step[] } {
  const next = (from: number): number => {
    const m = flatKey.indexOf(MAP_SEPARATOR, from);
    const l = flatKey.indexOf(LIST_SEPARATOR, from);
    if (m === -1) return l;
    if (l === -1) return m;
    return Math.min(m, l);
  };
  let at = next(0);
  const root = at === -1 ? flatKey : flatKey.slice(0, at);
  const steps: Step[] = [];
  while (at !== -1) {
    const isMap = flatKey.startsWith(MAP_SEPARATOR, at);
    const start = at + (isMap ? MAP_SEPARATOR.length : LIST_SEPARATOR.length);
    at = next(start);
    const part = at === -1 ? flatKey.slice(start) : flatKey.slice(start, at);
    if (isMap) {
      steps.push({ kind: "map", key: part });
    } else {
      if (!/^[0-9]+$/.test(part) || part.length > 9) throw invalid("a flattened metadata key has a malformed list index");
      steps.push({ kind: "list", index: Number(part) });
    }
  }
  return { root, steps };
}

function childFor(step: Step): Building {
  return step.kind === "map" ? { kind: "map", entries: new Map() } : { kind: "list", items: new Map() };
}

function slotGet(node: Building, step: Step): Building | string | undefined {
  if (node.kind === "map" && step.kind === "map") return node.entries.get(step.key);
  if (node.kind === "list" && step.kind === "list") return node.items.get(step.index);
  throw invalid("a flattened metadata key mixes a map and a list at the same place");
}

function slotSet(node: Building, step: Step, value: Building | string): void {
  if (node.kind === "map" && step.kind === "map") node.entries.set(step.key, value);
  else if (node.kind === "list" && step.kind === "list") node.items.set(step.index, value);
}

/**
 * Rebuilds the nested `sops` map from flattened pairs (keys without the dotenv `sops_` prefix).
 * Map keys keep their first-appearance order; list indices must be contiguous from 0. Values have
 * their `\n` escapes decoded; `shamir_threshold` becomes a bigint (an integral float text such as
 * `2.000000` from very old files is accepted) and `mac_only_encrypted` a boolean.
 * Throws `METADATA_INVALID` on conflicting or incomplete keys.
 */
export function unflattenMetadata(pairs: Iterable<readonly [string, string]>): TreeMap {
  const root: Building = { kind: "map", entries: new Map() };
  for (const [flatKey, text] of pairs) {
    const { root: name, steps } = parseFlatKey(flatKey);
    const path: Step[] = [{ kind: "map", key: name }, ...steps];
    let node: Building = root;
    for (let i = 0; i < path.length; i += 1) {
      const step = path[i]!;
      const last = i === path.length - 1;
      const existing = slotGet(node, step);
      if (last) {
        if (existing !== undefined && typeof existing !== "string") throw invalid("a flattened metadata key is both a value and a container");
        slotSet(node, step, text);
        break;
      }
      const nextStep = path[i + 1]!;
      if (existing === undefined) {
        const child = childFor(nextStep);
        slotSet(node, step, child);
        node = child;
      } else if (typeof existing === "string") {
        throw invalid("a flattened metadata key is both a value and a container");
      } else {
        node = existing;
      }
    }
  }
  const result = materialize(root);
  if (!(result instanceof TreeMap)) throw invalid("flattened metadata did not form a map");
  return typeRootFields(result);
}

function materialize(node: Building | string): TreeValue {
  if (typeof node === "string") return unescapeNewlines(node);
  if (node.kind === "map") {
    return new TreeMap([...node.entries].map(([key, child]) => ({ key, value: materialize(child) })));
  }
  const list: TreeList = [];
  for (let index = 0; index < node.items.size; index += 1) {
    const child = node.items.get(index);
    if (child === undefined) throw invalid("a flattened metadata list is incomplete", "list indices must run from 0 without gaps");
    list.push(materialize(child));
  }
  return list;
}

function typeRootFields(metadata: TreeMap): TreeMap {
  const threshold = metadata.get("shamir_threshold");
  if (typeof threshold === "string") metadata.set("shamir_threshold", parseThreshold(threshold));
  const macOnly = metadata.get("mac_only_encrypted");
  if (typeof macOnly === "string") {
    const parsed = parseGoBool(macOnly);
    if (parsed === undefined) throw invalid("mac_only_encrypted is not a boolean");
    metadata.set("mac_only_encrypted", parsed);
  }
  return metadata;
}

function parseThreshold(text: string): bigint {
  if (/^[+-]?[0-9]+$/.test(text)) return BigInt(text);
  const value = Number(text);
  if (/^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/.test(text) && Number.isInteger(value)) return BigInt(value);
  throw invalid("shamir_threshold is not an integer");
}

/**
 * The metadata of a file that has `sops_` keys (dotenv) or a `[sops]` section (INI). Those names
 * are reserved: even when they do not form valid flattened metadata they are reported as metadata,
 * so that encrypting such a file is refused rather than silently mixing them with data.
 */
export function reservedMetadata(pairs: Array<[string, string]>): TreeMap {
  try {
    return unflattenMetadata(pairs);
  } catch {
    return new TreeMap(pairs.map(([key, value]) => ({ key, value })));
  }
}
