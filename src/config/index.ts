/** `.sops.yaml`: locate, parse, match; plus the key templates the CLI builds from key flags. */
export { CONFIG_FILE_NAME, MAX_SEARCH_DEPTH, findConfigFile } from "./locate.js";
export type { FindConfigFileOptions, FoundConfigFile } from "./locate.js";
export { parseConfig } from "./parse.js";
export type { ParseConfigOptions } from "./parse.js";
export { matchCreationRule } from "./match.js";
export type { MatchCreationRuleOptions } from "./match.js";
export { keyGroupFromFlags } from "./flags.js";
export type { KeyFlags } from "./flags.js";
export {
  ageKey,
  azureKey,
  azureKeyFromUrl,
  gcpKmsKey,
  hckmsKey,
  kmsKey,
  kmsKeyFromArnString,
  parseEncryptionContext,
  pgpKey,
  splitCommaList,
  vaultKeyFromUri,
} from "./key-templates.js";
export type { CreationRule, ParsedCreationRule, SopsConfig, StoreSettings, StoresConfig } from "./types.js";
