/**
 * The findings `coffer audit encryption-config` reports on a parsed EncryptionConfiguration:
 * is every Secret written encrypted, with which provider, is key material sitting in the file,
 * what is kept only for reading. The rule catalogue here feeds SARIF and the README table.
 */
import { secretsEntry, WILDCARDS_SINCE, type DecodedEntry, type ParsedEncryptionConfig } from "./encryption-config.js";
import { STRICT_DECODING_SINCE } from "./yaml-reader.js";
import { findingFactory, type AuditRule, type Finding } from "./report.js";

const ROTATE = "add a new key first in the list, restart kube-apiserver, rewrite every object (coffer audit etcd --rewrite), then drop the old key";

export const ENCRYPTION_CONFIG_RULES: readonly AuditRule[] = [
  { id: "config-invalid", severity: "critical", title: "kube-apiserver refuses this EncryptionConfiguration", remediation: "fix the field named in the message; kube-apiserver does not start with this file" },
  { id: "secrets-not-encrypted", severity: "critical", title: "No entry covers Secrets", remediation: "add an entry whose resources include 'secrets' (or '*.' / '*.*') with kms v2 or secretbox first" },
  { id: "secrets-identity-first", severity: "critical", title: "Secrets are written in plaintext (identity is the first provider)", remediation: "put an encrypting provider (kms v2, secretbox) before identity; identity may stay last to read old data" },
  { id: "identity-first", severity: "medium", title: "A listed resource is written in plaintext (identity first)", remediation: "put an encrypting provider before identity, or drop the entry if the resource need not be encrypted" },
  { id: "wildcard-unsupported", severity: "high", title: "A wildcard that matches nothing before kube-apiserver 1.27 ('*.*', 'name.*')", remediation: "name the resources ('secrets') or the group ('*.' for the core group) for this release, or upgrade" },
  { id: "kms-v1", severity: "high", title: "KMS v1 is deprecated (1.28) and off by default since 1.29", remediation: "move to a KMS v2 plugin (apiVersion: v2); 1.29+ starts with v1 only under --feature-gates=KMSv1=true" },
  { id: "aescbc-writes", severity: "medium", title: "aescbc writes new data (not recommended: CBC padding oracle)", remediation: "prefer kms v2 (or secretbox) as the first provider" },
  { id: "aesgcm-writes", severity: "medium", title: "aesgcm writes new data (random nonces: rotate the key every 200,000 writes)", remediation: `Kubernetes does not rotate it for you: ${ROTATE}; prefer kms v2` },
  { id: "duplicate-key-name", severity: "medium", title: "Two keys of one provider share a name", remediation: "give every key a unique name; the name is the prefix that tells kube-apiserver which key wrote an object" },
  { id: "config-file-world-readable", severity: "high", title: "The config file (with its keys) is readable by every user", remediation: "chmod 600 the file (owner root)" },
  { id: "config-file-group-readable", severity: "medium", title: "The config file is readable or writable by its group", remediation: "chmod 600 the file (owner root)" },
  { id: "config-file-owner", severity: "medium", title: "The config file is not owned by root", remediation: "chown root:root the file" },
  { id: "static-key", severity: "low", title: "The writing key is stored in the file itself", remediation: "whoever reads this file or a control-plane backup can decrypt etcd: prefer kms v2, or keep the file 0600 and out of backups" },
  { id: "short-key", severity: "low", title: "A 128- or 192-bit AES key", remediation: "use 32 random bytes: head -c 32 /dev/urandom | base64" },
  { id: "retired-key", severity: "low", title: "A key kept only to read older data", remediation: "once no object uses it (coffer audit etcd), remove it from the file" },
  { id: "identity-read-fallback", severity: "low", title: "identity is kept to read objects stored before encryption", remediation: "rewrite every object (coffer audit etcd --rewrite), then remove identity" },
  { id: "resource-listed-twice", severity: "low", title: "A resource appears in two entries: the later one only adds read keys", remediation: "keep each resource in one entry" },
  { id: "unknown-field", severity: "low", title: "A field kube-apiserver ignores (refused from 1.31)", remediation: "remove or fix the field: it has no effect (a typo or wrong indentation?)" },
];

export const finding = findingFactory(ENCRYPTION_CONFIG_RULES);

/** Findings about the configuration's content (not the file's mode: see {@link fileFindings}). */
export function encryptionConfigFindings(parsed: ParsedEncryptionConfig): Finding[] {
  if (parsed.undecodable) return [];
  const findings: Finding[] = [];
  const secrets = secretsEntry(parsed.model, parsed.kubeMinor);
  const secretsIndex = secrets === undefined ? -1 : parsed.model.entries.indexOf(secrets);
  if (secrets === undefined) {
    findings.push(finding("secrets-not-encrypted", "resources", "no resources entry covers secrets: every Secret is stored in etcd as plain base64"));
  }
  parsed.entries.forEach((entry, index) => findings.push(...entryFindings(entry, index === secretsIndex, parsed.kubeMinor)));
  findings.push(...repeatedResources(parsed.entries));
  if (parsed.kubeMinor < STRICT_DECODING_SINCE) {
    for (const path of parsed.unknownFields) findings.push(finding("unknown-field", path, `kube-apiserver ignores ${path}`));
  }
  return findings;
}

function entryFindings(entry: DecodedEntry, governsSecrets: boolean, kubeMinor: number): Finding[] {
  const findings: Finding[] = [];
  if (kubeMinor < WILDCARDS_SINCE) {
    entry.resources.forEach((name, index) => {
      // Before 1.27 only a group's "*" resource worked (`*.`, `*.apps`); a "*" group matched nothing.
      if (name.endsWith(".*")) findings.push(finding("wildcard-unsupported", `${entry.path}.resources[${index}]`, `'${name}' matches no resource before Kubernetes 1.27`));
    });
  }
  entry.providers.forEach((provider, position) => {
    const type = provider.types[0];
    const writes = position === 0;
    const at = `${provider.path}.${type ?? ""}`;
    if (type === "identity") {
      if (!writes) findings.push(finding("identity-read-fallback", at, "identity after an encrypting provider: plaintext objects stay readable until rewritten"));
      else if (governsSecrets) findings.push(finding("secrets-identity-first", at, `identity is the first provider for ${entry.resources.join(", ")}: new Secrets are written in plaintext`));
      else findings.push(finding("identity-first", at, `identity is the first provider for ${entry.resources.join(", ")}: they are written in plaintext`));
    }
    if (type === "kms" && provider.kms?.apiVersion === "v1") {
      findings.push(finding("kms-v1", at, `kms provider "${provider.kms.name}" uses the deprecated KMS v1 API${writes ? " and writes new data" : ""}`));
    }
    if (type === "aescbc" || type === "aesgcm" || type === "secretbox") {
      const names = new Set<string>();
      provider.keys.forEach((key, keyIndex) => {
        if (key.name !== "" && names.has(key.name)) findings.push(finding("duplicate-key-name", key.path, `key name "${key.name}" appears twice in this provider`));
        names.add(key.name);
        if (!writes || keyIndex > 0) findings.push(finding("retired-key", key.path, `${type} key "${key.name}" only reads data written earlier`));
        if (type !== "secretbox" && (key.secretLength === 16 || key.secretLength === 24)) {
          findings.push(finding("short-key", `${key.path}.secret`, `${type} key "${key.name}" is ${key.secretLength * 8}-bit`));
        }
      });
      if (writes) {
        if (type !== "secretbox") findings.push(finding(`${type}-writes`, at, `${type} is the writing provider for ${entry.resources.join(", ")}`));
        findings.push(finding("static-key", `${at}.keys[0]`, `the key that encrypts new ${entry.resources.join(", ")} is stored in this file`));
      }
    }
  });
  return findings;
}

function repeatedResources(entries: readonly DecodedEntry[]): Finding[] {
  const firstEntry = new Map<string, string>();
  const findings: Finding[] = [];
  for (const entry of entries) {
    entry.resources.forEach((name, index) => {
      const earlier = firstEntry.get(name);
      if (earlier !== undefined && earlier !== entry.path) {
        findings.push(finding("resource-listed-twice", `${entry.path}.resources[${index}]`, `'${name}' is already governed by ${earlier}: this entry's providers only read`));
      } else firstEntry.set(name, entry.path);
    });
  }
  return findings;
}

/** Findings about the file itself: mode and owner (`stat` of a real file). */
export function fileFindings(stat: { mode: number; uid: number }): Finding[] {
  const findings: Finding[] = [];
  const mode = stat.mode & 0o777;
  const octal = mode.toString(8).padStart(4, "0");
  if ((mode & 0o007) !== 0) findings.push(finding("config-file-world-readable", "", `the file's mode is ${octal}: other users can access it`));
  else if ((mode & 0o070) !== 0) findings.push(finding("config-file-group-readable", "", `the file's mode is ${octal}: its group can access it`));
  if (stat.uid !== 0) findings.push(finding("config-file-owner", "", `the file is owned by uid ${stat.uid}, not root`));
  return findings;
}
