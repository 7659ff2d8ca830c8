/**
 * `coffer scan --jobs N`: many files are scanned on worker threads and merged in file order, so
 * the output (findings, lines, order, summary, warnings, exit status) is exactly that of one thread;
 * a file that cannot be read fails the scan the same way on both paths.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCoffer } from "../helpers/cli.js";
import { exitStatusFor } from "../../src/cli/exit.js";
import { manifestDir } from "./scan-helpers.js";
import { manifests } from "../corpus/scan/bench-manifests.mjs";

describe("coffer scan --jobs", () => {
  // Over the parallel threshold (4 MiB), with a credential in one file in 50 and a broken file.
  const { files } = manifests(6_000_000);
  const tree: Record<string, string> = {};
  files.forEach((text, index) => (tree[`m/${String(index).padStart(4, "0")}.yaml`] = text));
  tree["m/0100-broken.yaml"] = "apiVersion: v1\nkind: ConfigMap\ndata:\n  a: [unclosed\n";
  const dir = manifestDir(tree);

  it("gives the same output on several threads as on one", () => {
    const one = runCoffer(["scan", "m", "-o", "json", "--jobs", "1"], { cwd: dir });
    const two = runCoffer(["scan", "m", "-o", "json", "--jobs", "2"], { cwd: dir });
    const table = [runCoffer(["scan", "m", "--jobs", "1"], { cwd: dir }), runCoffer(["scan", "m", "--jobs", "3"], { cwd: dir })];
    expect(one.status).toBe(exitStatusFor("SCAN_INCOMPLETE"));
    expect(two.status).toBe(one.status);
    expect(two.stdout).toBe(one.stdout);
    expect(two.stderr).toBe(one.stderr);
    expect((JSON.parse(one.stdout) as { findings: unknown[] }).findings.length).toBeGreaterThan(files.length / 50);
    expect(table[1]?.stdout).toBe(table[0]?.stdout);
    expect(table[1]?.stderr).toBe(table[0]?.stderr);
  });

  it("fails on an unreadable file the same way on several threads", () => {
    writeFileSync(join(dir, "m", "0200-huge.yaml"), `a: ${"x".repeat(5000)}\n`);
    const one = runCoffer(["scan", "m", "--jobs", "1", "--max-input-size", "4000"], { cwd: dir });
    const two = runCoffer(["scan", "m", "--jobs", "2", "--max-input-size", "4000"], { cwd: dir });
    expect(one.status).toBe(exitStatusFor("INPUT_TOO_LARGE"));
    expect(two.status).toBe(one.status);
    expect(two.stdout).toBe(one.stdout);
  });

  it("refuses --jobs with --cluster and a count that is not a whole number", () => {
    expect(runCoffer(["scan", "--cluster", "--jobs", "2"]).status).toBe(exitStatusFor("USAGE"));
    expect(runCoffer(["scan", ".", "--jobs", "0"]).status).toBe(exitStatusFor("USAGE"));
  });
});
