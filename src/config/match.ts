/** Choosing the creation rule for a file (spec §9.3). */
import { dirname, sep } from "node:path";
import { CofferError } from "../errors.js";
import { TreeMap } from "../core/tree.js";
import type { KeyStanza } from "../provider.js";
import { cloneKeyStanza, parseEncryptionContext } from "./key-templates.js";
import type { CreationRule, SopsConfig } from "./types.js";

export interface MatchCreationRuleOptions {
  /** Absolute path of the target file (or of `--filename-override`). */
  filePath: string;
  /** Absolute directory of the config file; default: the directory of `config.path`. */
  configDir?: string | undefined;
  /**
   * When true (default) a config whose rules all miss throws `NO_MATCHING_RULE`; pass false when
   * keys were given on the command line and the rule is only wanted for its other settings.
   */
  required?: boolean | undefined;
  /** `--encryption-context k1:v1,...`: sops applies it to the kms keys of flat rules only. */
  encryptionContext?: string | undefined;
}

/**
 * Returns the first rule whose `path_regex` is empty or found (unanchored) in the file path, after
 * removing the `<configDir>/` prefix; files outside the config directory are matched on their
 * absolute path. Returns undefined when the config has no `creation_rules` (sops treats that as no
 * config). The key groups returned are fresh copies.
 */
export function matchCreationRule(config: SopsConfig, options: MatchCreationRuleOptions): CreationRule | undefined {
  const rules = config.creationRules;
  if (rules === undefined) return undefined;
  const configDir = options.configDir ?? dirname(config.path);
  const prefix = configDir.endsWith(sep) ? configDir : configDir + sep;
  const relative = options.filePath.startsWith(prefix) ? options.filePath.slice(prefix.length) : options.filePath;

  const rule = rules.find((candidate) => candidate.pathPattern === undefined || candidate.pathPattern.test(relative));
  if (rule === undefined) {
    if (options.required === false) return undefined;
    const patterns = rules.map((candidate) => `'${candidate.pathRegex}'`).join(", ");
    throw new CofferError("NO_MATCHING_RULE", `no creation rule in ${config.path} matches ${relative}`, {
      hint:
        rules.length === 0
          ? "creation_rules is empty: add a rule, or pass keys with --age and friends"
          : `the path_regex values are ${patterns} (searched in the path relative to the config directory); add a rule or pass keys on the command line`,
    });
  }

  const context = rule.flat && options.encryptionContext !== undefined ? parseEncryptionContext(options.encryptionContext) : [];
  const keyGroups = rule.keyGroups.map((group) =>
    group.map((stanza) => (context.length > 0 && stanza.type === "kms" ? withContext(stanza, context) : cloneKeyStanza(stanza))),
  );
  return {
    keyGroups,
    ...(rule.shamirThreshold === undefined ? {} : { shamirThreshold: rule.shamirThreshold }),
    ...(rule.cryptRule === undefined ? {} : { cryptRule: { ...rule.cryptRule } }),
    macOnlyEncrypted: rule.macOnlyEncrypted,
  };
}

/** Inserts `context` before `aws_profile`, the metadata field order (spec §6.3). */
function withContext(stanza: KeyStanza, context: Array<[string, string]>): KeyStanza {
  const copy = cloneKeyStanza(stanza);
  const entries = copy.fields.entries().filter((entry) => entry.key !== "context");
  const at = entries.findIndex((entry) => entry.key === "aws_profile");
  const contextEntry = { key: "context", value: new TreeMap(context.map(([key, value]) => ({ key, value }))) };
  entries.splice(at === -1 ? entries.length : at, 0, contextEntry);
  return { type: copy.type, fields: new TreeMap(entries) };
}
