import { describe, expect, it } from "vitest";
import { base64Length } from "../../../src/audit/encryption-config.js";
import { parseKubeMinor } from "../../../src/audit/encryption-validate.js";
import { findingsToSarif, findingsToTable, parseSeverity, reachesThreshold, type Finding } from "../../../src/audit/report.js";
import { parseGoDuration } from "../../../src/audit/yaml-reader.js";
import { errorCodeOf } from "../../helpers/errors.js";

const medium: Finding = { id: "aescbc-writes", severity: "medium", path: "resources[0].providers[0].aescbc", message: "m", remediation: "r", file: "enc.yaml", line: 7, column: 9 };
const critical: Finding = { id: "secrets-not-encrypted", severity: "critical", path: "resources", message: "m", remediation: "r", file: "enc.yaml" };

describe("audit report", () => {
  it("--fail-on: a finding at or above the threshold fails", () => {
    expect(reachesThreshold([medium], "medium")).toBe(true);
    expect(reachesThreshold([medium], "high")).toBe(false);
    expect(reachesThreshold([medium, critical], "critical")).toBe(true);
    expect(reachesThreshold([], "low")).toBe(false);
    expect(errorCodeOf(() => parseSeverity("info"))).toBe("USAGE");
  });

  it("SARIF: severities map to levels, results point at the file and line, rules carry the remediation", () => {
    const log = JSON.parse(findingsToSarif([critical, medium], [{ id: "aescbc-writes", severity: "medium", title: "t", remediation: "use kms v2" }], "0.1.0"));
    expect(log.version).toBe("2.1.0");
    const results = log.runs[0].results;
    expect(results.map((r: { level: string }) => r.level)).toEqual(["error", "warning"]);
    expect(results[1].locations[0].physicalLocation).toEqual({ artifactLocation: { uri: "enc.yaml" }, region: { startLine: 7, startColumn: 9 } });
    expect(log.runs[0].tool.driver.rules[0].help.text).toBe("use kms v2");
  });

  it("the table says so when there is nothing to report", () => {
    expect(findingsToTable([])).toBe("no findings\n");
    expect(findingsToTable([medium])).toContain("(line 7)");
  });
});

describe("Go's parsing, as kube-apiserver does it", () => {
  it("time.ParseDuration", () => {
    expect(parseGoDuration("3s")).toBe(3e9);
    expect(parseGoDuration("1m30s")).toBe(90e9);
    expect(parseGoDuration("-1.5h")).toBe(-5400e9);
    expect(parseGoDuration("0")).toBe(0);
    expect(parseGoDuration("3")).toBeUndefined();
    expect(parseGoDuration("3 seconds")).toBeUndefined();
    expect(parseGoDuration("")).toBeUndefined();
  });

  it("base64.StdEncoding: padding required, line breaks skipped, URL alphabet refused", () => {
    expect(base64Length(Buffer.alloc(32).toString("base64"))).toBe(32);
    expect(base64Length(Buffer.alloc(31).toString("base64"))).toBe(31);
    expect(base64Length(`${Buffer.alloc(32).toString("base64")}\n`)).toBe(32);
    expect(base64Length(Buffer.alloc(32).toString("base64").replace(/=+$/, ""))).toBeUndefined();
    expect(base64Length("ab-_ab-_")).toBeUndefined();
  });

  it("kube versions", () => {
    expect(parseKubeMinor("1.20")).toBe(20);
    expect(parseKubeMinor("v1.29.3")).toBe(29);
    expect(parseKubeMinor("v1.28.5-eks-5e0fdde")).toBe(28);
    expect(parseKubeMinor("latest")).toBeUndefined();
    expect(parseKubeMinor("2.0")).toBeUndefined();
  });
});
