/**
 * One entry of `creation_rules` (spec §9.2) -> {@link ParsedCreationRule}: flat key fields or
 * `key_groups` (with `merge`), threshold, crypt selector, `mac_only_encrypted`.
 */
import { CofferError } from "../errors.js";
import { CRYPT_RULE_KINDS, selectCryptRule } from "../core/crypt-rules.js";
import type { CryptRuleKind } from "../core/crypt-rules.js";
import { compileRe2 } from "../core/re2.js";
import type { KeyGroup, KeyStanza } from "../provider.js";
import { isRecord } from "../records.js";
import {
  ageKey,
  azureKey,
  azureKeyFromUrl,
  dedupeKeyGroup,
  gcpKmsKey,
  hckmsKey,
  kmsKey,
  kmsKeyFromArnString,
  pgpKey,
  splitCommaList,
  vaultKeyFromUri,
} from "./key-templates.js";
import type { ParsedCreationRule } from "./types.js";
import { unknownKeyWarnings } from "./unknown-keys.js";

const FLAT_KEY_FIELDS = ["age", "pgp", "kms", "gcp_kms", "hckms", "azure_keyvault", "hc_vault_transit_uri"] as const;
const RULE_KEYS = [
  "path_regex",
  ...FLAT_KEY_FIELDS,
  "aws_profile",
  "key_groups",
  "shamir_threshold",
  ...CRYPT_RULE_KINDS,
  "mac_only_encrypted",
] as const;
const GROUP_KEYS = ["merge", "age", "pgp", "kms", "gcp_kms", "hckms", "azure_keyvault", "hc_vault"] as const;
const MAX_MERGE_DEPTH = 16;

/** Parses and validates creation rule number `index` (0-based); pushes non-fatal findings to `warnings`. */
export function parseCreationRule(raw: unknown, index: number, warnings: string[]): ParsedCreationRule {
  const where = `creation rule ${index + 1}`;
  if (!isRecord(raw)) throw invalid(`${where} must be a mapping`, "each item under creation_rules is a mapping such as {path_regex: ..., age: ...}");
  warnings.push(...unknownKeyWarnings(raw, RULE_KEYS, where));
  if (!("path_regex" in raw) && "path_regexp" in raw) {
    warnings.push(`${where} has no path_regex, so it matches every file`);
  }

  const pathRegex = optionalString(raw.path_regex, "path_regex", where) ?? "";
  const pathPattern = pathRegex === "" ? undefined : compilePathRegex(pathRegex, where);

  const rawGroups = raw.key_groups;
  const useGroups = Array.isArray(rawGroups) && rawGroups.length > 0;
  let keyGroups: KeyGroup[];
  if (useGroups) {
    const flatGiven = FLAT_KEY_FIELDS.filter((field) => raw[field] !== undefined && raw[field] !== null);
    if (flatGiven.length > 0) warnings.push(`${where}: ${flatGiven.join(", ")} ignored because key_groups is set`);
    keyGroups = rawGroups.map((group, groupIndex) => {
      const groupWhere = `key group ${groupIndex + 1} of ${where}`;
      const keys = parseKeyGroup(group, groupWhere, warnings, 0);
      if (keys.length === 0) throw invalid(`${groupWhere} has no keys`, "add at least one key to every group, or remove the group");
      return keys;
    });
  } else {
    if (rawGroups !== undefined && rawGroups !== null && !Array.isArray(rawGroups)) {
      throw invalid(`key_groups in ${where} must be a list`, "write key_groups as a list of groups: - age: [...]");
    }
    const group = parseFlatKeys(raw, where);
    keyGroups = group.length === 0 ? [] : [group];
  }

  const shamirThreshold = optionalThreshold(raw.shamir_threshold, where, keyGroups.length);
  const cryptRule = parseCryptRule(raw, where);
  const macOnlyEncrypted = optionalBoolean(raw.mac_only_encrypted, "mac_only_encrypted", where) ?? false;

  return {
    index,
    pathRegex,
    ...(pathPattern === undefined ? {} : { pathPattern }),
    flat: !useGroups,
    keyGroups,
    ...(shamirThreshold === undefined ? {} : { shamirThreshold }),
    ...(cryptRule === undefined ? {} : { cryptRule }),
    macOnlyEncrypted,
  };
}

/** Flat fields -> one group in sops' order: age, pgp, kms, gcp_kms, hckms, azure, vault. */
function parseFlatKeys(raw: Record<string, unknown>, where: string): KeyStanza[] {
  const awsProfile = optionalString(raw.aws_profile, "aws_profile", where) ?? "";
  if (typeof raw.hckms === "string") {
    throw invalid(`hckms in ${where} must be a list`, "write hckms: ['region:key-id']");
  }
  return inContext(where, () =>
    dedupeKeyGroup([
      ...stringList(raw.age, "age", where).map(ageKey),
      ...stringList(raw.pgp, "pgp", where).map(pgpKey),
      ...stringList(raw.kms, "kms", where).map((arn) => kmsKeyFromArnString(arn, { awsProfile })),
      ...stringList(raw.gcp_kms, "gcp_kms", where).map(gcpKmsKey),
      ...stringList(raw.hckms, "hckms", where).map(hckmsKey),
      ...stringList(raw.azure_keyvault, "azure_keyvault", where).map(azureKeyFromUrl),
      ...stringList(raw.hc_vault_transit_uri, "hc_vault_transit_uri", where).map(vaultKeyFromUri),
    ]),
  );
}

/** One entry of `key_groups` (or of a `merge` list): merged keys first, then its own, de-duplicated. */
function parseKeyGroup(raw: unknown, where: string, warnings: string[], depth: number): KeyStanza[] {
  if (depth > MAX_MERGE_DEPTH) throw invalid(`${where}: merge is nested too deeply`, "flatten the merge lists");
  if (!isRecord(raw)) throw invalid(`${where} must be a mapping`, "a key group looks like {age: [age1...], pgp: [...]}");
  warnings.push(...unknownKeyWarnings(raw, GROUP_KEYS, where));
  const merged = list(raw.merge, "merge", where).flatMap((group, i) =>
    parseKeyGroup(group, `merged group ${i + 1} of ${where}`, warnings, depth + 1),
  );
  const own = inContext(where, () => [
    ...stringList(raw.age, "age", where).map(ageKey),
    ...stringList(raw.pgp, "pgp", where).map(pgpKey),
    ...records(raw.kms, "kms", where, warnings, ["arn", "role", "context", "aws_profile"]).map(({ entry, at }) => {
      const arn = requiredString(entry.arn, "arn", at);
      if (/\+arn:/.test(arn)) {
        throw new CofferError("KEY_INVALID", `${at}: the arn contains a +role suffix`, { hint: "in key_groups write the role as its own field: role: arn:aws:iam::..." });
      }
      return kmsKey({
        arn,
        role: optionalString(entry.role, "role", at),
        context: contextEntries(entry.context, at),
        awsProfile: optionalString(entry.aws_profile, "aws_profile", at),
      });
    }),
    ...records(raw.gcp_kms, "gcp_kms", where, warnings, ["resource_id"]).map(({ entry, at }) =>
      gcpKmsKey(requiredString(entry.resource_id, "resource_id", at)),
    ),
    ...records(raw.hckms, "hckms", where, warnings, ["key_id"]).map(({ entry, at }) => hckmsKey(requiredString(entry.key_id, "key_id", at))),
    ...records(raw.azure_keyvault, "azure_keyvault", where, warnings, ["vaultUrl", "key", "version"]).map(({ entry, at }) =>
      azureKey(requiredString(entry.vaultUrl, "vaultUrl", at), requiredString(entry.key, "key", at), optionalString(entry.version, "version", at) ?? ""),
    ),
    ...stringList(raw.hc_vault, "hc_vault", where).map(vaultKeyFromUri),
  ]);
  return dedupeKeyGroup([...merged, ...own]);
}

function parseCryptRule(raw: Record<string, unknown>, where: string) {
  const fields: Partial<Record<CryptRuleKind, string>> = {};
  for (const kind of CRYPT_RULE_KINDS) {
    const value = optionalString(raw[kind], kind, where);
    if (value !== undefined) fields[kind] = value;
  }
  const rule = inContext(where, () => selectCryptRule(fields));
  if (rule !== undefined && rule.kind.endsWith("_regex")) {
    inContext(`${rule.kind} in ${where}`, () => compileRe2(rule.value, "CONFIG_INVALID"));
  }
  return rule;
}

function compilePathRegex(pattern: string, where: string): RegExp {
  try {
    return compileRe2(pattern, "CONFIG_INVALID");
  } catch (error) {
    const reason = error instanceof CofferError ? error.message : "invalid regular expression";
    throw new CofferError("CONFIG_INVALID", `path_regex in ${where}: ${reason}`, {
      hint: "path_regex is Go RE2 syntax: no look-around or back-references, inline flags such as (?i) only at the very start",
      cause: error,
    });
  }
}

function optionalThreshold(value: unknown, where: string, groupCount: number): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > 255) {
    throw invalid(`shamir_threshold in ${where} must be a whole number from 0 to 255`, "set it to the number of key groups needed to decrypt");
  }
  if (value === 0) return undefined;
  if (groupCount >= 2 && (value < 2 || value > groupCount)) {
    throw invalid(
      `shamir_threshold ${value} in ${where} does not fit its ${groupCount} key groups`,
      `use a threshold between 2 and ${groupCount}, or 0 to require every group`,
    );
  }
  return value;
}

function contextEntries(value: unknown, where: string): Array<[string, string]> | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isRecord(value)) throw invalid(`context in ${where} must be a mapping of strings`, "write context: {Key: value}");
  return Object.entries(value).map(([key, entry]) => {
    if (typeof entry !== "string") throw invalid(`context value ${key} in ${where} must be a string`, "quote the value");
    return [key, entry];
  });
}

/** A comma-separated string or a list of (possibly comma-separated) strings. */
function stringList(value: unknown, field: string, where: string): string[] {
  if (value === undefined || value === null) return [];
  if (typeof value === "string") return splitCommaList(value);
  if (Array.isArray(value)) {
    return value.flatMap((item) => {
      if (typeof item !== "string") throw invalid(`${field} in ${where} must list strings`, "quote each entry");
      return splitCommaList(item);
    });
  }
  throw invalid(`${field} in ${where} must be a string or a list of strings`, `write ${field}: a,b or ${field}: [a, b]`);
}

function list(value: unknown, field: string, where: string): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw invalid(`${field} in ${where} must be a list`, `write ${field} as a YAML list`);
  return value;
}

function records(value: unknown, field: string, where: string, warnings: string[], known: readonly string[]) {
  return list(value, field, where).map((entry, i) => {
    const at = `${field} entry ${i + 1} of ${where}`;
    if (!isRecord(entry)) throw invalid(`${at} must be a mapping`, `each ${field} entry has the fields ${known.join(", ")}`);
    warnings.push(...unknownKeyWarnings(entry, known, at));
    return { entry, at };
  });
}

function optionalString(value: unknown, field: string, where: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw invalid(`${field} in ${where} must be a string`, "quote the value in .sops.yaml");
  return value;
}

function requiredString(value: unknown, field: string, where: string): string {
  const text = optionalString(value, field, where);
  if (text === undefined || text === "") throw invalid(`${where} needs ${field}`, `add ${field}: ...`);
  return text;
}

function optionalBoolean(value: unknown, field: string, where: string): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "boolean") throw invalid(`${field} in ${where} must be true or false`, `write ${field}: true`);
  return value;
}


function invalid(message: string, hint: string): CofferError {
  return new CofferError("CONFIG_INVALID", message, { hint });
}

/** Runs `build`, prefixing the message of a CofferError it throws with where in the file it happened. */
function inContext<T>(where: string, build: () => T): T {
  try {
    return build();
  } catch (error) {
    if (error instanceof CofferError && !error.message.includes(where)) {
      throw new CofferError(error.code, `${where}: ${error.message}`, { hint: error.hint, cause: error, fault: error.fault });
    }
    throw error;
  }
}
