/**
 * What every `coffer audit` command reports, and how: findings with a stable rule id, a
 * severity, the place they concern and a remediation; rendered as a table, JSON or SARIF 2.1.0;
 * and the `--fail-on` threshold that turns them into exit status 1 for CI.
 */
import { CofferError } from "../errors.js";
import { buildSarifLog, type SarifFinding, type SarifLevel, type SarifRule } from "../report/sarif.js";

export const SEVERITIES = ["low", "medium", "high", "critical"] as const;
export type Severity = (typeof SEVERITIES)[number];

export const OUTPUT_FORMATS = ["table", "json", "sarif"] as const;
export type AuditOutputFormat = (typeof OUTPUT_FORMATS)[number];

/** One finding. Messages never contain key material or Secret values. */
export interface Finding {
  /** Stable rule id, e.g. `secrets-identity-first`. */
  id: string;
  severity: Severity;
  /** Where in a config file: `resources[0].providers[1].aescbc.keys[0]` ("" for the whole file). */
  path?: string | undefined;
  /** Or which stored object: `secrets/default/db` (the etcd audit). */
  resource?: string | undefined;
  message: string;
  remediation: string;
  /** The file the finding is in (the SARIF artifact) and its place there, when known. */
  file?: string | undefined;
  line?: number | undefined;
  column?: number | undefined;
}

/** A rule's catalogue entry: the SARIF rule and the README table come from these. */
export interface AuditRule {
  id: string;
  severity: Severity;
  title: string;
  remediation: string;
}

/** A factory of findings for one rule catalogue: severity and remediation come from the rule. */
export function findingFactory(rules: readonly AuditRule[]): (id: string, path: string, message: string) => Finding {
  const byId = new Map(rules.map((rule) => [rule.id, rule]));
  return (id, path, message) => {
    const rule = byId.get(id);
    if (rule === undefined) throw new Error(`unknown audit rule ${id}`);
    return { id, severity: rule.severity, path, message, remediation: rule.remediation };
  };
}

export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

/** `--fail-on` / `--min-severity` values. */
export function parseSeverity(text: string): Severity {
  if ((SEVERITIES as readonly string[]).includes(text)) return text as Severity;
  throw new CofferError("USAGE", `unknown severity '${text}'`, { hint: `use one of ${SEVERITIES.join(", ")}` });
}

/** True when some finding is at or above `threshold` (the audit then exits 1). */
export function reachesThreshold(findings: readonly Finding[], threshold: Severity): boolean {
  return findings.some((finding) => severityRank(finding.severity) >= severityRank(threshold));
}

/** Most severe first, then by file, line and id, so output is stable. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      severityRank(b.severity) - severityRank(a.severity) ||
      (a.file ?? "").localeCompare(b.file ?? "") ||
      (a.line ?? 0) - (b.line ?? 0) ||
      a.id.localeCompare(b.id),
  );
}

/** critical and high are SARIF errors, medium a warning, low a note. */
export function sarifLevel(severity: Severity): SarifLevel {
  return severity === "low" ? "note" : severity === "medium" ? "warning" : "error";
}

/** A SARIF 2.1.0 log: one result per finding, the rules that fired (or all of `rules`) listed once. */
export function findingsToSarif(findings: readonly Finding[], rules: readonly AuditRule[], version: string): string {
  const sarifRules: SarifRule[] = rules.map((rule) => ({
    id: rule.id,
    title: rule.title,
    help: rule.remediation,
    level: sarifLevel(rule.severity),
    properties: { severity: rule.severity, tags: ["security", "kubernetes", "encryption-at-rest"] },
  }));
  const results: SarifFinding[] = findings.map((finding) => ({
    ruleId: finding.id,
    level: sarifLevel(finding.severity),
    message: `${finding.message} Fix: ${finding.remediation}`,
    uri: finding.file ?? (finding.resource === undefined ? "" : `k8s:///${finding.resource}`),
    startLine: finding.line,
    startColumn: finding.column,
    fingerprint: [finding.id, finding.file ?? "", finding.path ?? finding.resource ?? ""].join("|"),
    properties: { severity: finding.severity, ...(finding.path === undefined ? {} : { path: finding.path }) },
  }));
  const log = buildSarifLog({ name: "coffer", version }, sarifRules, results);
  return `${JSON.stringify(log, null, 2)}\n`;
}

/** A plain table for people: severity, id, where, message; remediation on the next line. */
export function findingsToTable(findings: readonly Finding[]): string {
  if (findings.length === 0) return "no findings\n";
  const lines: string[] = [];
  for (const finding of findings) {
    const where = finding.path ?? finding.resource ?? "";
    const place = finding.line === undefined ? where : `${where}${where === "" ? "" : " "}(line ${finding.line})`;
    lines.push(`${finding.severity.toUpperCase().padEnd(8)} ${finding.id.padEnd(32)} ${place}`);
    lines.push(`         ${finding.message}`);
    lines.push(`         fix: ${finding.remediation}`);
  }
  return `${lines.join("\n")}\n`;
}

/** Attach file, line and column to findings from one file, using its field positions. */
export function locateFindings(
  findings: readonly Finding[],
  file: string,
  positionOf: (path: string) => { line: number; column: number } | undefined,
): Finding[] {
  return findings.map((finding) => {
    // "" is the whole file: no line to point at.
    const position = finding.path === undefined || finding.path === "" ? undefined : positionOf(finding.path);
    return { ...finding, file, ...(position === undefined ? {} : { line: position.line, column: position.column }) };
  });
}
