/**
 * `coffer kustomize-function`: the CofferGenerator as kustomize runs it. Two ways in, one generator:
 *  - no argument: an exec KRM function (ResourceList on stdin, ResourceList on stdout), for
 *    `kustomize build --enable-alpha-plugins --enable-exec` and kpt;
 *  - one argument: a legacy exec plugin (kustomize passes the generator config's path and runs the
 *    plugin in the kustomization directory; objects on stdout), which is what `kubectl kustomize
 *    --enable-alpha-plugins` runs: kubectl has no --enable-exec and skips exec KRM functions.
 * Plaintext exists only in this process's memory and on stdout: nothing is ever written to disk.
 */
import { realpath } from "node:fs/promises";
import { resolve, sep } from "node:path";
import { parse } from "yaml";
import { decrypt } from "../../api.js";
import { CofferError, isCofferError } from "../../errors.js";
import { readInput } from "../../io/index.js";
import { cacheUnwraps } from "../../provider-cache.js";
import { lazyProviders } from "../../../providers/registry.js";
import { generate, parseGeneratorConfig, type GeneratorIo } from "../../kustomize/generator.js";
import {
  failedResourceList,
  parseResourceList,
  runResourceList,
  serializeObjects,
  serializeResourceList,
  type ResourceList,
} from "../../kustomize/resource-list.js";
import type { CliContext } from "../context.js";
import { decryptOptions } from "./decrypt.js";

export interface KustomizeFunctionFlags {
  decryptionOrder?: string;
  maxInputSize?: number;
}

/** Key-service calls in flight at once; a kustomization rarely lists more files than this. */
const CONCURRENCY = 8;

export async function runKustomizeFunction(context: CliContext, configFile: string | undefined, flags: KustomizeFunctionFlags): Promise<void> {
  if (configFile === undefined) await runKrmFunction(context, flags);
  else await runLegacyPlugin(context, configFile, flags);
}

async function runKrmFunction(context: CliContext, flags: KustomizeFunctionFlags): Promise<void> {
  if (process.stdin.isTTY === true) {
    throw new CofferError("USAGE", "kustomize-function reads a KRM ResourceList on stdin, or takes the generator config's path", {
      hint: "let kustomize run it (see 'coffer kustomize-function --help'), or pipe it a ResourceList",
    });
  }
  let input: ResourceList | undefined;
  let output: ResourceList;
  let failure: unknown;
  try {
    input = parseResourceList(new TextDecoder().decode(await readInput("-", { maxBytes: flags.maxInputSize })));
    // kustomize runs exec functions in the kustomization directory: paths resolve from there.
    output = await runResourceList(input, fileIo(context, context.cwd, flags));
  } catch (error) {
    failure = error;
    output = failedResourceList(input, error);
  }
  await write(context, serializeResourceList(output));
  // The results entry is for the tool; the non-zero exit and the coded line on stderr for people.
  if (failure !== undefined) throw failure;
}

async function runLegacyPlugin(context: CliContext, configFile: string, flags: KustomizeFunctionFlags): Promise<void> {
  const text = new TextDecoder().decode(await readInput(resolve(context.cwd, configFile), { maxBytes: flags.maxInputSize }));
  let value: unknown;
  try {
    value = parse(text, { uniqueKeys: true, maxAliasCount: 100 });
  } catch {
    throw new CofferError("FORMAT_INVALID", `the generator config ${configFile} is not valid YAML`, { hint: "check the file kustomize lists under generators:" });
  }
  const config = parseGeneratorConfig(value);
  // kustomize names the kustomization directory, and also runs the plugin there.
  const root = context.env.KUSTOMIZE_PLUGIN_CONFIG_ROOT ?? context.cwd;
  const objects = await generate(config, fileIo(context, root, flags));
  await write(context, serializeObjects(objects));
}

/**
 * Reads and decrypts files below `root` only (as kustomize's default load restrictor does), with
 * one cache of unwrapped data keys for the run, so files sharing a key cost one key-service call.
 */
function fileIo(context: CliContext, root: string, flags: KustomizeFunctionFlags): GeneratorIo {
  const cache = cacheUnwraps(lazyProviders(context.provider), { concurrency: CONCURRENCY, concurrencyByType: { pgp: 1 } });
  const options = decryptOptions(context, flags, cache.resolve);
  return {
    async decrypt(path, formats) {
      const full = await insideRoot(root, path);
      const bytes = await readInput(full, { maxBytes: flags.maxInputSize });
      try {
        return await decrypt(bytes, { ...options, ...formats, extract: undefined });
      } catch (error) {
        // Name the file; the message itself never holds a value.
        if (isCofferError(error)) throw new CofferError(error.code, `${path}: ${error.message}`, { hint: error.hint, cause: error, fault: error.fault });
        throw error;
      }
    },
  };
}

async function insideRoot(root: string, path: string): Promise<string> {
  let realRoot: string;
  let real: string;
  try {
    realRoot = await realpath(root);
    real = await realpath(resolve(root, path));
  } catch (cause) {
    throw new CofferError("INPUT_UNREADABLE", `cannot read ${path}`, { hint: "paths in the generator config are relative to the kustomization directory", cause });
  }
  if (real !== realRoot && !real.startsWith(realRoot + sep)) {
    throw new CofferError("GENERATOR_INVALID", `${path} is outside the kustomization directory`, {
      hint: "list files in or below the kustomization's own directory (kustomize's default load restriction)",
    });
  }
  return real;
}

function write(context: CliContext, text: string): Promise<void> {
  return new Promise<void>((done, fail) => {
    context.terminal.stdout.write(text, (error) => (error ? fail(error) : done()));
  });
}
