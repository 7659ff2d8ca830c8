import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { APISERVER_RULES } from "../../../src/audit/apiserver-manifest.js";
import { ENCRYPTION_CONFIG_RULES } from "../../../src/audit/encryption-rules.js";

describe("audit rules", () => {
  it("have unique ids and match the README table (id and severity)", () => {
    const rules = [...ENCRYPTION_CONFIG_RULES, ...APISERVER_RULES];
    expect(new Set(rules.map((rule) => rule.id)).size).toBe(rules.length);
    const readme = readFileSync(new URL("../../../README.md", import.meta.url), "utf8");
    const table = readme.split("<!-- audit-rules:start -->")[1]?.split("<!-- audit-rules:end -->")[0] ?? "";
    const documented = [...table.matchAll(/^\| `([a-z0-9-]+)` \| (low|medium|high|critical) \|/gm)].map((match) => [match[1], match[2]]);
    expect(documented).toEqual(rules.map((rule) => [rule.id, rule.severity]));
  });
});
