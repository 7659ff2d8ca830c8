/**
 * SARIF 2.1.0 logs for `coffer scan` and `coffer audit`, so findings show up in code-scanning
 * UIs (GitHub, GitLab, Azure DevOps). One run, one tool; rules listed once with their help
 * text; one result per finding. Typed against @types/sarif so the shape follows the standard.
 */
import type { Log, ReportingDescriptor, Result } from "sarif";

export const SARIF_SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json";

/** SARIF has three result levels; our severities map onto them. */
export type SarifLevel = "error" | "warning" | "note";

export interface SarifRule {
  id: string;
  /** A short title, e.g. "Secrets are not encrypted at rest". */
  title: string;
  /** What to do about it. */
  help: string;
  level: SarifLevel;
  /** Extra properties, e.g. {severity: "high", tags: ["security"]}. */
  properties?: Record<string, unknown>;
}

export interface SarifFinding {
  ruleId: string;
  level: SarifLevel;
  /** One line, never containing a secret value. */
  message: string;
  /** A file path relative to the working directory, or a URI such as `k8s://ns/kind/name`. */
  uri: string;
  startLine?: number | undefined;
  startColumn?: number | undefined;
  /** A stable fingerprint for baselines (e.g. rule + resource + key). */
  fingerprint?: string | undefined;
  properties?: Record<string, unknown>;
}

export interface SarifToolInfo {
  name: string;
  version: string;
  informationUri?: string;
}

/** Build a SARIF 2.1.0 log with one run. */
export function buildSarifLog(tool: SarifToolInfo, rules: readonly SarifRule[], findings: readonly SarifFinding[]): Log {
  const ruleIndex = new Map(rules.map((rule, index) => [rule.id, index]));
  const descriptors: ReportingDescriptor[] = rules.map((rule) => ({
    id: rule.id,
    name: ruleName(rule.id),
    shortDescription: { text: rule.title },
    help: { text: rule.help },
    defaultConfiguration: { level: rule.level },
    ...(rule.properties === undefined ? {} : { properties: rule.properties }),
  }));
  const results: Result[] = findings.map((finding) => {
    const region =
      finding.startLine === undefined
        ? undefined
        : { startLine: finding.startLine, ...(finding.startColumn === undefined ? {} : { startColumn: finding.startColumn }) };
    const index = ruleIndex.get(finding.ruleId);
    return {
      ruleId: finding.ruleId,
      ...(index === undefined ? {} : { ruleIndex: index }),
      level: finding.level,
      message: { text: finding.message },
      locations: [{ physicalLocation: { artifactLocation: { uri: finding.uri }, ...(region === undefined ? {} : { region }) } }],
      ...(finding.fingerprint === undefined ? {} : { partialFingerprints: { "coffer/v1": finding.fingerprint } }),
      ...(finding.properties === undefined ? {} : { properties: finding.properties }),
    };
  });
  return {
    $schema: SARIF_SCHEMA_URI,
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: tool.name,
            version: tool.version,
            ...(tool.informationUri === undefined ? {} : { informationUri: tool.informationUri }),
            rules: descriptors,
          },
        },
        results,
      },
    ],
  };
}

/** SARIF rule names are PascalCase identifiers: "secrets-identity-first" -> "SecretsIdentityFirst". */
function ruleName(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter((part) => part !== "")
    .map((part) => part[0]?.toUpperCase() + part.slice(1))
    .join("");
}
