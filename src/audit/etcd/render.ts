/**
 * The etcd audit as a table (people), JSON (scripts) or SARIF 2.1.0 (code-scanning UIs). Every
 * form names objects by their etcd key only (`/registry/secrets/ns/name`); values never appear.
 */
import { buildSarifLog, type SarifRule } from "../../report/sarif.js";
import { sarifLevel, severityRank } from "../report.js";
import { ETCD_RULES, SEVERITIES, type EtcdAuditResult, type EtcdFinding, type Severity } from "./audit.js";
import type { RewriteSummary } from "./rewrite.js";

export interface EtcdReport {
  endpoints: string[];
  config?: string | undefined;
  audit: EtcdAuditResult;
  /** With --rewrite: the audit before it and what the rewrite did (`audit` is then the one after). */
  before?: EtcdAuditResult | undefined;
  rewrite?: RewriteSummary | undefined;
}

/** Findings at or above `threshold`. */
export function findingsAtOrAbove(findings: readonly EtcdFinding[], threshold: Severity): EtcdFinding[] {
  return findings.filter((finding) => severityRank(finding.severity) >= severityRank(threshold));
}

function severityCounts(findings: readonly EtcdFinding[]): Record<Severity, number> {
  const counts = { low: 0, medium: 0, high: 0, critical: 0 };
  for (const finding of findings) counts[finding.severity]++;
  return counts;
}

function auditJson(audit: EtcdAuditResult): unknown {
  return {
    revision: audit.revision,
    prefixes: audit.prefixes,
    objects: audit.objects,
    resources: audit.resources,
    skipped: audit.skipped,
    summary: severityCounts(audit.findings),
    findings: audit.findings.map(({ object: _object, ...finding }) => finding),
  };
}

export function renderJson(report: EtcdReport): string {
  return `${JSON.stringify(
    {
      endpoints: report.endpoints,
      config: report.config ?? null,
      ...(auditJson(report.audit) as object),
      ...(report.rewrite === undefined ? {} : { rewrite: report.rewrite, before: auditJson(report.before!) }),
    },
    null,
    2,
  )}\n`;
}

export function renderSarif(report: EtcdReport, version: string): string {
  const rules: SarifRule[] = Object.values(ETCD_RULES).map((rule) => ({
    id: rule.id,
    title: rule.title,
    help: rule.remediation,
    level: sarifLevel(rule.severity),
    properties: { severity: rule.severity, tags: ["security", "kubernetes", "etcd"] },
  }));
  const log = buildSarifLog(
    { name: "coffer", version },
    rules,
    report.audit.findings.map((finding) => ({
      ruleId: finding.id,
      level: sarifLevel(finding.severity),
      message: finding.message,
      uri: `etcd://${finding.etcdKey}`,
      fingerprint: `${finding.id}:${finding.etcdKey}`,
      properties: { severity: finding.severity, storedWith: finding.storedWith },
    })),
  );
  return `${JSON.stringify(log, null, 2)}\n`;
}

/** How many objects of each rule the table lists before saying "and N more". */
const TABLE_LIST_LIMIT = 20;

export function renderTable(report: EtcdReport): string {
  const { audit } = report;
  const lines: string[] = [];
  if (report.rewrite !== undefined && report.before !== undefined) {
    const r = report.rewrite;
    lines.push(`rewrite: ${r.rewritten} rewritten, ${r.unchanged} unchanged (the API server's writing key did not change them), ${r.gone} gone meanwhile, ${r.skipped} skipped, ${r.failed} failed`);
    for (const problem of r.problems) lines.push(`  ${problem.status}: ${problem.etcdKey}: ${problem.reason ?? ""}`);
    lines.push("", "after the rewrite:");
  }
  lines.push(`etcd ${report.endpoints.join(",")} at revision ${audit.revision ?? "-"}: ${audit.objects} object(s) under ${audit.prefixes.join(", ")}`);
  if (!audit.configured) lines.push("no --config: storage is classified, but stale and unknown keys cannot be told apart");
  lines.push("");
  const rows = [["RESOURCE", "OBJECTS", "STORED WITH", ...(audit.configured ? ["CONFIGURED KEYS (first writes)"] : [])]];
  for (const resource of audit.resources) {
    const stored = Object.entries(resource.storedWith)
      .sort((a, b) => b[1] - a[1])
      .map(([label, n]) => `${label}: ${n}`)
      .join(", ");
    rows.push([resource.resource, String(resource.objects), stored, ...(audit.configured ? [(resource.configuredKeys ?? []).join(", ")] : [])]);
  }
  if (audit.resources.length === 0) rows.push(["(none)", "0", "", ...(audit.configured ? [""] : [])]);
  lines.push(...alignColumns(rows));
  for (const skipped of audit.skipped) lines.push(`skipped ${skipped.keys} key(s) under ${skipped.dir} (${skipped.reason})`);
  lines.push("");

  if (audit.findings.length === 0) {
    lines.push("no findings");
    return `${lines.join("\n")}\n`;
  }
  const counts = severityCounts(audit.findings);
  lines.push(`findings: ${[...SEVERITIES].reverse().map((s) => `${counts[s]} ${s}`).join(", ")}`);
  for (const rule of Object.values(ETCD_RULES).sort((a, b) => SEVERITIES.indexOf(b.severity) - SEVERITIES.indexOf(a.severity))) {
    const matching = audit.findings.filter((finding) => finding.id === rule.id);
    if (matching.length === 0) continue;
    lines.push("", `${rule.severity.toUpperCase()} ${rule.id}: ${rule.title} (${matching.length})`);
    for (const finding of matching.slice(0, TABLE_LIST_LIMIT)) lines.push(`  ${finding.etcdKey}  [${finding.storedWith}]`);
    if (matching.length > TABLE_LIST_LIMIT) lines.push(`  ... and ${matching.length - TABLE_LIST_LIMIT} more (-o json lists them all)`);
    lines.push(`  fix: ${rule.remediation}`);
  }
  return `${lines.join("\n")}\n`;
}

function alignColumns(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]?.length ?? 0)));
  return rows.map((row) => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!))).join("  "));
}
