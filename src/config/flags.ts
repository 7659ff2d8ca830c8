/** The single key group built from command-line key flags (`--age a,b --kms ...`), spec §9.3. */
import type { KeyGroup, KeyStanza } from "../provider.js";
import {
  ageKey,
  azureKeyFromUrl,
  dedupeKeyGroup,
  gcpKmsKey,
  hckmsKey,
  kmsKeyFromArnString,
  parseEncryptionContext,
  pgpKey,
  splitCommaList,
  vaultKeyFromUri,
} from "./key-templates.js";

/** Key flag values as given; each string may itself be a comma-separated list. */
export interface KeyFlags {
  age?: readonly string[] | undefined;
  pgp?: readonly string[] | undefined;
  /** `arn` or `arn+roleArn`. */
  kms?: readonly string[] | undefined;
  gcpKms?: readonly string[] | undefined;
  hcVaultTransit?: readonly string[] | undefined;
  azureKv?: readonly string[] | undefined;
  hckms?: readonly string[] | undefined;
  /** Written into every kms key (`aws_profile`). */
  awsProfile?: string | undefined;
  /** `k1:v1,k2:v2`, applied to every kms key; malformed -> `ENCRYPTION_CONTEXT_INVALID`. */
  encryptionContext?: string | undefined;
}

/**
 * Builds the one key group the CLI uses when any key flag is given (the config's keys are then
 * ignored entirely). Keys are listed in sops' command-line order: kms, gcp_kms, azure_kv, hckms,
 * pgp, hc_vault, age; repeated keys are dropped. Throws `KEY_INVALID` for a malformed key.
 */
export function keyGroupFromFlags(flags: KeyFlags): KeyGroup {
  const items = (values: readonly string[] | undefined) => (values ?? []).flatMap(splitCommaList);
  const context = flags.encryptionContext === undefined ? [] : parseEncryptionContext(flags.encryptionContext);
  const group: KeyStanza[] = [
    ...items(flags.kms).map((arn) => kmsKeyFromArnString(arn, { context, awsProfile: flags.awsProfile })),
    ...items(flags.gcpKms).map(gcpKmsKey),
    ...items(flags.azureKv).map(azureKeyFromUrl),
    ...items(flags.hckms).map(hckmsKey),
    ...items(flags.pgp).map(pgpKey),
    ...items(flags.hcVaultTransit).map(vaultKeyFromUri),
    ...items(flags.age).map(ageKey),
  ];
  return dedupeKeyGroup(group);
}
