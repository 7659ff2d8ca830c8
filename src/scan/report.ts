/** Findings as a table for people, JSON for scripts, or SARIF 2.1.0 for code-scanning UIs. */
import type { Log } from "sarif";
import { buildSarifLog, type SarifLevel, type SarifRule } from "../report/sarif.js";
import type { Confidence, DetectorRule } from "./detector.js";
import { describeResource, SCANNER_RULES, type Finding } from "./finding.js";

export type ScanOutput = "table" | "json" | "sarif";

export interface ScanSummary {
  /** Objects looked at. */
  objects: number;
  /** Findings accepted by the baseline (not reported). */
  baselined: number;
  /** Findings suppressed by `coffer.dev/scan-allow` annotations. */
  allowed: number;
}

const LEVEL: Record<Confidence, SarifLevel> = { high: "error", medium: "warning", low: "note" };

export function allRules(detectorRules: readonly DetectorRule[]): DetectorRule[] {
  return [...detectorRules, ...SCANNER_RULES];
}

/** `file:line` for files, `k8s://namespace/kind/name` for cluster objects. */
export function locationOf(finding: Finding): { uri: string; line?: number | undefined } {
  const { resource } = finding;
  if (resource.file !== undefined) return { uri: resource.file, line: finding.line };
  return { uri: `k8s://${resource.namespace ?? "_cluster"}/${resource.kind}/${resource.name}` };
}

export function renderTable(findings: readonly Finding[]): string {
  if (findings.length === 0) return "";
  const rows = [
    ["RULE", "RESOURCE", "LOCATION", "KEY", "VALUE", "CONFIDENCE"],
    ...findings.map((f) => {
      const where = locationOf(f);
      return [f.ruleId, describeResource(f.resource), where.line === undefined ? where.uri : `${where.uri}:${where.line}`, f.key, f.redacted, f.confidence];
    }),
  ];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => [...(row[column] ?? "")].length)));
  return `${rows.map((row) => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column] ?? 0))).join("  ")).join("\n")}\n`;
}

export function renderJson(findings: readonly Finding[], summary: ScanSummary): string {
  const out = findings.map((f) => ({
    ruleId: f.ruleId,
    confidence: f.confidence,
    resource: { kind: f.resource.kind, namespace: f.resource.namespace ?? null, name: f.resource.name },
    location: locationOf(f),
    key: f.key,
    value: f.redacted,
    fingerprint: f.fingerprint,
  }));
  return `${JSON.stringify({ findings: out, summary: { findings: findings.length, ...summary } }, null, 2)}\n`;
}

export function renderSarif(findings: readonly Finding[], rules: readonly DetectorRule[], version: string): Log {
  const sarifRules: SarifRule[] = rules.map((rule) => ({
    id: rule.id,
    title: rule.title,
    help: rule.help,
    level: LEVEL[rule.confidence],
    properties: { confidence: rule.confidence, tags: ["security", "secrets"] },
  }));
  const titles = new Map(rules.map((rule) => [rule.id, rule.title]));
  return buildSarifLog({ name: "coffer", version }, sarifRules, findings.map((f) => {
    const where = locationOf(f);
    return {
      ruleId: f.ruleId,
      level: LEVEL[f.confidence],
      message: `${titles.get(f.ruleId) ?? f.ruleId} in ${describeResource(f.resource)} at ${f.key} (${f.redacted})`,
      uri: where.uri,
      startLine: where.line,
      fingerprint: f.fingerprint,
      properties: { confidence: f.confidence, key: f.key },
    };
  }));
}
