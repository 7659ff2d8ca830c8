/**
 * The `sops` metadata block <-> typed {@link Metadata} (spec §5). Reading is lenient like sops
 * (any field order, `kms: []`/null lists, strings from flattened dotenv/INI metadata, unquoted
 * timestamps); writing produces the 3.13 layout (alphabetical fields, empty lists omitted).
 * Stanza fields and unknown top-level fields are kept verbatim so nothing is lost on rewrite.
 */
import { CofferError } from "../errors.js";
import type { KeyGroup, KeyStanza } from "../provider.js";
import { CRYPT_RULE_KINDS, isCryptRuleKind, selectCryptRule } from "./crypt-rules.js";
import type { CryptRule, CryptRuleKind } from "./crypt-rules.js";
import { Comment, Time, TreeMap } from "./tree.js";
import type { MapEntry, TreeValue } from "./tree.js";

/** The sops release whose layout we write. */
export const DEFAULT_SOPS_VERSION = "3.13.2";

/** Per-type key lists sops knows, in the order sops collects them into a group (spec §5.2). */
export const KNOWN_KEY_TYPES = ["kms", "gcp_kms", "hckms", "azure_kv", "hc_vault", "pgp", "age"] as const;

const SCALAR_FIELDS = new Set([
  "key_groups",
  "shamir_threshold",
  "lastmodified",
  "mac",
  "mac_only_encrypted",
  "version",
  ...CRYPT_RULE_KINDS,
]);

/** The typed contents of a `sops` block. */
export interface Metadata {
  /** Key groups in file order; one group for the flat layout. */
  keyGroups: KeyGroup[];
  shamirThreshold?: number | undefined;
  /** `lastmodified` as written in the file (canonicalised only for the MAC's AAD). */
  lastModified: string;
  /** The encrypted MAC (`ENC[...]`), or "" when absent. */
  mac: string;
  /** The crypt rule stored in the file; undefined means the `_unencrypted` default applies. */
  cryptRule?: CryptRule | undefined;
  macOnlyEncrypted: boolean;
  /** The sops version that wrote the file ("" when absent). */
  version: string;
  /** Top-level fields Coffer does not know, kept in file order. */
  unknown: MapEntry[];
}

function invalid(message: string): CofferError {
  return new CofferError("METADATA_INVALID", message, {
    hint: "the sops block is malformed; restore it from version control",
  });
}

function asString(value: TreeValue | undefined, field: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "string") return value;
  if (value instanceof Time) return value.text;
  if (typeof value === "number" || typeof value === "bigint") return String(value);
  throw invalid(`sops.${field} must be a string`);
}

function asBool(value: TreeValue | undefined, field: string): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === "boolean") return value;
  if (value === "true" || value === "True") return true;
  if (value === "false" || value === "False" || value === "") return false;
  throw invalid(`sops.${field} must be a boolean`);
}

function asThreshold(value: TreeValue | undefined): number | undefined {
  if (value === undefined || value === null) return undefined;
  let n: number;
  if (typeof value === "bigint") n = Number(value);
  else if (typeof value === "number") n = value;
  else if (typeof value === "string" && /^\s*[0-9]+(\.0*)?\s*$/.test(value)) n = Number.parseFloat(value);
  else throw invalid("sops.shamir_threshold must be an integer");
  if (!Number.isInteger(n) || n < 0 || n > 255) throw invalid("sops.shamir_threshold is out of range");
  return n === 0 ? undefined : n;
}

/** Reads a per-type list into stanzas; null and [] are empty. */
function readStanzas(type: string, value: TreeValue | undefined, where: string): KeyStanza[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw invalid(`${where}.${type} must be a list`);
  const stanzas: KeyStanza[] = [];
  for (const item of value) {
    if (item instanceof Comment) continue;
    if (!(item instanceof TreeMap)) throw invalid(`${where}.${type} entries must be maps`);
    stanzas.push({ type, fields: item });
  }
  return stanzas;
}

/** Collects one group's stanzas: known types in sops' order, then unknown list-valued types. */
function readGroup(map: TreeMap, where: string, isTopLevel: boolean): KeyGroup {
  const group: KeyGroup = [];
  for (const type of KNOWN_KEY_TYPES) group.push(...readStanzas(type, map.get(type), where));
  if (!isTopLevel) {
    for (const { key, value } of map.entries()) {
      if ((KNOWN_KEY_TYPES as readonly string[]).includes(key) || !Array.isArray(value)) continue;
      group.push(...readStanzas(key, value, where));
    }
  }
  return group;
}

/** Parses a `sops` map. Two crypt rules → `CRYPT_RULE_CONFLICT`; bad shapes → `METADATA_INVALID`. */
export function metadataFromTree(map: TreeMap): Metadata {
  const flat = readGroup(map, "sops", true);
  let keyGroups: KeyGroup[];
  // Reader rule (spec §5.2): any non-empty top-level list wins over key_groups.
  if (flat.length > 0) {
    keyGroups = [flat];
  } else {
    const groups = map.get("key_groups");
    if (groups !== undefined && groups !== null && !Array.isArray(groups)) throw invalid("sops.key_groups must be a list");
    keyGroups = (groups ?? []).flatMap((group, index) => {
      if (group instanceof Comment) return [];
      if (!(group instanceof TreeMap)) throw invalid("sops.key_groups entries must be maps");
      return [readGroup(group, `sops.key_groups[${index}]`, false)];
    });
  }
  const ruleFields: Partial<Record<CryptRuleKind, string | undefined>> = {};
  for (const kind of CRYPT_RULE_KINDS) ruleFields[kind] = asString(map.get(kind), kind);
  const unknown = map
    .entries()
    .filter(({ key }) => !SCALAR_FIELDS.has(key) && !(KNOWN_KEY_TYPES as readonly string[]).includes(key))
    .map(({ key, value }) => ({ key, value }));
  return {
    keyGroups,
    shamirThreshold: asThreshold(map.get("shamir_threshold")),
    lastModified: asString(map.get("lastmodified"), "lastmodified") ?? "",
    mac: asString(map.get("mac"), "mac") ?? "",
    cryptRule: selectCryptRule(ruleFields),
    macOnlyEncrypted: asBool(map.get("mac_only_encrypted"), "mac_only_encrypted"),
    version: asString(map.get("version"), "version") ?? "",
    unknown,
  };
}

function byKey(a: MapEntry, b: MapEntry): number {
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

/** A stanza's fields in alphabetical order (the 3.13 layout); values untouched. */
function sortedStanza(stanza: KeyStanza): TreeMap {
  return new TreeMap(stanza.fields.entries().map(({ key, value }) => ({ key, value })).sort(byKey));
}

/** Groups stanzas by type into per-type lists; types alphabetical, stanza order kept. */
function groupEntries(group: KeyGroup): MapEntry[] {
  const byType = new Map<string, TreeMap[]>();
  for (const stanza of group) {
    const list = byType.get(stanza.type) ?? [];
    list.push(sortedStanza(stanza));
    byType.set(stanza.type, list);
  }
  return [...byType].map(([key, list]) => ({ key, value: list }));
}

/**
 * Builds the `sops` map in the 3.13 layout: alphabetical fields, empty lists omitted, one group as
 * flat per-type lists, two or more as `key_groups` + `shamir_threshold`, `mac_only_encrypted` only
 * when true, `version` defaulting to {@link DEFAULT_SOPS_VERSION}; unknown fields written back.
 */
export function metadataToTree(metadata: Metadata): TreeMap {
  const entries: MapEntry[] = [];
  const groups = metadata.keyGroups.filter((group) => group.length > 0);
  if (groups.length === 1) {
    entries.push(...groupEntries(groups[0]!));
  } else if (groups.length >= 2) {
    entries.push({ key: "key_groups", value: groups.map((group) => new TreeMap(groupEntries(group).sort(byKey))) });
    entries.push({ key: "shamir_threshold", value: BigInt(metadata.shamirThreshold ?? groups.length) });
  }
  if (metadata.cryptRule) entries.push({ key: metadata.cryptRule.kind, value: metadata.cryptRule.value });
  entries.push({ key: "lastmodified", value: metadata.lastModified });
  entries.push({ key: "mac", value: metadata.mac });
  if (metadata.macOnlyEncrypted) entries.push({ key: "mac_only_encrypted", value: true });
  entries.push({ key: "version", value: metadata.version || DEFAULT_SOPS_VERSION });
  const known = new Set(entries.map((entry) => entry.key));
  for (const entry of metadata.unknown) {
    if (!known.has(entry.key) && !isCryptRuleKind(entry.key)) entries.push(entry);
  }
  return new TreeMap(entries.sort(byKey));
}
