/** `coffer encrypt`: recipients from flags or .sops.yaml, crypt rule, then the library. */
import { dirname } from "node:path";
import { readFile } from "node:fs/promises";
import { CofferError } from "../../errors.js";
import { encrypt, type CryptRule } from "../../api.js";
import { findConfigFile, parseConfig, matchCreationRule, keyGroupFromFlags, type SopsConfig } from "../../config/index.js";
import { lazyProviders } from "../../../providers/registry.js";
import type { KeyGroup } from "../../provider.js";
import { commaList, type CliContext } from "../context.js";
import { deliverOutput, loadInput, type InputOptions } from "../io.js";
import { warn } from "../terminal.js";

interface EncryptFlags extends InputOptions {
  config?: string;
  age?: string;
  pgp?: string;
  kms?: string;
  awsProfile?: string;
  encryptionContext?: string;
  gcpKms?: string;
  hcVaultTransit?: string;
  azureKv?: string;
  unencryptedSuffix?: string;
  encryptedSuffix?: string;
  unencryptedRegex?: string;
  encryptedRegex?: string;
  unencryptedCommentRegex?: string;
  encryptedCommentRegex?: string;
  macOnlyEncrypted?: boolean;
  shamirSecretSharingThreshold?: number;
  kubernetesDefault?: boolean;
}

const CRYPT_FLAGS = [
  ["unencryptedSuffix", "unencrypted_suffix"],
  ["encryptedSuffix", "encrypted_suffix"],
  ["unencryptedRegex", "unencrypted_regex"],
  ["encryptedRegex", "encrypted_regex"],
  ["unencryptedCommentRegex", "unencrypted_comment_regex"],
  ["encryptedCommentRegex", "encrypted_comment_regex"],
] as const;

function cryptRuleFromFlags(flags: EncryptFlags): CryptRule | undefined {
  const given = CRYPT_FLAGS.filter(([flag]) => flags[flag] !== undefined);
  if (given.length > 1) {
    throw new CofferError("CRYPT_RULE_CONFLICT", `only one crypt rule may be given, got ${given.map(([, kind]) => kind).join(" and ")}`, {
      hint: "keep one of --unencrypted-suffix, --encrypted-suffix, --unencrypted-regex, --encrypted-regex and the comment regexes",
    });
  }
  const [flag, kind] = given[0] ?? [];
  return flag === undefined || kind === undefined ? undefined : { kind, value: flags[flag] as string };
}

async function loadConfig(context: CliContext, flags: EncryptFlags): Promise<{ config: SopsConfig; dir: string } | undefined> {
  const found = await findConfigFile({ cwd: context.cwd, explicitPath: flags.config ?? context.env.SOPS_CONFIG });
  for (const message of found.warnings) warn(context.terminal, message);
  if (found.path === undefined) return undefined;
  const config = parseConfig(await readFile(found.path, "utf8"), { path: found.path });
  for (const message of config.warnings ?? []) warn(context.terminal, message);
  return { config, dir: dirname(found.path) };
}

export async function runEncrypt(context: CliContext, file: string | undefined, flags: EncryptFlags): Promise<void> {
  const input = await loadInput(context, file, flags);
  const flagKeys = keyGroupFromFlags({
    age: commaList(flags.age, context.env.SOPS_AGE_RECIPIENTS),
    pgp: commaList(flags.pgp, context.env.SOPS_PGP_FP),
    kms: commaList(flags.kms, context.env.SOPS_KMS_ARN),
    gcpKms: commaList(flags.gcpKms, context.env.SOPS_GCP_KMS_IDS),
    hcVaultTransit: commaList(flags.hcVaultTransit, context.env.SOPS_VAULT_URIS),
    azureKv: commaList(flags.azureKv, context.env.SOPS_AZURE_KEYVAULT_URLS),
    awsProfile: flags.awsProfile,
    encryptionContext: flags.encryptionContext,
  });
  const flagRule = cryptRuleFromFlags(flags);

  let keyGroups: KeyGroup[] = [];
  let cryptRule = flagRule;
  let macOnlyEncrypted = flags.macOnlyEncrypted === true;
  let threshold = flags.shamirSecretSharingThreshold;
  let indent = flags.indent;
  const loaded = await loadConfig(context, flags);

  if (flagKeys.length > 0) {
    // Any key flag means the config's keys are ignored entirely (sops §9.3).
    keyGroups = [flagKeys];
  }
  if (loaded !== undefined) {
    const rule =
      input.path === undefined && flagKeys.length > 0
        ? undefined
        : matchCreationRule(loaded.config, { filePath: input.path ?? `${context.cwd}/stdin`, configDir: loaded.dir, required: flagKeys.length === 0, encryptionContext: flags.encryptionContext });
    if (rule !== undefined) {
      if (flagKeys.length === 0) keyGroups = rule.keyGroups;
      cryptRule = flagRule ?? rule.cryptRule;
      macOnlyEncrypted = macOnlyEncrypted || rule.macOnlyEncrypted;
      threshold ??= rule.shamirThreshold;
    }
    indent ??= loaded.config.stores?.[input.format === "binary" ? "json_binary" : (flags.outputType ?? input.format)]?.indent;
  }
  if (keyGroups.length === 0) {
    throw new CofferError("NO_RECIPIENTS", "no recipients: nothing to encrypt the data key for", {
      hint: "pass --age age1... (see 'coffer keygen'), or add a creation rule to .sops.yaml",
    });
  }

  const result = await encrypt(input.bytes, {
    format: input.format,
    outputFormat: flags.outputType,
    keyGroups,
    providers: lazyProviders(context.provider),
    shamirThreshold: threshold,
    cryptRule,
    macOnlyEncrypted,
    kubernetesSecretDefault: flags.kubernetesDefault !== false,
    indent,
  });
  await deliverOutput(context, file, result, flags);
}
