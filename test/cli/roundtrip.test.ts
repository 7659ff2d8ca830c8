import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { beforeAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { COFFER_BIN, freshHome, runCoffer } from "../helpers/cli.js";

interface YamlDoc {
  [key: string]: YamlDoc & string;
}

let home: string;
let keyFile: string;
let recipient: string;
const env = (): Record<string, string> => ({ HOME: home, SOPS_AGE_KEY_FILE: keyFile });

beforeAll(() => {
  home = freshHome();
  keyFile = join(home, "key.txt");
  const made = runCoffer(["keygen", "-o", keyFile], { env: { HOME: home } });
  expect(made.status, made.stderr).toBe(0);
  recipient = made.stdout.trim();
});

const samples: Record<string, string> = {
  "app.yaml": "# top\nname: demo\ndb:\n    password: hunter2 # inline\n    port: 5432\n    ratio: 0.5\n    enabled: true\nlist:\n    - a\n    - 1\n",
  "app.json": '{\n\t"b": "x",\n\t"a": {\n\t\t"n": 7,\n\t\t"f": 1.5,\n\t\t"t": true,\n\t\t"l": [\n\t\t\t"s",\n\t\t\tnull\n\t\t]\n\t}\n}\n',
  "app.env": "# comment\nTOKEN=abc=def\nEMPTY=\nMULTI=line1\\nline2\n",
  "app.ini": "[server]\nhost = example.org\nport = 8080\n\n[auth]\npassword = p@ss\n",
  "blob.bin": "\u0000\u0001binary\u00ff payload\n",
};

describe("coffer encrypt then decrypt", () => {
  for (const [name, text] of Object.entries(samples)) {
    it(`round-trips ${name} byte for byte`, () => {
      const plain = join(home, name);
      writeFileSync(plain, name.endsWith(".bin") ? Buffer.from(text, "latin1") : text);
      const enc = runCoffer(["encrypt", "--age", recipient, plain], { env: env() });
      expect(enc.status, enc.stderr).toBe(0);
      expect(enc.stdout).toContain("ENC[AES256_GCM,data:");
      expect(enc.stdout).toContain(recipient);
      const encrypted = join(home, `enc.${name}`);
      writeFileSync(encrypted, enc.stdoutBytes);
      const dec = runCoffer(["decrypt", encrypted], { env: env() });
      expect(dec.status, dec.stderr).toBe(0);
      expect(dec.stdoutBytes.equals(readFileSync(plain))).toBe(true);
    });
  }

  it("never writes plaintext values into the encrypted output", () => {
    const enc = runCoffer(["encrypt", "--age", recipient, "--input-type", "yaml", "-"], { env: env(), input: "password: hunter2\n" });
    expect(enc.status).toBe(0);
    expect(enc.stdout).not.toContain("hunter2");
  });

  it("encrypts only data/stringData of a Kubernetes Secret and records the rule", () => {
    const secret = "apiVersion: v1\nkind: Secret\nmetadata:\n    name: db\nstringData:\n    password: hunter2\n";
    const enc = runCoffer(["encrypt", "--age", recipient, "--input-type", "yaml", "-"], { env: env(), input: secret });
    expect(enc.status, enc.stderr).toBe(0);
    const doc = parseYaml(enc.stdout) as YamlDoc;
    expect(doc.metadata).toEqual({ name: "db" });
    expect(doc.kind).toBe("Secret");
    expect(doc.stringData?.password).toMatch(/^ENC\[AES256_GCM,/);
    expect(doc.sops?.encrypted_regex).toBe("^(data|stringData)$");
    expect(doc.sops?.unencrypted_suffix).toBeUndefined();
  });

  it("refuses to encrypt an already encrypted file (exit 203) and leaves it untouched", () => {
    const path = join(home, "twice.yaml");
    writeFileSync(path, "a: b\n");
    expect(runCoffer(["encrypt", "--age", recipient, "-i", path], { env: env() }).status).toBe(0);
    const once = readFileSync(path);
    const again = runCoffer(["encrypt", "--age", recipient, "-i", path], { env: env() });
    expect(again.status).toBe(203);
    expect(again.stderr).toContain("[ALREADY_ENCRYPTED]");
    expect(readFileSync(path).equals(once)).toBe(true);
  });

  it("encrypts and decrypts in place atomically, keeping the file mode", () => {
    const path = join(home, "inplace.yaml");
    writeFileSync(path, "token: abc\n");
    chmodSync(path, 0o640);
    expect(runCoffer(["encrypt", "--age", recipient, "-i", path], { env: env() }).status).toBe(0);
    expect(readFileSync(path, "utf8")).toContain("ENC[");
    expect(statSync(path).mode & 0o777).toBe(0o640);
    expect(runCoffer(["decrypt", "-i", path], { env: env() }).status).toBe(0);
    expect(readFileSync(path, "utf8")).toBe("token: abc\n");
    expect(statSync(path).mode & 0o777).toBe(0o640);
  });

  it("takes recipients and the crypt rule from .sops.yaml, matched from the working directory", () => {
    const project = join(home, "project");
    mkdirSync(join(project, "prod"), { recursive: true });
    writeFileSync(
      join(project, ".sops.yaml"),
      `creation_rules:\n  - path_regex: prod/.*\\.yaml$\n    encrypted_regex: ^secret$\n    age: ${recipient}\n`,
    );
    writeFileSync(join(project, "prod", "app.yaml"), "secret: s1\nplain: p1\n");
    const enc = runCoffer(["encrypt", "prod/app.yaml"], { env: env(), cwd: project });
    expect(enc.status, enc.stderr).toBe(0);
    const doc = parseYaml(enc.stdout) as YamlDoc;
    expect(doc.plain).toBe("p1");
    expect(doc.secret).toMatch(/^ENC\[/);
    expect(doc.sops?.encrypted_regex).toBe("^secret$");

    writeFileSync(join(project, "other.yaml"), "a: b\n");
    const miss = runCoffer(["encrypt", "other.yaml"], { env: env(), cwd: project });
    expect(miss.status).toBe(62);
    expect(miss.stderr).toContain("[NO_MATCHING_RULE]");
  });

  it("extracts one value and converts output types", () => {
    const path = join(home, "extract.yaml");
    writeFileSync(path, "db:\n    user: app\n    port: 5432\n");
    expect(runCoffer(["encrypt", "--age", recipient, "-i", path], { env: env() }).status).toBe(0);
    const user = runCoffer(["decrypt", "--extract", '["db"]["user"]', path], { env: env() });
    expect(user.stdout).toBe("app");
    const port = runCoffer(["decrypt", "--extract", '["db"]["port"]', path], { env: env() });
    expect(port.stdout).toBe("5432\n");
    const asJson = runCoffer(["decrypt", "--output-type", "json", path], { env: env() });
    expect(JSON.parse(asJson.stdout)).toEqual({ db: { user: "app", port: 5432 } });
    const missing = runCoffer(["decrypt", "--extract", '["db"]["nope"]', path], { env: env() });
    expect(missing.status).toBe(91);
  });

  it("reports filestatus as data on stdout", () => {
    const path = join(home, "status.yaml");
    writeFileSync(path, "a: b\n");
    expect(JSON.parse(runCoffer(["filestatus", path], { env: env() }).stdout)).toEqual({ encrypted: false });
    runCoffer(["encrypt", "--age", recipient, "-i", path], { env: env() });
    expect(JSON.parse(runCoffer(["filestatus", path], { env: env() }).stdout)).toEqual({ encrypted: true });
  });
});

describe("coffer keygen", () => {
  it("writes a 0600 identity, prints the recipient, and never overwrites", () => {
    const dir = freshHome();
    const made = runCoffer(["keygen"], { env: { HOME: dir } });
    expect(made.status, made.stderr).toBe(0);
    const path = join(dir, ".config", "sops", "age", "keys.txt");
    const text = readFileSync(path, "utf8");
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(text).toMatch(/^AGE-SECRET-KEY-1[0-9A-Z]+$/m);
    expect(text).toContain(`# public key: ${made.stdout.trim()}`);
    const again = runCoffer(["keygen"], { env: { HOME: dir } });
    expect(again.status).toBe(14);
    expect(readFileSync(path, "utf8")).toBe(text);
  });

  it("makes post-quantum identities that encrypt and decrypt", () => {
    const dir = freshHome();
    const made = runCoffer(["keygen", "--pq", "-o", join(dir, "pq.txt")], { env: { HOME: dir } });
    expect(made.status, made.stderr).toBe(0);
    expect(made.stdout).toMatch(/^age1pq1/);
    const enc = runCoffer(["encrypt", "--age", made.stdout.trim(), "--input-type", "json", "-"], { env: { HOME: dir }, input: '{"k":"v"}' });
    expect(enc.status, enc.stderr).toBe(0);
    const dec = runCoffer(["decrypt", "--input-type", "json", "-"], { env: { HOME: dir, SOPS_AGE_KEY_FILE: join(dir, "pq.txt") }, input: enc.stdout });
    expect(dec.status, dec.stderr).toBe(0);
    expect(JSON.parse(dec.stdout)).toEqual({ k: "v" });
  });
});

describe("coffer --help", () => {
  for (const command of ["", "encrypt", "decrypt", "filestatus", "keygen"]) {
    it(`documents '${command || "coffer"}'`, () => {
      const result = runCoffer(command === "" ? ["--help"] : [command, "--help"]);
      expect(result.status).toBe(0);
      expect(result.stdout).toMatch(/^Usage: coffer/);
    });
  }
  it("prints the version", () => {
    expect(runCoffer(["--version"]).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});

describe("a reader that closes stdout early", () => {
  it("ends coffer quietly (no EPIPE stack trace)", () => {
    const result = spawnSync("sh", ["-c", `node "${COFFER_BIN}" encrypt --help | head -1`], { encoding: "utf8", env: { PATH: process.env.PATH ?? "" } });
    expect(result.stdout).toMatch(/^Usage: coffer encrypt/);
    expect(result.stderr).toBe("");
  });
});
