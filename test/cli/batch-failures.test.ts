import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { freshHome, runCoffer } from "../helpers/cli.js";

const REGRESSIONS = fileURLToPath(new URL("../regressions/cli/", import.meta.url));

describe("a run over many files with different failures", () => {
  it("does the rest, lists each failure, and exits FILES_FAILED (9)", () => {
    const home = freshHome();
    const keyFile = join(home, "key.txt");
    const recipient = runCoffer(["keygen", "-o", keyFile], { env: { HOME: home } }).stdout.trim();
    const tree = join(home, "repo");
    mkdirSync(join(tree, "secrets"), { recursive: true });
    writeFileSync(join(tree, ".sops.yaml"), `creation_rules:\n  - path_regex: secrets/\n    age: ${recipient}\n`);
    writeFileSync(join(tree, "secrets", "good.yaml"), "a: b\n");
    expect(runCoffer(["encrypt", "-i", "secrets/good.yaml"], { env: { HOME: home }, cwd: tree }).status).toBe(0);
    copyFileSync(join(REGRESSIONS, "wrong-key.yaml"), join(tree, "secrets", "someone-elses.yaml"));
    writeFileSync(join(tree, "secrets", "broken.yaml"), "sops: [unclosed\n");
    const before = readFileSync(join(tree, "secrets", "good.yaml"), "utf8");

    const result = runCoffer(["rotate", "-r", "."], { env: { HOME: home, SOPS_AGE_KEY_FILE: keyFile }, cwd: tree });
    expect(result.status, result.stderr).toBe(9);
    expect(result.stderr).toContain("[FILES_FAILED]");
    expect(result.stderr).toContain("someone-elses.yaml");
    expect(result.stderr).toContain("broken.yaml");
    expect(readFileSync(join(tree, "secrets", "good.yaml"), "utf8")).not.toBe(before);
  });
});
