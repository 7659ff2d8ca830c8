/**
 * Coffer's library API. Curated re-exports only: everything here is supported and documented.
 *
 * ```ts
 * import { encrypt, decrypt } from "coffer";
 * import { createAgeProvider, parseAgeIdentities } from "coffer/providers/age";
 * ```
 */
export { encrypt, encryptTree, decrypt, decryptToTree, isEncrypted, effectiveCryptRule } from "./api.js";
export type { EncryptOptions, DecryptOptions, FormatName, CryptRule } from "./api.js";
export { CofferError, isCofferError } from "./errors.js";
export type { ErrorCode, ErrorFault } from "./errors.js";
export { providersByType } from "./provider.js";
export type { KeyProvider, KeyStanza, KeyGroup, ProviderResolver } from "./provider.js";
export { Comment, Time, TreeMap } from "./core/tree.js";
export type { TreeFile, TreeValue, TreeList, Scalar, MapEntry } from "./core/tree.js";
export { parseTreePath, valueAtPath } from "./core/tree-path.js";
