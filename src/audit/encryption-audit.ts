/**
 * One EncryptionConfiguration, audited: the verdict kube-apiserver would give, what writes
 * Secrets, and the findings, each placed on a line of the file. Pure: the caller reads the file
 * and its stat; `audit encryption-config` and `audit apiserver` both print this report.
 */
import { parseEncryptionConfig, secretsEntry, type ParsedEncryptionConfig } from "./encryption-config.js";
import { encryptionConfigFindings, fileFindings, finding } from "./encryption-rules.js";
import type { ProviderKey } from "./encryption-model.js";
import { locateFindings, sortFindings, type Finding } from "./report.js";

export interface LocatedError {
  path: string;
  message: string;
  line?: number | undefined;
  column?: number | undefined;
}

export interface EncryptionConfigReport {
  file: string;
  /** Would kube-apiserver start with this file? */
  valid: boolean;
  /** "latest" or the release judged for, e.g. "1.20". */
  kubeVersion: string;
  errors: LocatedError[];
  /** Are new writes of Secrets encrypted? */
  secretsEncrypted: boolean;
  /** What writes Secrets, e.g. "secretbox:key1", "kms:v2:vault", "identity"; null when nothing covers them or the file is invalid. */
  secretsWriter: string | null;
  /** Each entry: its resources, the writing key and the keys kept for reading. */
  resources: Array<{ resources: string[]; writer: string | null; readers: string[] }>;
  findings: Finding[];
}

export interface AuditTextOptions {
  /** The file's name in the report and SARIF (relative to the working directory where possible). */
  file: string;
  /** The file's stat when it is a real file (mode and owner are checked). */
  stat?: { mode: number; uid: number } | undefined;
  kubeMinor?: number | undefined;
  automaticReload?: boolean | undefined;
}

export function auditEncryptionConfigText(text: string, options: AuditTextOptions): { report: EncryptionConfigReport; parsed: ParsedEncryptionConfig } {
  const parsed = parseEncryptionConfig(text, { kubeMinor: options.kubeMinor, automaticReload: options.automaticReload });
  const errors = parsed.errors.map((error) => ({ ...error, ...parsed.positionOf(error.path) }));
  const content = encryptionConfigFindings(parsed);
  const located = locateFindings([...content, ...(options.stat === undefined ? [] : fileFindings(options.stat))], options.file, parsed.positionOf);
  const secrets = secretsEntry(parsed.model, parsed.kubeMinor);
  return {
    parsed,
    report: {
      file: options.file,
      valid: parsed.valid,
      kubeVersion: Number.isFinite(parsed.kubeMinor) ? `1.${parsed.kubeMinor}` : "latest",
      errors: errors.map(({ path, message, line, column }) => ({ path, message, line, column })),
      secretsEncrypted: parsed.secretsEncrypted,
      secretsWriter: secrets?.keys[0] === undefined || !parsed.valid ? null : keyLabel(secrets.keys[0]),
      resources: parsed.model.entries.map((entry) => ({
        resources: entry.resources,
        writer: entry.keys[0] === undefined ? null : keyLabel(entry.keys[0]),
        readers: entry.keys.slice(1).map(keyLabel),
      })),
      findings: sortFindings(located),
    },
  };
}

/** The findings plus one `config-invalid` result per error: what SARIF and --fail-on see. */
export function reportFindingsWithErrors(report: EncryptionConfigReport): Finding[] {
  const errors = report.errors.map((error) => ({
    ...finding("config-invalid", error.path, `kube-apiserver refuses the file: ${error.message}`),
    file: report.file,
    line: error.line,
    column: error.column,
  }));
  return sortFindings([...errors, ...report.findings]);
}

function keyLabel(key: ProviderKey): string {
  if (key.provider === "identity") return "identity";
  if (key.provider === "kms") return `kms:${key.kmsApiVersion ?? "v1"}:${key.name ?? ""}`;
  return `${key.provider}:${key.name ?? ""}`;
}

/** A person's view: the verdict, the errors, what writes Secrets. The findings table follows. */
export function encryptionConfigSummary(report: EncryptionConfigReport): string {
  const lines = [`file: ${report.file}${report.kubeVersion === "latest" ? "" : ` (judged as kube-apiserver ${report.kubeVersion})`}`];
  lines.push(report.valid ? "valid: yes, kube-apiserver accepts it" : `valid: NO, kube-apiserver refuses it (${report.errors.length} error${report.errors.length === 1 ? "" : "s"})`);
  for (const error of report.errors) lines.push(`  ${error.path === "" ? "(file)" : error.path}${error.line === undefined ? "" : ` (line ${error.line})`}: ${error.message}`);
  const writer = !report.valid ? "" : report.secretsWriter === null ? " (no entry covers secrets)" : ` (written by ${report.secretsWriter})`;
  lines.push(`secrets encrypted: ${report.secretsEncrypted ? "yes" : "NO"}${writer}`);
  return `${lines.join("\n")}\n\n`;
}
