// kustomize: `kubectl kustomize --enable-alpha-plugins` of examples/kustomize (the CofferGenerator
// decrypting 3 files in memory), against the same build from plaintext files with kustomize's
// own secretGenerator (what the generator saves users from keeping on disk). Skipped without kubectl.
import { copyFileSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { spawnSync } from "node:child_process";
import { command, compare } from "./lib.mjs";

export async function benchKustomize() {
  if (spawnSync("sh", ["-c", "command -v kubectl"]).status !== 0) {
    console.error("bench: kubectl not found, skipping the kustomize benchmark");
    return [];
  }
  const example = resolve("examples/kustomize");
  const home = mkdtempSync(join(tmpdir(), "coffer-bench-"));
  const plain = mkdtempSync(join(tmpdir(), "coffer-bench-plain-"));
  copyFileSync("examples/db-secret.yaml", join(plain, "db-secret.yaml"));
  copyFileSync("examples/app.env", join(plain, "app.env"));
  copyFileSync("examples/settings.json", join(plain, "settings.json"));
  copyFileSync(join(example, "deployment.yaml"), join(plain, "deployment.yaml"));
  writeFileSync(
    join(plain, "kustomization.yaml"),
    "namespace: shop\nresources: [deployment.yaml, db-secret.yaml]\nsecretGenerator:\n  - name: orders-api-keys\n    envs: [app.env]\n    files: [settings.json]\n",
  );
  const env = { ...process.env, HOME: home, SOPS_AGE_KEY_FILE: join(example, "example.agekey"), KUSTOMIZE_PLUGIN_HOME: join(example, "plugins") };
  const result = await compare({
    runs: 11,
    subject: command(["kubectl", "kustomize", "--enable-alpha-plugins", example], { env }),
    baseline: command(["kubectl", "kustomize", plain], { env }),
  });
  return [{ name: "kubectl kustomize: example with the CofferGenerator (3 encrypted files)", ...result, baselineName: "same build from plaintext files" }];
}
