/** `coffer scan --fix`: not written yet. */
import { CofferError } from "../../errors.js";
import type { ScannedFile } from "../../scan/fix-plan.js";
import type { Finding } from "../../scan/finding.js";
import type { CliContext } from "../context.js";
import type { ScanFlags } from "./scan.js";

export async function runFix(_context: CliContext, _files: ScannedFile[], _findings: Finding[], _flags: ScanFlags): Promise<Set<string>> {
  throw new CofferError("USAGE", "--fix is not available yet");
}
