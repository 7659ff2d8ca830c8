/** The typed shape of a parsed `.sops.yaml` (spec §9.2) and of a matched creation rule. */
import type { CryptRule } from "../core/crypt-rules.js";
import type { KeyGroup } from "../provider.js";

/**
 * What a matching creation rule asks for. Key groups hold stanza templates without `enc`
 * (spec §6): `age` {recipient}, `pgp` {fp}, `kms` {arn, role?, context?, aws_profile},
 * `gcp_kms` {resource_id}, `azure_kv` {vault_url, name, version},
 * `hc_vault` {vault_address, engine_path, key_name}, `hckms` {key_id}.
 */
export interface CreationRule {
  /** Empty when the rule names no keys (the caller then needs key flags). */
  keyGroups: KeyGroup[];
  /** Absent when the rule sets no threshold or 0 (then every group is needed). */
  shamirThreshold?: number;
  /** Absent when the rule sets none of the six selectors. */
  cryptRule?: CryptRule;
  macOnlyEncrypted: boolean;
}

/** One creation rule as parsed, before matching. */
export interface ParsedCreationRule extends CreationRule {
  /** 0-based position in `creation_rules` (messages show it 1-based). */
  index: number;
  /** The RE2 source as written; "" matches every file. */
  pathRegex: string;
  /** `pathRegex` translated to JavaScript; undefined when `pathRegex` is empty. */
  pathPattern?: RegExp;
  /** True when keys came from the flat fields (`age:`, `kms:` ...) rather than `key_groups`. */
  flat: boolean;
}

/** Output formatting from `stores:`. Only indents that were actually written are present. */
export interface StoreSettings {
  indent?: number;
}

export interface StoresConfig {
  yaml?: StoreSettings;
  json?: StoreSettings;
  json_binary?: StoreSettings;
  [store: string]: StoreSettings | undefined;
}

/** A parsed `.sops.yaml`. */
export interface SopsConfig {
  /** The file it was read from (used for messages and the default config directory). */
  path: string;
  /**
   * Undefined when the file has no `creation_rules` key (sops then behaves as if there were no
   * config at all). An explicit empty list is kept: nothing can match it.
   */
  creationRules: ParsedCreationRule[] | undefined;
  stores: StoresConfig;
  /** Things the user probably wants to know (unknown keys with suggestions); never fatal. */
  warnings: string[];
}
