import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { EXIT_FINDINGS, EXIT_INTERRUPTED, EXIT_NOT_APPLICABLE, exitStatusByCode } from "../../src/cli/exit.js";

describe("exit statuses", () => {
  it("are distinct per error code", () => {
    const statuses = Object.values(exitStatusByCode);
    expect(new Set(statuses).size).toBe(statuses.length);
  });

  it("match the README table exactly", () => {
    const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
    const table = readme.split("<!-- exit-codes:start -->")[1]?.split("<!-- exit-codes:end -->")[0] ?? "";
    const documented = new Map<string, number>();
    for (const match of table.matchAll(/^\| (\d+) \| `([A-Z_]+)` \|/gm)) documented.set(match[2] as string, Number(match[1]));
    expect(Object.fromEntries(documented)).toEqual(exitStatusByCode);
  });

  it("keep the statuses without an error code apart from every coded one", () => {
    const coded = new Set(Object.values(exitStatusByCode));
    for (const status of [EXIT_FINDINGS, EXIT_INTERRUPTED, EXIT_NOT_APPLICABLE]) expect(coded.has(status)).toBe(false);
  });
});
