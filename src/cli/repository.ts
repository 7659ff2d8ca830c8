/**
 * Repository scale for `updatekeys -r` and `rotate -r`: walk a tree, keep the files a `.sops.yaml`
 * rule covers that are encrypted, run them with bounded parallelism, and report per file and in sum.
 */
import { readdir, readFile, stat } from "node:fs/promises";
import { dirname, join, relative, resolve } from "node:path";
import { CofferError, errorData, isCofferError } from "../errors.js";
import { findConfigFile, matchCreationRule, parseConfig } from "../config/index.js";
import type { SopsConfig } from "../config/index.js";
import { formatFromPath, storeFor } from "../formats/index.js";
import type { FormatName } from "../formats/store.js";
import { mapWithConcurrency } from "../keys/concurrency.js";
import type { CliContext } from "./context.js";
import { info, statusLine, warn } from "./terminal.js";

const SKIPPED_DIRECTORIES = new Set([".git", "node_modules"]);
/** Bounds the walk against pathological trees (and loops we might have missed). */
const MAX_FILES = 100_000;

/** The config in effect (from the cwd up, `--config`, or SOPS_CONFIG), or undefined. */
export async function loadSopsConfig(context: CliContext, explicitPath: string | undefined): Promise<{ config: SopsConfig; dir: string } | undefined> {
  const found = await findConfigFile({ cwd: context.cwd, explicitPath, env: context.env });
  for (const message of found.warnings) warn(context.terminal, message);
  if (found.path === undefined) return undefined;
  const config = parseConfig(await readFile(found.path, "utf8"), { path: found.path });
  for (const message of config.warnings) warn(context.terminal, message);
  return { config, dir: dirname(found.path) };
}

/** Every regular file under `root`, sorted; skips .git, node_modules and symlinked directories. */
export async function walkFiles(root: string): Promise<string[]> {
  const files: string[] = [];
  const pending = [resolve(root)];
  while (pending.length > 0) {
    const directory = pending.pop()!;
    let entries;
    try {
      entries = await readdir(directory, { withFileTypes: true });
    } catch (cause) {
      throw new CofferError("INPUT_UNREADABLE", `cannot read directory ${directory}`, { hint: "check the path and its permissions", cause });
    }
    for (const entry of entries) {
      const path = join(directory, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRECTORIES.has(entry.name)) pending.push(path);
      } else if (entry.isFile()) {
        files.push(path);
      } else if (entry.isSymbolicLink()) {
        // Follow links to files (the atomic writer resolves them); never links to directories.
        const target = await stat(path).catch(() => undefined);
        if (target?.isFile() === true) files.push(path);
      }
      if (files.length > MAX_FILES) {
        throw new CofferError("USAGE", `more than ${MAX_FILES} files under ${root}`, { hint: "point -r at a smaller directory" });
      }
    }
  }
  return files.sort();
}

/** Whether `bytes` hold sops metadata in `format`: a substring test first, then a real parse. */
export async function looksEncrypted(bytes: Uint8Array, format: FormatName): Promise<"encrypted" | "plaintext" | "unreadable"> {
  if (!Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).includes("sops")) return "plaintext";
  try {
    const file = (await storeFor(format)).loadEncrypted(bytes);
    return file.metadata === undefined ? "plaintext" : "encrypted";
  } catch {
    return "unreadable";
  }
}

/** A file picked under `-r`. */
export interface PickedFile {
  path: string;
  format: FormatName;
}

/**
 * The files under `root` that a creation rule of `config` covers and that are encrypted. Files
 * that mention sops but do not parse are picked too, so they fail loudly instead of being skipped.
 */
export async function pickRepositoryFiles(options: { root: string; config: SopsConfig; configDir: string; inputType?: FormatName | undefined }): Promise<{ picked: PickedFile[]; plaintext: string[] }> {
  const picked: PickedFile[] = [];
  const plaintext: string[] = [];
  for (const path of await walkFiles(options.root)) {
    if (path === options.config.path) continue;
    if (matchCreationRule(options.config, { filePath: path, configDir: options.configDir, required: false }) === undefined) continue;
    const format = options.inputType ?? formatFromPath(path);
    const bytes = await readFile(path).catch(() => undefined);
    const status = bytes === undefined ? "unreadable" : await looksEncrypted(bytes, format);
    if (status === "plaintext") plaintext.push(path);
    else picked.push({ path, format });
  }
  return { picked, plaintext };
}

/** What happened to one file. */
export interface FileOutcome {
  path: string;
  status: "changed" | "unchanged" | "failed";
  error?: unknown;
}

/** Runs `work` on every file with bounded parallelism; failures become outcomes, never throws. */
export async function runOnFiles(
  context: CliContext,
  files: readonly PickedFile[],
  options: {
    concurrency: number;
    verb: string;
    work: (file: PickedFile) => Promise<"changed" | "unchanged">;
    /** False when the caller rethrows a failure itself (a single named file). */
    printFailures?: boolean;
  },
): Promise<FileOutcome[]> {
  const show = files.length > 1 ? statusLine(context.terminal) : () => undefined;
  let done = 0;
  return mapWithConcurrency(files, options.concurrency, async (file) => {
    let outcome: FileOutcome;
    try {
      outcome = { path: file.path, status: await options.work(file) };
    } catch (error) {
      outcome = { path: file.path, status: "failed", error };
    }
    done++;
    show();
    if (outcome.status !== "failed" || options.printFailures !== false) info(context.terminal, outcomeLine(context, outcome, options.verb));
    if (done < files.length) show(`[${done}/${files.length}]`);
    return outcome;
  });
}

function outcomeLine(context: CliContext, outcome: FileOutcome, verb: string): string {
  const path = displayPath(context, outcome.path);
  if (outcome.status === "failed") {
    const { code, message } = errorData(outcome.error);
    return `failed     ${path}: ${message} [${code}]`;
  }
  return outcome.status === "changed" ? `${verb.padEnd(10)} ${path}` : `unchanged  ${path}`;
}

export function displayPath(context: CliContext, path: string): string {
  const rel = relative(context.cwd, path);
  return rel === "" || rel.startsWith("..") ? path : rel;
}

/**
 * Prints the summary (stderr; JSON on stdout with `-o json`) and throws when a file failed: the
 * failed file's own error for one file, its code when all failures share one, else exit 1.
 */
export function finishBatch(context: CliContext, outcomes: readonly FileOutcome[], options: { skipped: readonly string[]; json: boolean }): void {
  const count = (status: FileOutcome["status"]) => outcomes.filter((o) => o.status === status).length;
  const summary = { changed: count("changed"), unchanged: count("unchanged"), failed: count("failed"), skipped: options.skipped.length };
  info(context.terminal, `${summary.changed} changed, ${summary.unchanged} unchanged, ${summary.failed} failed${summary.skipped > 0 ? `, ${summary.skipped} skipped (not encrypted)` : ""}`);
  if (options.json) {
    const files = [
      ...outcomes.map((o) => ({
        path: displayPath(context, o.path),
        status: o.status,
        ...(o.status === "failed" ? errorData(o.error) : {}),
      })),
      ...options.skipped.map((path) => ({ path: displayPath(context, path), status: "skipped" })),
    ];
    context.terminal.stdout.write(`${JSON.stringify({ ...summary, files }, null, 2)}\n`);
  }
  const failures = outcomes.filter((o) => o.status === "failed");
  if (failures.length === 0) return;
  const codes = new Set(failures.map((o) => errorData(o.error).code));
  const [code] = codes;
  const message = `${failures.length} of ${outcomes.length} file${outcomes.length === 1 ? "" : "s"} failed; the others were done`;
  if (codes.size === 1 && code !== undefined) {
    throw new CofferError(code, message, { hint: isCofferError(failures[0]!.error) ? failures[0]!.error.hint : undefined, cause: failures[0]!.error });
  }
  throw new CofferError("FILES_FAILED", `${message} (with different errors: ${[...codes].join(", ")})`, {
    hint: "see the per-file lines above",
  });
}

/** Options shared by `updatekeys` and `rotate` for choosing files. */
export interface TargetOptions {
  recursive?: string | undefined;
  inputType?: FormatName | undefined;
}

/**
 * The files to work on: named files as given (errors surface per file), plus with `-r DIR` the
 * covered encrypted files under DIR (which needs a `.sops.yaml`).
 */
export async function collectTargets(
  context: CliContext,
  files: readonly string[],
  options: TargetOptions & { loaded: { config: SopsConfig; dir: string } | undefined },
): Promise<{ picked: PickedFile[]; plaintext: string[] }> {
  if (files.length === 0 && options.recursive === undefined) {
    throw new CofferError("USAGE", "no file given", { hint: "name one or more encrypted files, or pass -r DIR to work on a whole tree" });
  }
  const picked: PickedFile[] = files.map((file) => ({ path: resolve(context.cwd, file), format: options.inputType ?? formatFromPath(file) }));
  const plaintext: string[] = [];
  if (options.recursive !== undefined) {
    if (options.loaded === undefined) {
      throw new CofferError("CONFIG_NOT_FOUND", "-r needs a .sops.yaml to tell which files to work on, and none was found", {
        hint: "run from the repository (the .sops.yaml is searched from the current directory up), or pass --config",
      });
    }
    const found = await pickRepositoryFiles({
      root: resolve(context.cwd, options.recursive),
      config: options.loaded.config,
      configDir: options.loaded.dir,
      inputType: options.inputType,
    });
    const named = new Set(picked.map((file) => file.path));
    picked.push(...found.picked.filter((file) => !named.has(file.path)));
    plaintext.push(...found.plaintext);
  }
  return { picked, plaintext };
}

/** The indent `.sops.yaml` asks for when writing `format`, if any. */
export function configuredIndent(loaded: { config: SopsConfig } | undefined, format: FormatName): number | undefined {
  return loaded?.config.stores[format === "binary" ? "json_binary" : format]?.indent;
}

/** Parses `--concurrency`; default 4. */
export function concurrencyOf(value: number | undefined): number {
  if (value === undefined) return 4;
  if (!Number.isInteger(value) || value < 1 || value > 256) {
    throw new CofferError("USAGE", "--concurrency must be between 1 and 256", { hint: "the default is 4" });
  }
  return value;
}
