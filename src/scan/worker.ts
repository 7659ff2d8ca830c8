/**
 * A worker thread of `coffer scan`: receives batches of files (index and input), reads and scans
 * each with its own Scanner, and sends back one FileResult per file, in the batch's order.
 */
import { parentPort } from "node:worker_threads";
import { CofferError } from "../errors.js";
import { loadDetector } from "./detector-loader.js";
import { readText, scanText, type FileResult } from "./file-scan.js";
import type { InputFile } from "./inputs.js";
import { Scanner } from "./scanner.js";

export interface WorkerBatch {
  files: { index: number; input: InputFile }[];
  maxBytes: number | undefined;
  exact: boolean;
}

export interface WorkerReply {
  results: { index: number; result: FileResult }[];
}

async function scanBatch(batch: WorkerBatch): Promise<WorkerReply> {
  const detector = loadDetector();
  const results: WorkerReply["results"] = [];
  for (const { index, input } of batch.files) {
    try {
      const scanner = new Scanner(detector);
      const { outcome } = scanText(scanner, input, await readText(input, batch.maxBytes), batch.exact);
      results.push({ index, result: { findings: scanner.findings, allowed: scanner.allowed, outcome } });
    } catch (error) {
      // The main thread raises it again in file order; anything else is a bug, reported as such.
      const failure = error instanceof CofferError ? { code: error.code, message: error.message, hint: error.hint } : { code: "INTERNAL", message: `scan worker failed on ${input.display}` };
      results.push({ index, result: { error: failure } });
    }
  }
  return { results };
}

parentPort?.on("message", (batch: WorkerBatch) => {
  void scanBatch(batch).then((reply) => parentPort?.postMessage(reply));
});
