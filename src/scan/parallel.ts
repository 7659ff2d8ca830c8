/**
 * Scanning many files on worker threads: files go out in batches of consecutive files to
 * whichever worker is free (so a busy core does not hold the rest back); results come back by
 * file index, so the caller merges them in file order, exactly as one thread would produce them.
 */
import { existsSync, statSync } from "node:fs";
import { Worker } from "node:worker_threads";
import type { FileResult } from "./file-scan.js";
import type { InputFile } from "./inputs.js";
import type { WorkerBatch, WorkerReply } from "./worker.js";

/** Below this much input, starting workers costs more than it saves (a pre-commit hook's 3 files). */
export const PARALLEL_MIN_BYTES = 4 * 1024 * 1024;
const MIN_FILES = 8;
const MAX_BATCH_BYTES = 2 * 1024 * 1024;

export interface ParallelPlan {
  /** Files in their order, each with its index and size. */
  files: { index: number; input: InputFile; size: number }[];
  workers: number;
}

/** A plan when the inputs are worth spreading over `jobs` threads; undefined to stay on this one. */
export function planParallel(inputs: readonly InputFile[], jobs: number): ParallelPlan | undefined {
  if (jobs < 2 || inputs.length < MIN_FILES || inputs.some((input) => input.path === "-")) return undefined;
  // Synchronous: a few microseconds per file, where promises cost several times more (thousands of files).
  // A file that cannot be stat'ed is still handed out: its worker reports why it cannot be read.
  const sizes = inputs.map((input) => sizeOf(input.path));
  const total = sizes.reduce((sum, size) => sum + size, 0);
  if (total < PARALLEL_MIN_BYTES) return undefined;
  return { files: inputs.map((input, index) => ({ index, input, size: sizes[index] ?? 0 })), workers: Math.min(jobs, inputs.length) };
}

function sizeOf(path: string): number {
  try {
    return statSync(path, { throwIfNoEntry: false })?.size ?? 0;
  } catch {
    return 0;
  }
}

function batches(plan: ParallelPlan): ParallelPlan["files"][] {
  const total = plan.files.reduce((sum, file) => sum + file.size, 0);
  // Several batches per worker keep them all busy to the end.
  const target = Math.min(MAX_BATCH_BYTES, Math.ceil(total / (plan.workers * 6)));
  const out: ParallelPlan["files"][] = [];
  let current: ParallelPlan["files"] = [];
  let bytes = 0;
  for (const file of plan.files) {
    current.push(file);
    bytes += file.size;
    if (bytes >= target) {
      out.push(current);
      current = [];
      bytes = 0;
    }
  }
  if (current.length > 0) out.push(current);
  return out;
}

/** The worker script: beside the bundle's chunks (dist/cli), or beside this module (dist/src). */
function workerUrl(): URL {
  const candidates = [new URL("../scan-worker.mjs", import.meta.url), new URL("./worker.js", import.meta.url)];
  const found = candidates.find((url) => existsSync(url));
  if (found === undefined) throw new Error("the scan worker script is missing from this installation");
  return found;
}

export async function scanInParallel(
  plan: ParallelPlan,
  options: { maxBytes: number | undefined; exact: boolean; onProgress?: (filesDone: number) => void },
): Promise<FileResult[]> {
  const queue = batches(plan);
  const results: FileResult[] = new Array<FileResult>(plan.files.length);
  let done = 0;
  const url = workerUrl();
  const workers = Array.from({ length: Math.min(plan.workers, queue.length) }, () => new Worker(url));
  const run = (worker: Worker) =>
    new Promise<void>((resolve, reject) => {
      let busy = false;
      const next = () => {
        const files = queue.shift();
        busy = files !== undefined;
        if (files === undefined) resolve();
        else worker.postMessage({ files: files.map(({ index, input }) => ({ index, input })), maxBytes: options.maxBytes, exact: options.exact } satisfies WorkerBatch);
      };
      worker.on("message", (reply: WorkerReply) => {
        for (const { index, result } of reply.results) results[index] = result;
        done += reply.results.length;
        options.onProgress?.(done);
        next();
      });
      worker.on("error", reject);
      worker.on("exit", (code) => {
        if (busy) reject(new Error(`a scan worker stopped (exit ${code})`));
      });
      next();
    });
  try {
    await Promise.all(workers.map(run));
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
  return results;
}
