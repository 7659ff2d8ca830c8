import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { freshHome, REPO_DIR } from "../helpers/cli.js";

describe("examples", () => {
  it("the quickstart runs: encrypts every example, decrypts and extracts", () => {
    const home = freshHome();
    const result = spawnSync("bash", [join(REPO_DIR, "examples", "quickstart.sh")], {
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: home, NO_COLOR: "1" },
      encoding: "utf8",
    });
    expect(result.status, result.stderr).toBe(0);
    // Encrypted Kubernetes Secret: metadata readable, values not.
    const encryptedSecret = result.stdout.split("\n# Database")[0] ?? "";
    expect(result.stdout).toContain("encrypted_regex: ^(data|stringData)$");
    expect(result.stdout).toMatch(/password: ENC\[AES256_GCM,/);
    expect(result.stdout).toMatch(/"password": "ENC\[AES256_GCM,/);
    expect(result.stdout).toMatch(/^STRIPE_API_KEY=ENC\[AES256_GCM,/m);
    expect(result.stdout).toContain("LOG_LEVEL_unencrypted=debug");
    expect(encryptedSecret).not.toContain("correct-horse-battery-staple");
    // Decrypted copy and the extracted value.
    expect(result.stdout).toContain("password: correct-horse-battery-staple # rotated 2026-11");
    expect(result.stdout).toContain('correct-horse-battery-staple\n{"encrypted":true}');
  });
});
