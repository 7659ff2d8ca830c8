/**
 * `.sops.yaml` text -> {@link SopsConfig}. Strict about what would change the result (types,
 * duplicate keys, two crypt selectors, malformed keys), lenient like sops about unknown keys, which
 * become warnings instead.
 */
import { parseDocument } from "yaml";
import { CofferError } from "../errors.js";
import { isRecord } from "../records.js";
import { parseCreationRule } from "./rule.js";
import type { ParsedCreationRule, SopsConfig, StoresConfig } from "./types.js";
import { unknownKeyWarnings } from "./unknown-keys.js";

/** Aliases are legitimate in configs (shared key lists) but must not explode (billion laughs). */
const MAX_ALIAS_COUNT = 100;
const TOP_LEVEL_KEYS = ["creation_rules", "destination_rules", "stores"] as const;
const STORE_NAMES = ["yaml", "json", "json_binary", "dotenv", "ini"] as const;

export interface ParseConfigOptions {
  /** Where the text came from; shown in messages and used as the default config directory. */
  path: string;
}

/**
 * Parses and validates a `.sops.yaml`. Every rule is checked up front, so a broken rule is reported
 * (`CONFIG_INVALID`, `CRYPT_RULE_CONFLICT` or `KEY_INVALID`, naming the rule 1-based) even if it
 * would not have matched; sops would only notice when it is used.
 */
export function parseConfig(text: string, options: ParseConfigOptions): SopsConfig {
  const where = options.path;
  const doc = parseDocument(text, { uniqueKeys: true, merge: true, prettyErrors: true });
  const firstError = doc.errors[0];
  if (firstError !== undefined) {
    const duplicate = firstError.code === "DUPLICATE_KEY";
    throw new CofferError("CONFIG_INVALID", `${where} is not valid yaml: ${firstLine(firstError.message)}`, {
      hint: duplicate ? "remove the repeated key" : "fix the yaml syntax at the position shown",
      cause: firstError,
    });
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (cause) {
    throw new CofferError("CONFIG_INVALID", `${where} uses too many yaml aliases`, {
      hint: "expand the aliases or reduce their nesting",
      cause,
    });
  }
  if (data === null || data === undefined) data = {};
  if (!isRecord(data)) {
    throw new CofferError("CONFIG_INVALID", `${where} must be a yaml mapping`, {
      hint: "start the file with creation_rules:",
    });
  }

  const warnings = unknownKeyWarnings(data, TOP_LEVEL_KEYS, where);
  const stores = parseStores(data.stores, warnings);
  const rawRules = data.creation_rules;
  let creationRules: ParsedCreationRule[] | undefined;
  if (rawRules !== undefined && rawRules !== null) {
    if (!Array.isArray(rawRules)) {
      throw new CofferError("CONFIG_INVALID", "creation_rules must be a list", {
        hint: "write each rule as a list item: - path_regex: ...",
      });
    }
    creationRules = rawRules.map((rule, index) => parseCreationRule(rule, index, warnings));
  }
  return { path: options.path, creationRules, stores, warnings };
}

function parseStores(value: unknown, warnings: string[]): StoresConfig {
  if (value === undefined || value === null) return {};
  if (!isRecord(value)) throw new CofferError("CONFIG_INVALID", "stores must be a mapping", { hint: "write stores: {yaml: {indent: 2}}" });
  warnings.push(...unknownKeyWarnings(value, STORE_NAMES, "stores"));
  const stores: StoresConfig = {};
  for (const name of STORE_NAMES) {
    const settings = value[name];
    if (settings === undefined || settings === null) continue;
    if (!isRecord(settings)) {
      throw new CofferError("CONFIG_INVALID", `stores.${name} must be a mapping`, { hint: `write stores: {${name}: {indent: 2}}` });
    }
    const indent = settings.indent;
    if (name === "dotenv" || name === "ini") {
      stores[name] = {};
      continue;
    }
    warnings.push(...unknownKeyWarnings(settings, ["indent"], `stores.${name}`));
    if (indent === undefined || indent === null) {
      stores[name] = {};
    } else if (typeof indent === "number" && Number.isInteger(indent) && indent >= -1 && indent <= 16) {
      stores[name] = { indent };
    } else {
      throw new CofferError("CONFIG_INVALID", `stores.${name}.indent must be a whole number`, {
        hint: "use a number of spaces (0 to 16), or -1 for a tab in json",
      });
    }
  }
  return stores;
}

function firstLine(message: string): string {
  return (message.split("\n")[0] ?? message).replace(/:\s*$/, "");
}
