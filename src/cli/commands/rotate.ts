/**
 * `coffer rotate FILE... | -r DIR`: a new data key for each file, every value re-encrypted with
 * fresh IVs, a new MAC; `--add-*` keys join group 0 and `--rm-*` keys leave every group (as sops).
 * Files are rewritten in place, atomically.
 */
import { CofferError } from "../../errors.js";
import { ageKey, gcpKmsKey, kmsKeyFromArnString, pgpKey, vaultKeyFromUri } from "../../config/index.js";
import { metadataFromTree } from "../../core/metadata.js";
import { storeFor } from "../../formats/index.js";
import type { FormatName } from "../../formats/store.js";
import { readInput, writeFileAtomic } from "../../io/index.js";
import { formatPlan, planRotation, rotateFile } from "../../keys/index.js";
import type { KeyStanza } from "../../provider.js";
import { lazyProviders } from "../../../providers/registry.js";
import { commaList, type CliContext } from "../context.js";
import { collectTargets, concurrencyOf, configuredIndent, displayPath, finishBatch, loadSopsConfig, runOnFiles } from "../repository.js";
import type { PickedFile } from "../repository.js";

interface RotateFlags {
  config?: string;
  recursive?: string;
  concurrency?: number;
  outputFormat?: string;
  inputType?: FormatName;
  addAge?: string;
  rmAge?: string;
  addPgp?: string;
  rmPgp?: string;
  addKms?: string;
  rmKms?: string;
  addGcpKms?: string;
  rmGcpKms?: string;
  addHcVaultTransit?: string;
  rmHcVaultTransit?: string;
}

/** The stanza templates named by one direction (`add` or `rm`) of the key flags. */
function keysFromFlags(flags: RotateFlags, direction: "add" | "rm"): KeyStanza[] {
  const pick = (name: "Age" | "Pgp" | "Kms" | "GcpKms" | "HcVaultTransit") => commaList(flags[`${direction}${name}`]);
  return [
    ...pick("Age").map(ageKey),
    ...pick("Pgp").map(pgpKey),
    ...pick("Kms").map((arn) => kmsKeyFromArnString(arn)),
    ...pick("GcpKms").map(gcpKmsKey),
    ...pick("HcVaultTransit").map(vaultKeyFromUri),
  ];
}

export async function runRotate(context: CliContext, files: string[], flags: RotateFlags): Promise<void> {
  // Validate the key flags before touching any file.
  const add = keysFromFlags(flags, "add");
  const remove = keysFromFlags(flags, "rm");
  const concurrency = concurrencyOf(flags.concurrency);
  const loaded = await loadSopsConfig(context, flags.config);
  const { picked, plaintext } = await collectTargets(context, files, { recursive: flags.recursive, inputType: flags.inputType, loaded });
  const batch = flags.recursive !== undefined || files.length > 1;
  const providers = lazyProviders(context.provider);

  const rotateOne = async (file: PickedFile): Promise<"changed"> => {
    const store = await storeFor(file.format);
    const tree = store.loadEncrypted(await readInput(file.path));
    if (tree.metadata === undefined) {
      throw new CofferError("NOT_ENCRYPTED", "the file has no sops metadata: it is not encrypted", { hint: "encrypt it first with 'coffer encrypt -i'" });
    }
    const plan = planRotation(metadataFromTree(tree.metadata), { add, remove });
    const keyLines = formatPlan(plan).filter((line) => /^\s*[+-] /.test(line));
    if (keyLines.length > 0) context.terminal.stderr.write(`${displayPath(context, file.path)}:\n${keyLines.map((line) => `    ${line}\n`).join("")}`);
    const rotated = await rotateFile(tree, plan, { resolve: providers });
    await writeFileAtomic(file.path, store.emitEncrypted(rotated, { indent: configuredIndent(loaded, file.format) }));
    return "changed";
  };

  const outcomes = await runOnFiles(context, picked, { concurrency, printFailures: batch, verb: "rotated", work: rotateOne });
  if (!batch) {
    const failure = outcomes.find((o) => o.status === "failed");
    if (failure !== undefined) throw failure.error;
    return;
  }
  finishBatch(context, outcomes, { skipped: plaintext, json: flags.outputFormat === "json" });
}
