import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { beforeAll, describe, expect, it } from "vitest";
import { exitStatusFor } from "../../src/cli/exit.js";
import { itWithBinary } from "../helpers/binaries.js";
import { freshHome, runCoffer } from "../helpers/cli.js";

interface Key {
  file: string;
  recipient: string;
}

let home: string;
const keys: Key[] = [];

beforeAll(() => {
  home = freshHome();
  for (let i = 0; i < 3; i++) {
    const file = join(home, `key${i}.txt`);
    const made = runCoffer(["keygen", "-o", file], { env: { HOME: home } });
    expect(made.status, made.stderr).toBe(0);
    keys.push({ file, recipient: made.stdout.trim() });
  }
});

const k = (i: number): Key => keys[i]!;
const withKey = (i: number, extra: Record<string, string> = {}) => ({ HOME: home, SOPS_AGE_KEY_FILE: k(i).file, ...extra });

function repo(rule: string): string {
  const dir = mkdtempSync(join(home, "repo-"));
  writeFileSync(join(dir, ".sops.yaml"), rule);
  return dir;
}

const ageRule = (...recipients: string[]) => `creation_rules:\n  - path_regex: \\.(yaml|json)$\n    age: ${recipients.join(",")}\n`;

function encryptIn(dir: string, name: string, text: string, keyIndex = 0): void {
  writeFileSync(join(dir, name), text);
  const result = runCoffer(["encrypt", "-i", name], { cwd: dir, env: withKey(keyIndex) });
  expect(result.status, result.stderr).toBe(0);
}

/** The file without its sops block: the part updatekeys must not touch. */
function dataPart(text: string): string {
  return text.slice(0, text.indexOf("sops:"));
}

function metadataLine(text: string, field: string): string | undefined {
  return text.split("\n").find((line) => line.trimStart().startsWith(`${field}:`));
}

describe("coffer updatekeys", () => {
  it("adds and removes recipients, keeping values, mac and lastmodified byte for byte", () => {
    const dir = repo(ageRule(k(0).recipient, k(1).recipient));
    encryptIn(dir, "app.yaml", "password: hunter2\nnested:\n    port: 5432\n");
    const before = readFileSync(join(dir, "app.yaml"), "utf8");
    writeFileSync(join(dir, ".sops.yaml"), ageRule(k(0).recipient, k(2).recipient));

    const refused = runCoffer(["updatekeys", "app.yaml"], { cwd: dir, env: withKey(0) });
    expect(refused.status).toBe(exitStatusFor("USAGE"));
    expect(refused.stderr).toContain(`+ age ${k(2).recipient}`);
    expect(refused.stderr).toContain(`- age ${k(1).recipient}`);
    expect(readFileSync(join(dir, "app.yaml"), "utf8")).toBe(before);

    const applied = runCoffer(["updatekeys", "-y", "app.yaml"], { cwd: dir, env: withKey(0) });
    expect(applied.status, applied.stderr).toBe(0);
    const after = readFileSync(join(dir, "app.yaml"), "utf8");
    expect(dataPart(after)).toBe(dataPart(before));
    for (const field of ["mac", "lastmodified", "version"]) expect(metadataLine(after, field)).toBe(metadataLine(before, field));

    const opened = runCoffer(["decrypt", "app.yaml"], { cwd: dir, env: withKey(2) });
    expect(opened.status, opened.stderr).toBe(0);
    expect(opened.stdout).toContain("hunter2");
    expect(runCoffer(["decrypt", "app.yaml"], { cwd: dir, env: withKey(1) }).status).toBe(exitStatusFor("NO_MATCHING_KEY"));

    const again = runCoffer(["updatekeys", "app.yaml"], { cwd: dir, env: withKey(0) });
    expect(again.status, again.stderr).toBe(0);
    expect(again.stderr).toContain("no changes");
    expect(readFileSync(join(dir, "app.yaml"), "utf8")).toBe(after);
  });

  it("keeps an azure_kv stanza the rule still wants verbatim", () => {
    const rule = (recipients: string) =>
      `creation_rules:\n  - age: ${recipients}\n    azure_keyvault: https://v.vault.azure.net/keys/k/1\n`;
    const dir = repo(rule(k(0).recipient));
    writeFileSync(join(dir, "plain.yaml"), "token: abc\n");
    expect(runCoffer(["encrypt", "--age", k(0).recipient, "-i", "plain.yaml"], { cwd: dir, env: withKey(0) }).status).toBe(0);
    // The stanza as another tool would have written it; Coffer has no Azure provider.
    const azure = '    azure_kv:\n        - created_at: "2024-01-01T00:00:00Z"\n          enc: opaque-azure-blob\n          name: k\n          vault_url: https://v.vault.azure.net\n          version: "1"\n';
    const path = join(dir, "plain.yaml");
    writeFileSync(path, readFileSync(path, "utf8").replace("sops:\n", `sops:\n${azure}`));
    writeFileSync(join(dir, ".sops.yaml"), rule(`${k(0).recipient},${k(1).recipient}`));

    const applied = runCoffer(["updatekeys", "-y", "plain.yaml"], { cwd: dir, env: withKey(0) });
    expect(applied.status, applied.stderr).toBe(0);
    const after = readFileSync(path, "utf8");
    expect(after).toContain(azure);
    expect(runCoffer(["decrypt", "plain.yaml"], { cwd: dir, env: withKey(1) }).stdout).toContain("abc");
  });
});

function ageEncOf(text: string): string {
  const doc = parseYaml(text) as { sops: { age: Array<{ enc: string }> } };
  return doc.sops.age[0]!.enc;
}

function encValues(text: string): string[] {
  return dataPart(text).match(/ENC\[[^\]]+\]/g) ?? [];
}

const itWithAge = itWithBinary("age");

describe("coffer rotate", () => {
  itWithAge("gives a new data key, re-encrypts every value, and --rm-age locks out the removed key", () => {
    const dir = repo(ageRule(k(0).recipient));
    encryptIn(dir, "app.yaml", "a: one\nb: 2\nc:\n    - x\n    - z\n");
    const before = readFileSync(join(dir, "app.yaml"), "utf8");
    const rotated = runCoffer(["rotate", "--add-age", k(1).recipient, "--rm-age", k(0).recipient, "app.yaml"], { cwd: dir, env: withKey(0) });
    expect(rotated.status, rotated.stderr).toBe(0);
    const after = readFileSync(join(dir, "app.yaml"), "utf8");

    const oldValues = encValues(before);
    const newValues = encValues(after);
    expect(newValues).toHaveLength(oldValues.length);
    for (const value of newValues) expect(oldValues).not.toContain(value);
    expect(metadataLine(after, "mac")).not.toBe(metadataLine(before, "mac"));

    const unwrap = (text: string, key: Key): Buffer => {
      const encFile = join(dir, "enc.age");
      writeFileSync(encFile, ageEncOf(text));
      const result = spawnSync("age", ["-d", "-i", key.file, encFile]);
      expect(result.status, result.stderr.toString()).toBe(0);
      return result.stdout;
    };
    const oldKey = unwrap(before, k(0));
    const newKey = unwrap(after, k(1));
    expect(oldKey).toHaveLength(32);
    expect(newKey).toHaveLength(32);
    expect(newKey.equals(oldKey)).toBe(false);

    expect(runCoffer(["decrypt", "app.yaml"], { cwd: dir, env: withKey(0) }).status).toBe(exitStatusFor("NO_MATCHING_KEY"));
    const opened = runCoffer(["decrypt", "app.yaml"], { cwd: dir, env: withKey(1) });
    expect(opened.status, opened.stderr).toBe(0);
    expect(opened.stdout).toBe("a: one\nb: 2\nc:\n    - x\n    - z\n");
  });
});

describe("-r over a repository", () => {
  function tree(): { dir: string; untouched: Record<string, Buffer> } {
    const dir = repo(ageRule(k(0).recipient));
    mkdirSync(join(dir, "sub"));
    mkdirSync(join(dir, "node_modules"));
    encryptIn(dir, "a.yaml", "x: 1\n");
    encryptIn(dir, "sub/b.json", '{"y": "two"}\n');
    encryptIn(dir, "node_modules/dep.yaml", "z: 3\n");
    writeFileSync(join(dir, "plain.yaml"), "covered: but not encrypted\n");
    writeFileSync(join(dir, "broken.yaml"), "sops:\n    mac: [unclosed\n");
    // Encrypted, but no rule covers .txt files.
    writeFileSync(join(dir, "other.txt"), "raw bytes\n");
    const other = runCoffer(["encrypt", "--age", k(0).recipient, "-i", "other.txt"], { cwd: dir, env: withKey(0) });
    expect(other.status, other.stderr).toBe(0);
    const untouched = Object.fromEntries(
      ["plain.yaml", "broken.yaml", "other.txt", "node_modules/dep.yaml"].map((name) => [name, readFileSync(join(dir, name))]),
    );
    return { dir, untouched };
  }

  it("updatekeys: changes the covered encrypted files, reports the broken one, and exits with its status", () => {
    const { dir, untouched } = tree();
    writeFileSync(join(dir, ".sops.yaml"), ageRule(k(0).recipient, k(2).recipient));
    const result = runCoffer(["updatekeys", "-y", "-r", ".", "-o", "json", "--concurrency", "2"], { cwd: dir, env: withKey(0) });
    expect(result.status, result.stderr).toBe(exitStatusFor("FORMAT_INVALID"));
    const summary = JSON.parse(result.stdout) as { changed: number; unchanged: number; failed: number; skipped: number; files: Array<{ path: string; status: string; code?: string }> };
    expect({ changed: summary.changed, unchanged: summary.unchanged, failed: summary.failed, skipped: summary.skipped }).toEqual({ changed: 2, unchanged: 0, failed: 1, skipped: 1 });
    expect(summary.files.find((f) => f.path === "broken.yaml")).toMatchObject({ status: "failed", code: "FORMAT_INVALID" });
    expect(summary.files.map((f) => f.path).sort()).toEqual(["a.yaml", "broken.yaml", "plain.yaml", "sub/b.json"]);
    for (const [name, bytes] of Object.entries(untouched)) expect(readFileSync(join(dir, name)).equals(bytes), name).toBe(true);
    for (const name of ["a.yaml", "sub/b.json"]) {
      expect(runCoffer(["decrypt", name], { cwd: dir, env: withKey(2) }).status, name).toBe(0);
    }

    const again = runCoffer(["updatekeys", "-y", "-r", ".", "-o", "json"], { cwd: dir, env: withKey(0) });
    expect((JSON.parse(again.stdout) as { unchanged: number }).unchanged).toBe(2);
  });

  it("rotate: rotates the covered encrypted files and still fails for the broken one", () => {
    const { dir, untouched } = tree();
    const before = readFileSync(join(dir, "a.yaml"), "utf8");
    const result = runCoffer(["rotate", "-r", ".", "-o", "json"], { cwd: dir, env: withKey(0) });
    expect(result.status, result.stderr).toBe(exitStatusFor("FORMAT_INVALID"));
    const summary = JSON.parse(result.stdout) as { changed: number; failed: number };
    expect([summary.changed, summary.failed]).toEqual([2, 1]);
    expect(encValues(readFileSync(join(dir, "a.yaml"), "utf8"))).not.toEqual(encValues(before));
    for (const [name, bytes] of Object.entries(untouched)) expect(readFileSync(join(dir, name)).equals(bytes), name).toBe(true);
    expect(runCoffer(["decrypt", "a.yaml"], { cwd: dir, env: withKey(0) }).stdout).toBe("x: 1\n");
  });
});
