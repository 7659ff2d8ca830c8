/**
 * `coffer decrypt`: plaintext only to stdout or to a file the user names. With several files or
 * `-r DIR`, plaintext goes only to files under `--output-dir` (never concatenated on stdout), and
 * the run shares one cache of unwrapped data keys with a bound on key-service calls in flight.
 */
import { decrypt } from "../../api.js";
import { CofferError } from "../../errors.js";
import type { ProviderResolver } from "../../provider.js";
import { lazyProviders } from "../../../providers/registry.js";
import { commaList, type CliContext } from "../context.js";
import { deliverOutput, loadInput, type InputOptions } from "../io.js";
import { warn } from "../terminal.js";

export interface DecryptFlags extends InputOptions {
  extract?: string;
  ignoreMac?: boolean;
  decryptionOrder?: string;
  recursive?: string;
  outputDir?: string;
  force?: boolean;
  concurrency?: number;
  outputFormat?: string;
}

export async function runDecrypt(context: CliContext, files: readonly string[], flags: DecryptFlags): Promise<void> {
  if (files.length > 1 || flags.recursive !== undefined || flags.outputDir !== undefined) {
    // Batch mode lives in its own chunk so a single-file decrypt (the hot path) never loads it.
    const { runDecryptMany } = await import("./decrypt-many.js");
    await runDecryptMany(context, files, flags);
    return;
  }
  if (flags.outputFormat !== undefined) {
    throw new CofferError("USAGE", "-o/--output-format prints the summary of a run over many files", {
      hint: "use it with --output-dir; for JSON plaintext use --output-type json",
    });
  }
  const file = files[0];
  const input = await loadInput(context, file, flags);
  const plaintext = await decrypt(input.bytes, {
    ...decryptOptions(context, flags, lazyProviders(context.provider)),
    format: input.format,
  });
  if (flags.ignoreMac === true) warn(context.terminal, "the MAC was not verified (--ignore-mac): the content may have been tampered with");
  await deliverOutput(context, file, plaintext, flags);
}

export function decryptOptions(context: CliContext, flags: DecryptFlags, providers: ProviderResolver) {
  const order = commaList(flags.decryptionOrder ?? context.env.SOPS_DECRYPTION_ORDER);
  return {
    outputFormat: flags.outputType,
    providers,
    ignoreMac: flags.ignoreMac === true,
    extract: flags.extract,
    keyOrder: order.length > 0 ? order : undefined,
    indent: flags.indent,
    onWarning: (message: string) => warn(context.terminal, message),
  };
}
