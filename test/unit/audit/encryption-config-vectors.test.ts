/** Runs every case of test/vectors/encryption-config/index.yaml through the config audit. */
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { auditEncryptionConfigText } from "../../../src/audit/encryption-audit.js";
import { parseKubeMinor } from "../../../src/audit/encryption-validate.js";
import { VECTOR_DIR, vectorCases } from "./vector-cases.js";

describe("encryption-config vectors", () => {
  it("index every file in the folder", () => {
    const files = readdirSync(VECTOR_DIR).filter((name) => name !== "index.yaml");
    expect(new Set(vectorCases.map((entry) => entry.file))).toEqual(new Set(files));
  });

  for (const entry of vectorCases) {
    const label = `${entry.file}${entry.kubeVersion === undefined ? "" : ` as ${entry.kubeVersion}`}${entry.automaticReload === true ? " with reload" : ""}`;
    it(`${label}: ${entry.valid ? "valid" : "invalid"}`, () => {
      const text = readFileSync(new URL(entry.file, VECTOR_DIR), "utf8");
      const kubeMinor = entry.kubeVersion === undefined ? undefined : parseKubeMinor(entry.kubeVersion);
      const { report } = auditEncryptionConfigText(text, { file: entry.file, kubeMinor, automaticReload: entry.automaticReload });
      expect(report.valid).toBe(entry.valid);
      expect(new Set(report.errors.map((error) => error.path))).toEqual(new Set(entry.errors ?? []));
      expect(new Set(report.findings.map((finding) => finding.id))).toEqual(new Set(entry.findings));
      if (entry.secretsEncrypted !== undefined) expect(report.secretsEncrypted).toBe(entry.secretsEncrypted);
      if (!entry.valid) expect(report.secretsEncrypted).toBe(false);
    });
  }
});
