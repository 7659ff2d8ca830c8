import { describe, expect, it } from "vitest";
import { buildSarifLog } from "../../../src/report/sarif.js";

describe("buildSarifLog", () => {
  const log = buildSarifLog(
    { name: "coffer", version: "0.1.0" },
    [{ id: "aws-access-key", title: "AWS access key", help: "move it into a Secret", level: "error" }],
    [
      { ruleId: "aws-access-key", level: "error", message: "AWS access key in ConfigMap/app key AWS_KEY", uri: "k8s/app.yaml", startLine: 7, fingerprint: "f1" },
      { ruleId: "unlisted", level: "note", message: "no region", uri: "k8s://default/ConfigMap/app" },
    ],
  );

  it("is a SARIF 2.1.0 log with one run, its rules listed once, and one result per finding", () => {
    expect(log.version).toBe("2.1.0");
    expect(log.runs).toHaveLength(1);
    const run = log.runs[0];
    expect(run?.tool.driver.rules?.map((rule) => [rule.id, rule.name, rule.defaultConfiguration?.level])).toEqual([
      ["aws-access-key", "AwsAccessKey", "error"],
    ]);
    expect(run?.results).toHaveLength(2);
  });

  it("points each result at its file and line, with a fingerprint for baselines", () => {
    const [first, second] = log.runs[0]?.results ?? [];
    expect(first?.ruleIndex).toBe(0);
    expect(first?.locations?.[0]?.physicalLocation?.artifactLocation?.uri).toBe("k8s/app.yaml");
    expect(first?.locations?.[0]?.physicalLocation?.region?.startLine).toBe(7);
    expect(first?.partialFingerprints).toEqual({ "coffer/v1": "f1" });
    expect(second?.ruleIndex).toBeUndefined();
    expect(second?.locations?.[0]?.physicalLocation?.region).toBeUndefined();
  });
});
