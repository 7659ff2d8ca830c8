import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CofferError } from "../../../src/errors.js";
import { findConfigFile, MAX_SEARCH_DEPTH } from "../../../src/config/locate.js";

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "coffer-locate-"));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("findConfigFile", () => {
  it("finds .sops.yaml in the working directory", async () => {
    await writeFile(join(root, ".sops.yaml"), "creation_rules: []\n");
    const found = await findConfigFile({ cwd: root });
    expect(found.path).toBe(join(root, ".sops.yaml"));
    expect(found.warnings).toEqual([]);
  });

  it("searches upward from the working directory and takes the nearest", async () => {
    const deep = join(root, "a", "b", "c");
    await mkdir(deep, { recursive: true });
    await writeFile(join(root, ".sops.yaml"), "");
    await writeFile(join(root, "a", ".sops.yaml"), "");
    expect((await findConfigFile({ cwd: deep })).path).toBe(join(root, "a", ".sops.yaml"));
  });

  it("ignores .sops.yml but warns about it", async () => {
    const child = join(root, "child");
    await mkdir(child);
    await writeFile(join(child, ".sops.yml"), "");
    await writeFile(join(root, ".sops.yaml"), "");
    const found = await findConfigFile({ cwd: child });
    expect(found.path).toBe(join(root, ".sops.yaml"));
    expect(found.warnings).toHaveLength(1);
    expect(found.warnings[0]).toContain(join(child, ".sops.yml"));
  });

  it("reports a lone .sops.yml as a warning and finds nothing", async () => {
    await writeFile(join(root, ".sops.yml"), "");
    const found = await findConfigFile({ cwd: root });
    // a .sops.yaml may exist above the temp dir on a developer machine; the .yml is still reported
    expect(found.warnings.some((w) => w.includes(join(root, ".sops.yml")))).toBe(true);
    expect(found.path).not.toBe(join(root, ".sops.yml"));
  });

  it("looks at most 100 directories up", async () => {
    await writeFile(join(root, ".sops.yaml"), "");
    // cwd itself counts as the first of the 100 directories
    const withinReach = join(root, ...Array.from({ length: MAX_SEARCH_DEPTH - 1 }, () => "d"));
    await mkdir(withinReach, { recursive: true });
    expect((await findConfigFile({ cwd: withinReach })).path).toBe(join(root, ".sops.yaml"));
    const tooDeep = join(withinReach, "d");
    await mkdir(tooDeep);
    expect((await findConfigFile({ cwd: tooDeep })).path).toBeUndefined();
  });

  it("uses an explicit path (relative to cwd) without searching", async () => {
    await writeFile(join(root, ".sops.yaml"), "");
    await writeFile(join(root, "other.yaml"), "");
    expect((await findConfigFile({ cwd: root, explicitPath: "other.yaml" })).path).toBe(join(root, "other.yaml"));
  });

  it("uses SOPS_CONFIG from the given env, but --config wins", async () => {
    await writeFile(join(root, "env.yaml"), "");
    await writeFile(join(root, "flag.yaml"), "");
    const env = { SOPS_CONFIG: join(root, "env.yaml") };
    expect((await findConfigFile({ cwd: root, env })).path).toBe(join(root, "env.yaml"));
    expect((await findConfigFile({ cwd: root, env, explicitPath: "flag.yaml" })).path).toBe(join(root, "flag.yaml"));
  });

  it("throws CONFIG_NOT_FOUND for an explicit path that does not exist", async () => {
    for (const options of [{ explicitPath: "missing.yaml" }, { env: { SOPS_CONFIG: join(root, "missing.yaml") } }]) {
      const error = await findConfigFile({ cwd: root, ...options }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CofferError);
      expect((error as CofferError).code).toBe("CONFIG_NOT_FOUND");
    }
  });
});
