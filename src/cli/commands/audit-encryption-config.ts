/** `coffer audit encryption-config FILE`: validate and audit one EncryptionConfiguration. */
import { stat } from "node:fs/promises";
import { relative, resolve } from "node:path";
import { auditEncryptionConfigText, encryptionConfigSummary, reportFindingsWithErrors } from "../../audit/encryption-audit.js";
import { ENCRYPTION_CONFIG_RULES } from "../../audit/encryption-rules.js";
import { readInput } from "../../io/index.js";
import type { CliContext } from "../context.js";
import { kubeMinorFlag, printAuditReport } from "./audit-output.js";

/** An EncryptionConfiguration is a few KiB; anything near this is not one. */
export const MAX_CONFIG_BYTES = 1024 * 1024;

export async function runAuditEncryptionConfig(context: CliContext, file: string, flags: Record<string, unknown>): Promise<void> {
  const kubeMinor = kubeMinorFlag(flags.kubeVersion);
  const path = file === "-" ? "-" : resolve(context.cwd, file);
  const text = new TextDecoder().decode(await readInput(path, { maxBytes: MAX_CONFIG_BYTES }));
  const fileStat = path === "-" ? undefined : await stat(path);
  const { report } = auditEncryptionConfigText(text, {
    file: file === "-" ? "-" : displayPath(context.cwd, path),
    stat: fileStat?.isFile() === true ? { mode: fileStat.mode, uid: fileStat.uid } : undefined,
    kubeMinor,
    automaticReload: flags.automaticReload === true,
  });
  printAuditReport(context, flags, {
    json: report,
    summary: encryptionConfigSummary(report),
    findings: reportFindingsWithErrors(report),
    rules: ENCRYPTION_CONFIG_RULES,
    failed: !report.valid,
  });
}

/** Relative to the working directory when inside it (SARIF viewers resolve it against the repository). */
export function displayPath(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  return rel !== "" && !rel.startsWith("..") && !rel.startsWith("/") ? rel : path;
}
