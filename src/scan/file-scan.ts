/**
 * Scanning one manifest file's text: the same steps on the main thread and on worker threads,
 * so that both give the same findings in the same order.
 */
import { readInput, readInputFileSync } from "../io/index.js";
import type { Finding } from "./finding.js";
import type { InputFile } from "./inputs.js";
import { parseManifests, readManifests, type ParsedManifests } from "./manifests.js";
import type { Scanner } from "./scanner.js";

/** What scanning one file gave, besides the findings it added to the scanner. */
export interface FileOutcome {
  objects: number;
  /** Parse errors (line and the yaml package's code only: its messages quote the input). */
  errors: { line: number | undefined; code: string }[];
  /** A Helm chart template found in a directory walk: not YAML until rendered, skipped quietly. */
  skipped: boolean;
}

/** The findings and outcome of one file as a worker thread sends them back (or why it failed). */
export type FileResult = { findings: Finding[]; allowed: number; outcome: FileOutcome } | { error: { code: string; message: string; hint?: string | undefined } };

/** A file's text (read synchronously: nothing else runs meanwhile), or stdin's. */
export async function readText(input: InputFile, maxBytes: number | undefined): Promise<string> {
  const bytes = input.path === "-" ? await readInput("-", { maxBytes }) : readInputFileSync(input.path, { maxBytes });
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8");
}

/**
 * Parses `text` (exactly with the yaml package when `exact`, else with the fast reader and its
 * fallback) and scans every object into `scanner`.
 */
export function scanText(scanner: Scanner, input: InputFile, text: string, exact: boolean): { outcome: FileOutcome; parsed: ParsedManifests } {
  const parsed = exact ? parseManifests(text) : readManifests(text);
  if (parsed.errors.length > 0 && input.discovered && text.includes("{{")) return { outcome: { objects: 0, errors: [], skipped: true }, parsed };
  for (const object of parsed.objects) scanner.scanObject(object.obj, { file: input.display, lineOf: object.lineOf });
  return { outcome: { objects: parsed.objects.length, errors: parsed.errors, skipped: false }, parsed };
}
