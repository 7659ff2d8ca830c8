/**
 * Bad input gets one clear line (plus a hint), a distinct exit status, no stack trace, and never
 * plaintext; and nothing is written. Cases live in test/regressions/cli/cases.json.
 */
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runCoffer } from "../helpers/cli.js";

const DIR = fileURLToPath(new URL("../regressions/cli/", import.meta.url));

interface Case {
  file: string;
  args: string[];
  status: number;
  code: string;
  why: string;
}

const cases = JSON.parse(readFileSync(join(DIR, "cases.json"), "utf8")) as Case[];

function expectCleanFailure(result: ReturnType<typeof runCoffer>, status: number, code: string): void {
  expect(result.status, result.stderr).toBe(status);
  expect(result.stdout).toBe("");
  const lines = result.stderr.trimEnd().split("\n");
  expect(lines[0]).toMatch(new RegExp(`^coffer: error: .*\\[${code}\\]$`));
  // After the error line: for NO_MATCHING_KEY one indented line per key tried, then one hint line.
  const detail = lines.slice(1, -1);
  expect(detail.every((line) => code === "NO_MATCHING_KEY" && line.startsWith("coffer:   "))).toBe(true);
  expect(lines.length === 1 || (lines.at(-1) ?? "").startsWith("coffer: hint: ")).toBe(true);
  expect(result.stderr).not.toMatch(/\n\s+at /);
  expect(result.stderr).not.toContain("PLAINTEXT-MARKER");
}

describe("hostile and broken inputs", () => {
  for (const c of cases) {
    it(`${c.file}: ${c.why} -> exit ${c.status} ${c.code}`, () => {
      const work = mkdtempSync(join(tmpdir(), "coffer-hostile-"));
      const target = join(work, c.file);
      copyFileSync(join(DIR, c.file), target);
      const before = readFileSync(target);
      const result = runCoffer(
        c.args.map((arg) => (arg === "FILE" ? target : arg)),
        { env: { HOME: work, SOPS_AGE_KEY_FILE: join(DIR, "test-key.txt") }, cwd: work },
      );
      expectCleanFailure(result, c.status, c.code);
      expect(readFileSync(target).equals(before)).toBe(true);
    });
  }

  it("a 50 MB input is refused before it is parsed", () => {
    const work = mkdtempSync(join(tmpdir(), "coffer-hostile-"));
    const big = join(work, "big.yaml");
    writeFileSync(big, `key: ${"x".repeat(50 * 1024 * 1024)}\n`);
    const result = runCoffer(["encrypt", "--age", "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p", big], { env: { HOME: work } });
    expectCleanFailure(result, 11, "INPUT_TOO_LARGE");
  });

  it("an unknown option is a usage error", () => {
    const result = runCoffer(["decrypt", "--no-such-flag", "x.yaml"]);
    expect(result.status).toBe(8);
  });
});
