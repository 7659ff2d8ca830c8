/**
 * `coffer scan` reads manifests with a fast YAML reader (falling back to the `yaml` package for
 * anything unusual). Its findings (rule, resource, file, line, key, redacted value, fingerprint),
 * summary and exit status must be exactly those of the `yaml` package alone
 * (COFFER_SCAN_EXACT_YAML=1) on the whole labelled corpus, one file per item and all in one
 * multi-document file, plus files the fast reader hands back to the `yaml` package.
 */
import { describe, expect, it } from "vitest";
import { loadCorpus, renderManifest } from "../corpus/scan/index.mjs";
import { manifestDir, scanJson } from "./scan-helpers.js";

describe("coffer scan with the fast YAML reader", () => {
  it("reports exactly what the yaml package alone reports on the whole corpus", () => {
    const items = loadCorpus();
    const files: Record<string, string> = {};
    for (const [index, item] of items.entries()) files[`items/${String(index).padStart(4, "0")}.yaml`] = renderManifest(item);
    files["all.yaml"] = items.map((item) => `# ${item.id}\n${renderManifest(item)}`).join("---\n");
    // Documents the fast reader gives up on, beside ones it reads, in one file.
    files["mixed.yaml"] = `${renderManifest(items[0]!)}---\n${renderManifest(items[1]!).replace("metadata:", "metadata: &m")}`;
    files["flow.yaml"] = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: flow}\ndata:\n  ${items[0]!.key}: ${JSON.stringify(items[0]!.value)}\n`;
    const dir = manifestDir(files);
    const fast = scanJson(["."], { cwd: dir });
    const exact = scanJson(["."], { cwd: dir, env: { COFFER_SCAN_EXACT_YAML: "1" } });
    expect(fast.result.status).toBe(exact.result.status);
    expect(fast.result.stdout).toBe(exact.result.stdout);
    expect(fast.findings.length).toBeGreaterThan(items.filter((item) => item.label).length);
    expect(fast.findings.filter((finding) => finding.location.uri === "all.yaml").every((finding) => (finding.location.line ?? 0) > 1)).toBe(true);
  });
});
