/**
 * `coffer scan --fix`, the plan (pure): which ConfigMap keys move into which new Secret, and
 * which workload references change. The writer (fix-write.ts) performs it.
 */
import type { InputFile } from "./inputs.js";
import type { ParsedManifests } from "./manifests.js";

/** A file as the scan read it: its text and parsed documents (kept for --fix). */
export interface ScannedFile {
  input: InputFile;
  text: string;
  parsed: ParsedManifests;
}
