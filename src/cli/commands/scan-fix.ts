/**
 * `coffer scan --fix`: move flagged ConfigMap keys into a new Secret, encrypted for the
 * recipients of the matching `.sops.yaml` creation rule and written next to the source file as
 * `<name>.enc.yaml`; remove the keys from the ConfigMap and rewrite references in the scanned
 * files. The encrypted Secret is written first, so an interruption never loses a value.
 */
import { dirname, relative } from "node:path";
import { access, readFile } from "node:fs/promises";
import { encrypt } from "../../api.js";
import { CofferError } from "../../errors.js";
import { findConfigFile, matchCreationRule, parseConfig } from "../../config/index.js";
import { writeFileAtomic, writeNewFileExclusive } from "../../io/index.js";
import { lazyProviders } from "../../../providers/registry.js";
import type { Finding } from "../../scan/finding.js";
import { applyFixToDocuments, describeFix, secretManifest } from "../../scan/fix-apply.js";
import { planFix, type ScannedFile, type SecretMove } from "../../scan/fix-plan.js";
import type { CliContext } from "../context.js";
import { info, warn } from "../terminal.js";
import type { ScanFlags } from "./scan.js";

async function encryptSecret(context: CliContext, move: SecretMove, flags: ScanFlags, dryRun: boolean): Promise<Uint8Array | undefined> {
  const found = await findConfigFile({ cwd: dirname(move.target), explicitPath: flags.config ?? context.env.SOPS_CONFIG });
  if (found.path === undefined) {
    throw new CofferError("NO_RECIPIENTS", `no .sops.yaml found for ${relative(context.cwd, move.target)}: nothing to encrypt the new Secret for`, {
      hint: "add a .sops.yaml with a creation rule covering the manifests (or pass --config)",
    });
  }
  const config = parseConfig(await readFile(found.path, "utf8"), { path: found.path });
  const rule = matchCreationRule(config, { filePath: move.target, configDir: dirname(found.path), required: true });
  if (rule === undefined || rule.keyGroups.length === 0) {
    throw new CofferError("NO_RECIPIENTS", `the .sops.yaml rule for ${relative(context.cwd, move.target)} names no keys`, { hint: "add recipients to the creation rule" });
  }
  if (dryRun) return undefined;
  return encrypt(secretManifest(move), {
    format: "yaml",
    keyGroups: rule.keyGroups,
    providers: lazyProviders(context.provider),
    shamirThreshold: rule.shamirThreshold,
    cryptRule: rule.cryptRule,
    macOnlyEncrypted: rule.macOnlyEncrypted,
    kubernetesSecretDefault: true,
  });
}

/** Performs (or with --dry-run, prints) the fix; returns the fingerprints of the findings it resolved. */
export async function runFix(context: CliContext, files: ScannedFile[], findings: Finding[], flags: ScanFlags): Promise<Set<string>> {
  const plan = planFix(files, findings, { secretName: flags.secretName });
  const dryRun = flags.dryRun === true;
  const fixed = new Set(plan.secrets.flatMap((move) => move.fingerprints));
  if (plan.secrets.length === 0) {
    info(context.terminal, "nothing to fix: --fix moves flagged ConfigMap keys, and no ConfigMap has one");
    return fixed;
  }
  const encrypted = new Map<SecretMove, Uint8Array | undefined>();
  for (const move of plan.secrets) encrypted.set(move, await encryptSecret(context, move, flags, dryRun));
  for (const user of plan.volumeUsers) warn(context.terminal, `${user} mounts a ConfigMap whose keys move: its volume is not rewritten, add the Secret by hand`);
  if (dryRun) {
    context.terminal.stdout.write(describeFix(plan, (path) => relative(context.cwd, path)));
    return fixed;
  }
  if (flags.force !== true) {
    // Check every target before writing any, so a refusal leaves everything as it was.
    for (const move of plan.secrets) {
      if (await exists(move.target)) {
        throw new CofferError("FILE_EXISTS", `refusing to overwrite ${relative(context.cwd, move.target)}; nothing was changed`, { hint: "pass --force to replace it, or --secret-name NAME" });
      }
    }
  }
  const texts = applyFixToDocuments(plan);
  for (const move of plan.secrets) {
    const bytes = encrypted.get(move) as Uint8Array;
    if (flags.force === true) await writeFileAtomic(move.target, bytes, { mode: 0o644 });
    else await writeNewFileExclusive(move.target, bytes, 0o644);
    info(context.terminal, `wrote ${relative(context.cwd, move.target)} (${move.moves.length} key(s) from ConfigMap ${move.configMap.name})`);
  }
  for (const [file, text] of texts) {
    await writeFileAtomic(file.input.path, text);
    info(context.terminal, `updated ${file.input.display}`);
  }
  return fixed;
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
