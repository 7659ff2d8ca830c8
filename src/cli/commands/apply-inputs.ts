/**
 * The inputs of `coffer apply`, decrypted in memory: manifest files (encrypted or plain) and the
 * files of a generated Secret. Files are read and decrypted concurrently through one unwrap cache;
 * a file that fails is reported and the others go on. Nothing is ever written to disk.
 */
import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import { decrypt, decryptToTree } from "../../api.js";
import { CofferError, isCofferError } from "../../errors.js";
import { TreeMap } from "../../core/tree.js";
import { formatFromPath, storeFor } from "../../formats/index.js";
import type { FormatName } from "../../formats/store.js";
import { readInput } from "../../io/index.js";
import { mapWithConcurrency } from "../../keys/concurrency.js";
import { manifestsFromTree, parseManifests, type SourcedObject } from "../../kube/manifests.js";
import type { GeneratorInput } from "../../kube/secret-generator.js";
import type { ProviderResolver } from "../../provider.js";
import type { CliContext } from "../context.js";
import { displayPath, walkFiles } from "../repository.js";
import { decryptOptions } from "./decrypt.js";

const MANIFEST_FILE = /\.(ya?ml|json)$/;
const FILES_IN_FLIGHT = 32;

export interface InputFailure {
  source: string;
  error: unknown;
}

/** Expands -f arguments: files as given, directories to their manifest files, '-' for stdin. */
export async function manifestPaths(context: CliContext, args: readonly string[]): Promise<string[]> {
  const paths: string[] = [];
  for (const arg of args) {
    if (arg === "-") {
      paths.push("-");
      continue;
    }
    const path = resolve(context.cwd, arg);
    const info = await stat(path).catch((cause: unknown) => {
      throw new CofferError("INPUT_UNREADABLE", `cannot read ${arg}`, { hint: "check the path given to -f", cause });
    });
    if (info.isDirectory()) paths.push(...(await walkFiles(path)).filter((file) => MANIFEST_FILE.test(file)));
    else paths.push(path);
  }
  return [...new Set(paths)];
}

function manifestFormat(path: string): FormatName {
  return path.endsWith(".json") ? "json" : "yaml";
}

/** Loads the manifest files at `paths` (from {@link manifestPaths}); decrypts those with sops metadata. */
export async function loadManifestFiles(context: CliContext, paths: readonly string[], providers: ProviderResolver): Promise<{ objects: SourcedObject[]; failures: InputFailure[] }> {
  const options = decryptOptions(context, {}, providers);
  const results = await mapWithConcurrency(paths, FILES_IN_FLIGHT, async (path) => {
    const source = path === "-" ? "stdin" : displayPath(context, path);
    try {
      const bytes = await readInput(path);
      const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      // Only a file that mentions sops can be encrypted; decrypt it straight into objects.
      if (text.includes("sops")) {
        const format = path === "-" ? (text.toString("utf8").trimStart().startsWith("{") ? "json" : "yaml") : manifestFormat(path);
        const tree = await decryptToTree(bytes, { ...options, format }).catch((error: unknown) => {
          if (isCofferError(error, "NOT_ENCRYPTED")) return undefined;
          throw error;
        });
        if (tree !== undefined) return { objects: manifestsFromTree(tree, source) };
      }
      return { objects: parseManifests(text.toString("utf8"), source) };
    } catch (error) {
      return { failure: { source, error } };
    }
  });
  return {
    objects: results.flatMap((result) => result.objects ?? []),
    failures: results.flatMap((result) => (result.failure === undefined ? [] : [result.failure])),
  };
}

/** Decrypts one --from-file input into Secret entries (or whole-file bytes). */
export async function loadGeneratorInput(context: CliContext, file: string, providers: ProviderResolver): Promise<GeneratorInput> {
  const path = resolve(context.cwd, file);
  const bytes = await readInput(path);
  const format = formatFromPath(path);
  const options = { ...decryptOptions(context, {}, providers), format };
  // Binary and INI files become one key holding the whole decrypted file.
  if (format === "binary" || format === "ini") return { path: file, kind: "file", bytes: await decrypt(bytes, options) };
  const tree = await decryptToTree(bytes, options);
  const store = await storeFor(format);
  const entries: Array<[string, Uint8Array]> = [];
  for (const document of tree.documents) {
    for (const { key, value } of document.entries()) {
      if (value === null) continue;
      // Strings and bytes as they are; maps and lists serialised in the file's own format.
      const encoded =
        typeof value === "string" ? Buffer.from(value, "utf8")
        : value instanceof Uint8Array ? value
        : value instanceof TreeMap ? store.emitPlain({ documents: [value] })
        : store.emitValue(value);
      entries.push([key, encoded]);
    }
  }
  return { path: file, kind: "entries", entries };
}

/** Loads the --from-file inputs concurrently (all must succeed: a partial Secret is never applied). */
export async function loadGeneratorInputs(context: CliContext, files: readonly string[], providers: ProviderResolver): Promise<GeneratorInput[]> {
  return mapWithConcurrency(files, FILES_IN_FLIGHT, (file) => loadGeneratorInput(context, file, providers));
}
