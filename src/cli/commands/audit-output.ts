/** Printing an audit report and turning it into an exit status; shared by every `coffer audit` subcommand. */
import { CofferError } from "../../errors.js";
import { parseKubeMinor } from "../../audit/encryption-validate.js";
import { findingsToSarif, findingsToTable, parseSeverity, reachesThreshold, type AuditRule, type Finding } from "../../audit/report.js";
import type { CliContext } from "../context.js";
import { EXIT_FINDINGS } from "../exit.js";
import { VERSION } from "../program.js";

export interface AuditOutput {
  /** The `-o json` document. */
  json: unknown;
  /** What a person reads above the findings table (`-o table`). */
  summary: string;
  /** Every finding, for SARIF, the table and --fail-on. */
  findings: readonly Finding[];
  rules: readonly AuditRule[];
  /** Fail whatever the findings (e.g. kube-apiserver would refuse the configuration). */
  failed?: boolean;
}

export function printAuditReport(context: CliContext, flags: { outputFormat?: unknown; failOn?: unknown }, output: AuditOutput): void {
  const format = typeof flags.outputFormat === "string" ? flags.outputFormat : "table";
  const text =
    format === "json"
      ? `${JSON.stringify(output.json, null, 2)}\n`
      : format === "sarif"
        ? findingsToSarif(output.findings, output.rules, VERSION)
        : `${output.summary}${findingsToTable(output.findings)}`;
  context.terminal.stdout.write(text);
  const threshold = parseSeverity(typeof flags.failOn === "string" ? flags.failOn : "high");
  if (output.failed === true || reachesThreshold(output.findings, threshold)) context.exitStatus = EXIT_FINDINGS;
}

/** `--kube-version 1.20` -> 20; undefined when not given. */
export function kubeMinorFlag(value: unknown): number | undefined {
  if (typeof value !== "string") return undefined;
  const minor = parseKubeMinor(value);
  if (minor === undefined) throw new CofferError("USAGE", `--kube-version '${value}' is not a Kubernetes 1.x version`, { hint: "e.g. --kube-version 1.29" });
  return minor;
}
