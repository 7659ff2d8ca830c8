/** `coffer audit apiserver`: placeholder until the manifest audit lands in this branch. */
import { CofferError } from "../../errors.js";
import type { CliContext } from "../context.js";

export async function runAuditApiserver(_context: CliContext, _flags: Record<string, unknown>): Promise<void> {
  throw new CofferError("USAGE", "audit apiserver is not available yet");
}
