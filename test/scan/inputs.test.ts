/**
 * Which files a scan reads and how findings name them: relative to the working directory for
 * files under it, absolute for the rest, whichever directory the walk starts from.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { listInputs } from "../../src/scan/inputs.js";

const root = mkdtempSync(join(tmpdir(), "coffer-inputs-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
for (const dir of ["repo/apps/web", "repo/node_modules/pkg", "repo/.git", "repo/chart.yaml", "other"]) mkdirSync(join(root, dir), { recursive: true });
for (const file of ["repo/apps/web/cm.yaml", "repo/apps/deploy.yml", "repo/apps/notes.txt", "repo/node_modules/pkg/x.yaml", "repo/.git/y.yaml", "repo/chart.yaml/in.json", "other/z.json"]) {
  writeFileSync(join(root, file), "a: 1\n");
}
symlinkSync(join(root, "other/z.json"), join(root, "repo/apps/link.json"));
symlinkSync(join(root, "other"), join(root, "repo/apps/linked-dir.yaml"));

const shown = async (args: string[], cwd: string) => (await listInputs(args, cwd)).map((input) => [input.display, input.path.slice(root.length + 1), input.discovered]);

describe("listInputs", () => {
  it("walks directories in name order, skipping node_modules, .git and symlinked directories", async () => {
    expect(await shown(["."], join(root, "repo"))).toEqual([
      ["apps/deploy.yml", "repo/apps/deploy.yml", true],
      ["apps/link.json", "repo/apps/link.json", true],
      ["apps/web/cm.yaml", "repo/apps/web/cm.yaml", true],
      ["chart.yaml/in.json", "repo/chart.yaml/in.json", true],
    ]);
  });

  it("shows files under the working directory relative to it, and the others absolute", async () => {
    const cwd = join(root, "repo/apps");
    expect(await shown([".."], cwd)).toEqual([
      ["deploy.yml", "repo/apps/deploy.yml", true],
      ["link.json", "repo/apps/link.json", true],
      ["web/cm.yaml", "repo/apps/web/cm.yaml", true],
      [join(root, "repo/chart.yaml/in.json"), "repo/chart.yaml/in.json", true],
    ]);
    expect(await shown(["web/", "../../other", join(root, "repo/apps/deploy.yml")], cwd)).toEqual([
      ["web/cm.yaml", "repo/apps/web/cm.yaml", true],
      [join(root, "other/z.json"), "other/z.json", true],
      ["deploy.yml", "repo/apps/deploy.yml", false],
    ]);
  });
});
