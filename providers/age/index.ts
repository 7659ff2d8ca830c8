/**
 * The age key provider: SOPS `age` entries (spec §6.1) with native X25519, post-quantum hybrid and
 * SSH (ssh-ed25519, ssh-rsa) recipients, identity discovery (§10.1) and key generation.
 */
export { createAgeProvider, type AgeProviderOptions } from "./provider.js";
export { normalizeRecipient, type AgeIdentityKind, type AgeIdentitySource } from "./identity.js";
export { parseAgeIdentities, type ParseAgeIdentitiesOptions, type ParsedAgeIdentities } from "./identity-file.js";
export { parseAgeRecipient } from "./recipient.js";
export {
  defaultAgeKeyFile,
  discoverAgeIdentities,
  type DiscoverAgeIdentitiesOptions,
  type DiscoveredAgeIdentities,
  type RunCommand,
} from "./discovery.js";
export { generateAgeIdentity, type GeneratedAgeIdentity } from "./keygen.js";
export { splitShellWords } from "./shell-words.js";
