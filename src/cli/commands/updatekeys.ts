/**
 * `coffer updatekeys FILE... | -r DIR`: make each file's key groups match its creation rule in
 * `.sops.yaml`, keeping the data key (values, `mac`, `lastmodified` and `version` untouched).
 * Plans every file first, shows the plans, asks (or needs -y), then applies them in parallel.
 */
import { createInterface } from "node:readline/promises";
import { CofferError } from "../../errors.js";
import { matchCreationRule } from "../../config/index.js";
import { metadataFromTree } from "../../core/metadata.js";
import type { TreeFile } from "../../core/tree.js";
import { storeFor } from "../../formats/index.js";
import type { FormatName } from "../../formats/store.js";
import { readInput, writeFileAtomic } from "../../io/index.js";
import { formatPlan, mapWithConcurrency, planKeyUpdate, updateFileKeys } from "../../keys/index.js";
import type { KeyUpdatePlan } from "../../keys/index.js";
import { lazyProviders } from "../../../providers/registry.js";
import type { CliContext } from "../context.js";
import { collectTargets, concurrencyOf, configuredIndent, displayPath, finishBatch, loadSopsConfig, runOnFiles } from "../repository.js";
import type { FileOutcome, PickedFile } from "../repository.js";
import { info } from "../terminal.js";

interface UpdatekeysFlags {
  config?: string;
  recursive?: string;
  yes?: boolean;
  concurrency?: number;
  outputFormat?: string;
  inputType?: FormatName;
}

interface Planned {
  file: PickedFile;
  tree?: TreeFile;
  plan?: KeyUpdatePlan;
  error?: unknown;
}

export async function runUpdatekeys(context: CliContext, files: string[], flags: UpdatekeysFlags): Promise<void> {
  const loaded = await loadSopsConfig(context, flags.config);
  if (loaded === undefined) {
    throw new CofferError("CONFIG_NOT_FOUND", "updatekeys needs a .sops.yaml and none was found", {
      hint: "run from the repository (the .sops.yaml is searched from the current directory up), or pass --config",
    });
  }
  const concurrency = concurrencyOf(flags.concurrency);
  const { picked, plaintext } = await collectTargets(context, files, { recursive: flags.recursive, inputType: flags.inputType, loaded });
  const batch = flags.recursive !== undefined || files.length > 1;

  // Plan every file: reading and comparing only, no key service is asked anything yet.
  const planned = await mapWithConcurrency(picked, concurrency, async (file): Promise<Planned> => {
    try {
      const store = await storeFor(file.format);
      const tree = store.loadEncrypted(await readInput(file.path));
      if (tree.metadata === undefined) {
        throw new CofferError("NOT_ENCRYPTED", "the file has no sops metadata: it is not encrypted", { hint: "encrypt it first with 'coffer encrypt -i'" });
      }
      const rule = matchCreationRule(loaded.config, { filePath: file.path, configDir: loaded.dir });
      if (rule === undefined || rule.keyGroups.length === 0) {
        throw new CofferError("NO_RECIPIENTS", "the matching creation rule names no keys", { hint: "add keys (age, pgp, kms, key_groups ...) to the rule in .sops.yaml" });
      }
      return { file, tree, plan: planKeyUpdate(metadataFromTree(tree.metadata), rule) };
    } catch (error) {
      if (!batch) throw error;
      return { file, error };
    }
  });

  const toChange = planned.filter((p) => p.plan?.changed === true);
  for (const { file, plan } of planned) {
    if (plan === undefined) continue;
    const lines = formatPlan(plan);
    if (!plan.changed) {
      if (!batch) info(context.terminal, `${displayPath(context, file.path)}: no changes`);
      continue;
    }
    context.terminal.stderr.write(`${displayPath(context, file.path)}:\n${lines.map((line) => `    ${line}\n`).join("")}`);
  }

  if (toChange.length > 0 && !(await confirmed(context, flags, toChange.length))) {
    info(context.terminal, "nothing changed");
    return;
  }

  const providers = lazyProviders(context.provider);
  const byPath = new Map(planned.map((p) => [p.file.path, p] as const));
  const outcomes: FileOutcome[] = await runOnFiles(context, batch ? picked : toChange.map((p) => p.file), {
    concurrency,
    printFailures: batch, verb: "updated",
    work: async (file) => {
      const { tree, plan, error } = byPath.get(file.path)!;
      if (error !== undefined) throw error;
      if (tree === undefined || plan === undefined || !plan.changed) return "unchanged";
      const updated = await updateFileKeys(tree, plan, { resolve: providers });
      const bytes = (await storeFor(file.format)).emitEncrypted(updated, { indent: configuredIndent(loaded, file.format) });
      await writeFileAtomic(file.path, bytes);
      return "changed";
    },
  });
  if (!batch) {
    const failure = outcomes.find((o) => o.status === "failed");
    if (failure !== undefined) throw failure.error;
    return;
  }
  finishBatch(context, outcomes, { skipped: plaintext, json: flags.outputFormat === "json" });
}

/** -y, or a y/N answer on a terminal; without a terminal and without -y, refuse. */
async function confirmed(context: CliContext, flags: UpdatekeysFlags, count: number): Promise<boolean> {
  if (flags.yes === true) return true;
  const stderr = context.terminal.stderr as NodeJS.WriteStream;
  if (process.stdin.isTTY !== true || stderr.isTTY !== true) {
    throw new CofferError("USAGE", "refusing to change keys without confirmation", {
      hint: "review the changes above and pass -y to apply them (no terminal to ask on)",
    });
  }
  const prompt = createInterface({ input: process.stdin, output: stderr });
  try {
    const answer = await prompt.question(`apply these key changes to ${count} file${count === 1 ? "" : "s"}? (y/N) `);
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    prompt.close();
  }
}
