/**
 * Many manifests are decrypted on a worker thread, so that the decryption (CPU: parsing, key
 * unwrapping, MAC checks) runs on a second core while the main thread loads the Kubernetes client
 * and talks to the API server. Plaintext objects come back over the thread's message port, in
 * memory only. The worker runs this same module: the block at the bottom is its entry point.
 */
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import { CofferError, isCofferError, type ErrorCode } from "../../errors.js";
import { cacheUnwraps, type UnwrapCache } from "../../provider-cache.js";
import { lazyProviders } from "../../../providers/registry.js";
import type { SourcedObject } from "../../kube/manifests.js";
import { providerContextFromProcess, type CliContext } from "../context.js";
import { warn } from "../terminal.js";
import { loadManifestFiles, type InputFailure } from "./apply-inputs.js";

/** Key-service calls in flight (as `coffer decrypt -r`); gpg one at a time. */
export const DECRYPT_CONCURRENCY = 16;

interface WorkerInput {
  cofferApplyDecrypt: true;
  paths: string[];
  cwd: string;
  env: Record<string, string | undefined>;
  color: boolean;
}

interface WorkerOutput {
  objects: SourcedObject[];
  failures: Array<{ source: string; code: ErrorCode; message: string; hint?: string | undefined }>;
}

/** One cache of unwrapped data keys for a run, with a bound on key-service calls in flight. */
export function unwrapCache(context: CliContext): UnwrapCache {
  return cacheUnwraps(lazyProviders(context.provider), { concurrency: DECRYPT_CONCURRENCY, concurrencyByType: { pgp: 1 } });
}

/** {@link loadManifestFiles} on a worker thread. */
export function loadManifestsOffThread(context: CliContext, paths: readonly string[]): Promise<{ objects: SourcedObject[]; failures: InputFailure[] }> {
  const input: WorkerInput = { cofferApplyDecrypt: true, paths: [...paths], cwd: context.cwd, env: context.env, color: context.terminal.color };
  const worker = new Worker(new URL(import.meta.url), { workerData: input });
  return new Promise((resolve, reject) => {
    let answered = false;
    worker.once("message", (output: WorkerOutput) => {
      answered = true;
      const failures = output.failures.map(({ source, code, message, hint }) => ({ source, error: new CofferError(code, message, { hint }) }));
      resolve({ objects: output.objects, failures });
      void worker.terminate();
    });
    worker.once("error", (error) => reject(new CofferError("INTERNAL", "the decryption thread failed", { cause: error })));
    worker.once("exit", () => {
      if (!answered) reject(new CofferError("INTERNAL", "the decryption thread ended without an answer"));
    });
  });
}

if (!isMainThread && (workerData as Partial<WorkerInput> | null)?.cofferApplyDecrypt === true) {
  const input = workerData as WorkerInput;
  const terminal = { stdout: process.stdout, stderr: process.stderr, color: input.color };
  const context: CliContext = { env: input.env, cwd: input.cwd, terminal, provider: providerContextFromProcess(input.env, (message) => warn(terminal, message)) };
  const result = await loadManifestFiles(context, input.paths, unwrapCache(context).resolve);
  const output: WorkerOutput = {
    objects: result.objects,
    failures: result.failures.map(({ source, error }) =>
      isCofferError(error) ? { source, code: error.code, message: error.message, hint: error.hint } : { source, code: "INTERNAL", message: "internal error" },
    ),
  };
  parentPort?.postMessage(output);
}
