/**
 * The CofferGenerator end to end: the real `kubectl kustomize --enable-alpha-plugins` (kubectl
 * 1.32's kustomize 5.5; it has no --enable-exec, so it runs the generator as a legacy exec plugin)
 * on the example and on temporary kustomizations, and the exec KRM function protocol driven
 * directly with ResourceLists. Every run checks that no file was written or changed.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { exitStatusFor } from "../../src/cli/exit.js";
import { itWithBinary } from "../helpers/binaries.js";
import { freshHome, REPO_DIR, runCoffer } from "../helpers/cli.js";

const EXAMPLE_DIR = join(REPO_DIR, "examples", "kustomize");
const EXAMPLE_KEY = join(EXAMPLE_DIR, "example.agekey");
const PLUGIN_HOME = join(EXAMPLE_DIR, "plugins");
/** Values that exist only inside the example's encrypted files. */
const PLAINTEXTS = ["correct-horse-battery-staple", "sk_test_example_not_a_real_key_000000", "SG.example-not-real", "s3cr3t"];

const withKubectl = itWithBinary("kubectl");

/** Every file under `dir` with its size, mode, mtime and content hash. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (current: string): void => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) {
        walk(path);
        continue;
      }
      const stat = statSync(path);
      out[path] = `${stat.size} ${stat.mode} ${stat.mtimeMs} ${createHash("sha256").update(readFileSync(path)).digest("hex")}`;
    }
  };
  walk(dir);
  return out;
}

interface Build {
  status: number;
  stdout: string;
  stderr: string;
  /** Files the run left in its private TMPDIR (kustomize's own plugin-config files). */
  tmpFiles: string[];
}

/** `kubectl kustomize --enable-alpha-plugins DIR` with a fresh HOME and TMPDIR, checking that DIR is untouched. */
function kustomizeBuild(dir: string, env: Record<string, string>): Build {
  const home = freshHome();
  const tmp = mkdtempSync(join(tmpdir(), "coffer-krm-tmp-"));
  const before = snapshot(dir);
  const result = spawnSync("kubectl", ["kustomize", "--enable-alpha-plugins", dir], {
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: home, TMPDIR: tmp, NO_COLOR: "1", KUSTOMIZE_PLUGIN_HOME: PLUGIN_HOME, ...env },
    encoding: "utf8",
  });
  expect(snapshot(dir)).toEqual(before);
  // HOME stays empty: nothing cached or written there.
  expect(Object.keys(snapshot(home))).toEqual([]);
  const tmpFiles = Object.keys(snapshot(tmp));
  for (const path of tmpFiles) {
    const text = readFileSync(path, "utf8");
    for (const secret of PLAINTEXTS) expect(text).not.toContain(secret);
  }
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr, tmpFiles };
}

type Obj = { kind: string; metadata: { name: string; namespace?: string }; data?: Record<string, string>; stringData?: Record<string, string>; spec?: unknown };

function objects(stream: string): Obj[] {
  return stream
    .split(/^---$/m)
    .map((doc) => parse(doc) as Obj | null)
    .filter((doc): doc is Obj => doc !== null);
}

const decoded = (value: string | undefined) => Buffer.from(value ?? "", "base64").toString("utf8");

/** A temporary kustomization holding copies of the example's encrypted files. */
function tempKustomization(generator: string, extra: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), "coffer-krm-"));
  for (const file of ["db-secret.enc.yaml", "app.enc.env", "settings.enc.json"]) copyFileSync(join(EXAMPLE_DIR, file), join(dir, file));
  writeFileSync(join(dir, "kustomization.yaml"), "generators:\n  - coffer.yaml\n");
  writeFileSync(join(dir, "coffer.yaml"), generator);
  for (const [name, text] of Object.entries(extra)) writeFileSync(join(dir, name), text);
  return dir;
}

const GENERATOR_HEAD = "apiVersion: coffer.dev/v1alpha1\nkind: CofferGenerator\nmetadata:\n  name: g\n";

/** A key that opens none of the example files. */
function otherKey(): string {
  const home = freshHome();
  const path = join(home, "other.agekey");
  expect(runCoffer(["keygen", "-o", path], { env: { HOME: home } }).status).toBe(0);
  return path;
}

describe("coffer kustomize-function under kubectl kustomize", () => {
  withKubectl("builds the example: decrypted Secrets, a hash-suffixed name, and references kustomize rewrote", () => {
    const build = kustomizeBuild(EXAMPLE_DIR, { SOPS_AGE_KEY_FILE: EXAMPLE_KEY });
    expect(build.stderr).toBe("");
    expect(build.status).toBe(0);
    const out = objects(build.stdout);
    const db = out.find((o) => o.kind === "Secret" && o.metadata.name === "orders-db");
    expect(db?.stringData?.password).toBe("correct-horse-battery-staple");
    expect(db?.metadata.namespace).toBe("shop");
    const keys = out.find((o) => o.kind === "Secret" && o.metadata.name.startsWith("orders-api-keys-"));
    expect(keys?.metadata.name).toMatch(/^orders-api-keys-[a-z0-9]{10}$/);
    expect(decoded(keys?.data?.STRIPE_API_KEY)).toBe("sk_test_example_not_a_real_key_000000");
    expect(JSON.parse(decoded(keys?.data?.["settings.json"]))).toMatchObject({ database: { password: "s3cr3t" } });
    const deployment = JSON.stringify(out.find((o) => o.kind === "Deployment"));
    expect(deployment).toContain(`"name":"${keys?.metadata.name}"`);
    // The generator config itself is not part of the output, and no build annotation leaks.
    expect(build.stdout).not.toContain("CofferGenerator");
    expect(build.stdout).not.toContain("kustomize.config.k8s.io");
    expect(build.tmpFiles).toEqual([]);
  });

  withKubectl("keeps generated names stable when no hash is asked for", () => {
    const dir = tempKustomization(`${GENERATOR_HEAD}secrets:\n  - name: plain-name\n    envs: [app.enc.env]\n`);
    const build = kustomizeBuild(dir, { SOPS_AGE_KEY_FILE: EXAMPLE_KEY });
    expect(build.status, build.stderr).toBe(0);
    expect(objects(build.stdout).map((o) => o.metadata.name)).toEqual(["plain-name"]);
  });

  withKubectl("fails with the key's error code and no plaintext when the key is wrong", () => {
    const build = kustomizeBuild(EXAMPLE_DIR, { SOPS_AGE_KEY_FILE: otherKey() });
    expect(build.status).not.toBe(0);
    expect(build.stderr).toContain("[NO_MATCHING_KEY]");
    expect(build.stdout).toBe("");
    for (const secret of PLAINTEXTS) expect(build.stderr).not.toContain(secret);
  });

  withKubectl("fails the MAC check on a tampered file and prints none of its values", () => {
    const dir = tempKustomization(`${GENERATOR_HEAD}secrets:\n  - name: app\n    envs: [app.enc.env]\n`);
    const path = join(dir, "app.enc.env");
    const original = readFileSync(path, "utf8");
    expect(original).toContain("LOG_LEVEL_unencrypted=debug");
    writeFileSync(path, original.replace("LOG_LEVEL_unencrypted=debug", "LOG_LEVEL_unencrypted=trace"));
    const build = kustomizeBuild(dir, { SOPS_AGE_KEY_FILE: EXAMPLE_KEY });
    expect(build.status).not.toBe(0);
    expect(build.stderr).toContain("[MAC_MISMATCH]");
    expect(build.stdout).toBe("");
    for (const secret of PLAINTEXTS) expect(build.stderr).not.toContain(secret);
  });

  withKubectl("refuses a file outside the kustomization directory", () => {
    const outside = mkdtempSync(join(tmpdir(), "coffer-krm-outside-"));
    copyFileSync(join(EXAMPLE_DIR, "db-secret.enc.yaml"), join(outside, "db-secret.enc.yaml"));
    const dir = tempKustomization(`${GENERATOR_HEAD}files: [../${outside.split("/").pop()}/db-secret.enc.yaml]\n`);
    const build = kustomizeBuild(dir, { SOPS_AGE_KEY_FILE: EXAMPLE_KEY });
    expect(build.status).not.toBe(0);
    expect(build.stderr).toContain("[GENERATOR_INVALID]");
    expect(build.stdout).not.toContain("correct-horse-battery-staple");
  });

  withKubectl("works with the README's two-line wrapper and a coffer command on PATH", () => {
    // A `coffer` on PATH, as an installed package provides it.
    const bin = mkdtempSync(join(tmpdir(), "coffer-krm-bin-"));
    writeFileSync(join(bin, "coffer"), `#!/bin/sh\nexec "${process.execPath}" "${join(REPO_DIR, "bin", "coffer.js")}" "$@"\n`);
    chmodSync(join(bin, "coffer"), 0o755);
    const pluginHome = mkdtempSync(join(tmpdir(), "coffer-krm-plugins-"));
    const pluginDir = join(pluginHome, "coffer.dev", "v1alpha1", "coffergenerator");
    mkdirSync(pluginDir, { recursive: true });
    const made = spawnSync("sh", ["-c", `printf '#!/bin/sh\\nexec coffer kustomize-function "$@"\\n' > CofferGenerator && chmod +x CofferGenerator`], { cwd: pluginDir });
    expect(made.status).toBe(0);
    expect(readFileSync(join(pluginDir, "CofferGenerator"), "utf8")).toBe('#!/bin/sh\nexec coffer kustomize-function "$@"\n');
    const dir = tempKustomization(`${GENERATOR_HEAD}files: [db-secret.enc.yaml]\n`);
    const build = kustomizeBuild(dir, { SOPS_AGE_KEY_FILE: EXAMPLE_KEY, KUSTOMIZE_PLUGIN_HOME: pluginHome, PATH: `${bin}:${process.env.PATH ?? "/usr/bin:/bin"}` });
    expect(build.status, build.stderr).toBe(0);
    expect(objects(build.stdout)[0]?.stringData?.password).toBe("correct-horse-battery-staple");
  });
});

describe("coffer kustomize-function as a legacy exec plugin (config path as argument)", () => {
  it("refuses a symlink that leads out of the kustomization directory", () => {
    const outside = mkdtempSync(join(tmpdir(), "coffer-krm-outside-"));
    copyFileSync(join(EXAMPLE_DIR, "db-secret.enc.yaml"), join(outside, "db-secret.enc.yaml"));
    const dir = tempKustomization(`${GENERATOR_HEAD}files: [linked.enc.yaml]\n`);
    symlinkSync(join(outside, "db-secret.enc.yaml"), join(dir, "linked.enc.yaml"));
    const result = runCoffer(["kustomize-function", "coffer.yaml"], { cwd: dir, env: { SOPS_AGE_KEY_FILE: EXAMPLE_KEY } });
    expect(result.status).toBe(exitStatusFor("GENERATOR_INVALID"));
    expect(result.stdout).toBe("");
  });


  it("exits with the error's own status and a one-line coded error", () => {
    const dir = tempKustomization(`${GENERATOR_HEAD}files: [db-secret.enc.yaml]\n`);
    const before = snapshot(dir);
    const result = runCoffer(["kustomize-function", join(dir, "coffer.yaml")], { cwd: dir, env: { SOPS_AGE_KEY_FILE: otherKey() } });
    expect(result.status).toBe(exitStatusFor("NO_MATCHING_KEY"));
    expect(result.stdout).toBe("");
    expect(result.stderr.split("\n")[0]).toMatch(/^coffer: error: db-secret\.enc\.yaml: .* \[NO_MATCHING_KEY\]$/);
    expect(snapshot(dir)).toEqual(before);
  });

  it("resolves paths from KUSTOMIZE_PLUGIN_CONFIG_ROOT, as kustomize sets it", () => {
    const dir = tempKustomization(`${GENERATOR_HEAD}files: [db-secret.enc.yaml]\n`);
    const result = runCoffer(["kustomize-function", join(dir, "coffer.yaml")], { env: { SOPS_AGE_KEY_FILE: EXAMPLE_KEY, KUSTOMIZE_PLUGIN_CONFIG_ROOT: dir } });
    expect(result.status, result.stderr).toBe(0);
    expect(objects(result.stdout)[0]?.stringData?.password).toBe("correct-horse-battery-staple");
  });

  it("refuses a malformed generator config with GENERATOR_INVALID", () => {
    const dir = tempKustomization(`${GENERATOR_HEAD}files: []\n`);
    const result = runCoffer(["kustomize-function", "coffer.yaml"], { cwd: dir, env: { SOPS_AGE_KEY_FILE: EXAMPLE_KEY } });
    expect(result.status).toBe(exitStatusFor("GENERATOR_INVALID"));
  });
});

describe("coffer kustomize-function as an exec KRM function (ResourceList on stdin)", () => {
  /** The ResourceList kustomize sends a generator: the config as functionConfig and, marked local, as the only item. */
  function resourceListFor(configPath: string): string {
    const config = parse(readFileSync(configPath, "utf8")) as { metadata: { annotations?: Record<string, string> } };
    config.metadata.annotations = { ...config.metadata.annotations, "config.kubernetes.io/local-config": "true" };
    return JSON.stringify({ apiVersion: "config.kubernetes.io/v1", kind: "ResourceList", items: [config], functionConfig: config });
  }

  it("answers the example's KRM config through its exec wrapper, run in the kustomization directory", () => {
    const before = snapshot(EXAMPLE_DIR);
    const result = spawnSync(join(EXAMPLE_DIR, "coffer-kustomize"), [], {
      cwd: EXAMPLE_DIR,
      input: resourceListFor(join(EXAMPLE_DIR, "coffer-generator.krm.yaml")),
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: freshHome(), SOPS_AGE_KEY_FILE: EXAMPLE_KEY },
      encoding: "utf8",
    });
    expect(result.status, result.stderr).toBe(0);
    const out = JSON.parse(result.stdout) as { kind: string; items: Obj[]; results?: unknown };
    expect(out.kind).toBe("ResourceList");
    expect(out.results).toBeUndefined();
    expect(out.items.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(["CofferGenerator/shop-secrets", "Secret/orders-db", "Secret/orders-api-keys"]);
    expect(out.items[1]?.stringData?.password).toBe("correct-horse-battery-staple");
    expect(decoded(out.items[2]?.data?.SENDGRID_API_KEY)).toBe("SG.example-not-real.000000000000000000000");
    expect(JSON.stringify(out.items[2]?.metadata)).toContain('"kustomize.config.k8s.io/needs-hash":"true"');
    expect(snapshot(EXAMPLE_DIR)).toEqual(before);
  });

  it("answers a failure with an error result on stdout, a coded line on stderr and the error's exit status", () => {
    const result = runCoffer(["kustomize-function"], {
      cwd: EXAMPLE_DIR,
      input: resourceListFor(join(EXAMPLE_DIR, "coffer-generator.krm.yaml")),
      env: { SOPS_AGE_KEY_FILE: otherKey() },
    });
    expect(result.status).toBe(exitStatusFor("NO_MATCHING_KEY"));
    const out = JSON.parse(result.stdout) as { results: Array<{ severity: string; tags: Record<string, string> }> };
    expect(out.results).toEqual([expect.objectContaining({ severity: "error", tags: { "coffer.dev/code": "NO_MATCHING_KEY" } })]);
    expect(result.stderr).toMatch(/^coffer: error: .* \[NO_MATCHING_KEY\]$/m);
    for (const secret of PLAINTEXTS) expect(result.stdout + result.stderr).not.toContain(secret);
  });

  it("answers input that is not a ResourceList with GENERATOR_INVALID, still as a ResourceList", () => {
    const result = runCoffer(["kustomize-function"], { input: "apiVersion: v1\nkind: ConfigMap\n" });
    expect(result.status).toBe(exitStatusFor("GENERATOR_INVALID"));
    expect(JSON.parse(result.stdout)).toMatchObject({ kind: "ResourceList", items: [], results: [{ severity: "error", tags: { "coffer.dev/code": "GENERATOR_INVALID" } }] });
  });
});
