import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { freshHome, loadedModules, runCoffer } from "../helpers/cli.js";

const HEAVY = /@aws-sdk|@google-cloud|google-gax|@grpc|@kubernetes|node-vault|openpgp|etcd3/;

describe("lazy loading", () => {
  it("the recorder sees the modules the CLI loads", () => {
    const modules = loadedModules(["--help"]);
    expect(modules.some((m) => m.includes("dist/cli/coffer.mjs"))).toBe(true);
  });

  it("coffer --help loads no cloud SDK and no Kubernetes client", () => {
    expect(loadedModules(["--help"]).filter((m) => HEAVY.test(m))).toEqual([]);
  });

  it("an age-only decrypt loads no cloud SDK and no Kubernetes client", () => {
    const home = freshHome();
    const keyFile = join(home, "key.txt");
    const recipient = runCoffer(["keygen", "-o", keyFile], { env: { HOME: home } }).stdout.trim();
    const enc = runCoffer(["encrypt", "--age", recipient, "--input-type", "yaml", "-"], { env: { HOME: home }, input: "a: b\n" });
    const file = join(home, "s.enc.yaml");
    writeFileSync(file, enc.stdout);
    const modules = loadedModules(["decrypt", file], { SOPS_AGE_KEY_FILE: keyFile });
    expect(modules.length).toBeGreaterThan(0);
    expect(modules.filter((m) => HEAVY.test(m))).toEqual([]);
  });
});
