// Cold start: `coffer decrypt` of a 20-value age file, against a bare `node -e 0`.
// Goal (issue #2): at most 2.0x. This is what a pre-commit hook or a CD step pays per file.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { command, compare } from "./lib.mjs";

export async function benchColdStart() {
  const dir = mkdtempSync(join(tmpdir(), "coffer-bench-"));
  const env = { ...process.env, HOME: dir, SOPS_AGE_KEY_FILE: join(dir, "key.txt") };
  const recipient = spawnSync(process.execPath, ["bin/coffer.js", "keygen", "-o", join(dir, "key.txt")], { env }).stdout.toString().trim();
  const plain = Array.from({ length: 20 }, (_, i) => `key_${i}: value-number-${i}`).join("\n") + "\n";
  const enc = spawnSync(process.execPath, ["bin/coffer.js", "encrypt", "--age", recipient, "--input-type", "yaml", "-"], { env, input: plain });
  writeFileSync(join(dir, "secret.enc.yaml"), enc.stdout);
  const result = await compare({
    runs: 21,
    subject: command([process.execPath, "bin/coffer.js", "decrypt", join(dir, "secret.enc.yaml")], { env }),
    baseline: command([process.execPath, "-e", "0"], { env }),
  });
  return [{ name: "cold start: decrypt a 20-value age file", ...result, baselineName: "node -e 0", goal: 2.0 }];
}
