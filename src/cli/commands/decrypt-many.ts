/**
 * `coffer decrypt FILE... | -r DIR --output-dir OUT`: plaintext goes only to files under OUT
 * (never concatenated on stdout), and the run shares one cache of unwrapped data keys with a bound
 * on key-service calls in flight.
 */
import { lstat, mkdir } from "node:fs/promises";
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import { decrypt } from "../../api.js";
import { CofferError } from "../../errors.js";
import { formatFromPath } from "../../formats/index.js";
import type { FormatName } from "../../formats/store.js";
import { readInput, writeFileAtomic } from "../../io/index.js";
import { cacheUnwraps } from "../../provider-cache.js";
import { lazyProviders } from "../../../providers/registry.js";
import type { CliContext } from "../context.js";
import { finishBatch, looksEncrypted, runOnFiles, walkFiles, type PickedFile } from "../repository.js";
import { warn } from "../terminal.js";
import { decryptOptions, type DecryptFlags } from "./decrypt.js";

/** Key-service calls in flight by default: enough to hide a network round trip, few enough not to be throttled. */
export const DEFAULT_DECRYPT_CONCURRENCY = 16;

/** A file to decrypt and where its plaintext goes. */
interface DecryptTarget extends PickedFile {
  out: string;
}

function concurrencyFrom(value: number | undefined): number {
  if (value === undefined) return DEFAULT_DECRYPT_CONCURRENCY;
  if (!Number.isInteger(value) || value < 1 || value > 256) {
    throw new CofferError("USAGE", "--concurrency must be between 1 and 256", { hint: `the default is ${DEFAULT_DECRYPT_CONCURRENCY}` });
  }
  return value;
}

export async function runDecryptMany(context: CliContext, files: readonly string[], flags: DecryptFlags): Promise<void> {
  if (flags.outputDir === undefined) {
    throw new CofferError("USAGE", "decrypting several files needs --output-dir", {
      hint: "pass --output-dir DIR to write each plaintext to its own file there; plaintexts are never concatenated on stdout",
    });
  }
  if (flags.output !== undefined || flags.inPlace === true) {
    throw new CofferError("USAGE", "--output and --in-place take one file; with several files use --output-dir", { hint: "drop --output/--in-place" });
  }
  if (files.includes("-")) {
    throw new CofferError("USAGE", "stdin cannot be one of several inputs", { hint: "name files, or decrypt stdin on its own" });
  }
  if (files.length === 0 && flags.recursive === undefined) {
    throw new CofferError("USAGE", "no file given", { hint: "name encrypted files, or pass -r DIR" });
  }
  const concurrency = concurrencyFrom(flags.concurrency);
  const outDir = resolve(context.cwd, flags.outputDir);
  const { targets, skipped } = await collectDecryptTargets(context, files, { ...flags, outDir });

  try {
    await mkdir(outDir, { recursive: true, mode: 0o700 });
  } catch (cause) {
    throw new CofferError("OUTPUT_UNWRITABLE", `cannot create the output directory ${outDir}`, { hint: "check the path and its permissions", cause });
  }
  // One cache for the whole run: files sharing a data key cost one key-service call. gpg runs
  // one at a time so passphrase and smartcard prompts never overlap.
  const cache = cacheUnwraps(lazyProviders(context.provider), { concurrency, concurrencyByType: { pgp: 1 } });
  const options = decryptOptions(context, flags, cache.resolve);
  const byPath = new Map(targets.map((target) => [target.path, target]));

  const decryptOne = async (file: PickedFile): Promise<"changed"> => {
    const target = byPath.get(file.path)!;
    await refuseExisting(target.out, flags.force === true);
    const plaintext = await decrypt(await readInput(file.path, { maxBytes: flags.maxInputSize }), { ...options, format: file.format });
    await mkdir(dirname(target.out), { recursive: true, mode: 0o700 });
    await writeFileAtomic(target.out, plaintext, { mode: 0o600 });
    return "changed";
  };

  // Twice as many files as key-service calls in flight, so reading, decrypting and writing
  // overlap with waiting on the service.
  const outcomes = await runOnFiles(context, targets, { concurrency: Math.min(256, concurrency * 2), verb: "decrypted", work: decryptOne });
  if (flags.ignoreMac === true) warn(context.terminal, "MACs were not verified (--ignore-mac): the content may have been tampered with");
  finishBatch(context, outcomes, { skipped, json: flags.outputFormat === "json" });
}

/** Refuses to replace an existing output unless `force`; never writes plaintext through a symlink. */
async function refuseExisting(out: string, force: boolean): Promise<void> {
  const existing = await lstat(out).catch(() => undefined);
  if (existing === undefined) return;
  if (existing.isSymbolicLink() || !existing.isFile()) {
    throw new CofferError("OUTPUT_UNWRITABLE", `refusing to write plaintext to ${out}: it is not a regular file`, { hint: "remove it or choose another --output-dir" });
  }
  if (!force) {
    throw new CofferError("FILE_EXISTS", `refusing to overwrite ${out}`, { hint: "pass --force to replace files in --output-dir, or choose an empty one" });
  }
}

/**
 * Named files (their plaintext under OUT by basename) and, with `-r DIR`, every encrypted file
 * under DIR (mirrored under OUT). Structured files that mention sops but do not parse are kept,
 * so they fail loudly; plaintext files are skipped. Two inputs bound for one output are refused.
 */
async function collectDecryptTargets(
  context: CliContext,
  files: readonly string[],
  options: { recursive?: string | undefined; inputType?: FormatName | undefined; outDir: string },
): Promise<{ targets: DecryptTarget[]; skipped: string[] }> {
  const formatOf = (path: string): FormatName => options.inputType ?? formatFromPath(path);
  const targets: DecryptTarget[] = files.map((file) => {
    const path = resolve(context.cwd, file);
    return { path, format: formatOf(path), out: join(options.outDir, basename(path)) };
  });
  const skipped: string[] = [];
  if (options.recursive !== undefined) {
    const root = resolve(context.cwd, options.recursive);
    const named = new Set(targets.map((target) => target.path));
    for (const path of await walkFiles(root)) {
      // Earlier outputs inside the tree are plaintext; never read them back as inputs.
      if (named.has(path) || path === options.outDir || path.startsWith(options.outDir + sep)) continue;
      const format = formatOf(path);
      const bytes = await readInput(path).catch(() => undefined);
      const status = bytes === undefined ? "unreadable" : await looksEncrypted(bytes, format);
      if (status === "encrypted" || (status === "unreadable" && format !== "binary")) {
        targets.push({ path, format, out: join(options.outDir, relative(root, path)) });
      } else {
        skipped.push(path);
      }
    }
  }
  const seen = new Map<string, string>();
  for (const target of targets) {
    const other = seen.get(target.out);
    if (other !== undefined) {
      throw new CofferError("USAGE", `${other} and ${target.path} would both be written to ${target.out}`, {
        hint: "decrypt files with the same name in separate runs, or use -r DIR to mirror their folders",
      });
    }
    seen.set(target.out, target.path);
  }
  return { targets, skipped };
}
