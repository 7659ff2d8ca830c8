/**
 * `coffer decrypt FILE... | -r DIR --output-dir OUT`: many files in one run against the AWS KMS
 * fake, one key-service call per distinct stanza, per-file results and a summary.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encrypt } from "../../src/api.js";
import { kmsKeyFromArnString } from "../../src/config/index.js";
import { createAwsKmsProvider } from "../../providers/aws-kms/index.js";
import { startAwsKmsFake, type AwsKmsFake } from "../fakes/aws-kms/server.js";
import { freshHome, runCofferAsync } from "../helpers/cli.js";

let aws: AwsKmsFake;
let arn: string;
let env: Record<string, string>;

beforeAll(async () => {
  aws = await startAwsKmsFake();
  arn = aws.createKey({ alias: "many" }).arn;
  env = {
    AWS_ACCESS_KEY_ID: aws.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: aws.credentials.secretAccessKey,
    AWS_REGION: aws.region,
    AWS_ENDPOINT_URL_KMS: aws.url,
  };
});
afterAll(async () => aws.close());

/** Encrypts `plain` (YAML) for the fake's key in this process: a new data key each time. */
async function encryptForKms(plain: string): Promise<Uint8Array> {
  const provider = createAwsKmsProvider({ endpoint: aws.url, credentials: { ...aws.credentials } });
  return encrypt(plain, { format: "yaml", keyGroups: [[kmsKeyFromArnString(arn)]], providers: [provider] });
}

function decryptCalls(): number {
  return aws.calls.filter((call) => call.operation === "Decrypt").length;
}

interface Summary {
  changed: number;
  unchanged: number;
  failed: number;
  skipped: number;
  files: Array<{ path: string; status: string; code?: string }>;
}

/** A repository with `count` encrypted files under secrets/ (some nested), plus one plaintext file. */
async function makeTree(count: number): Promise<{ home: string; tree: string; plaintexts: Map<string, string> }> {
  const home = freshHome();
  const tree = join(home, "repo");
  mkdirSync(join(tree, "secrets", "nested"), { recursive: true });
  const plaintexts = new Map<string, string>();
  for (let i = 0; i < count; i++) {
    const rel = i % 2 === 0 ? `secrets/app-${i}.yaml` : `secrets/nested/app-${i}.yaml`;
    const plain = `# file ${i}\nname: app-${i}\npassword: secret-${i}\nlist:\n    - ${i}\n`;
    writeFileSync(join(tree, rel), await encryptForKms(plain));
    plaintexts.set(rel, plain);
  }
  writeFileSync(join(tree, "README.md"), "not a secret\n");
  writeFileSync(join(tree, "secrets", "plain.yaml"), "a: b\n");
  return { home, tree, plaintexts };
}

describe("coffer decrypt -r DIR --output-dir OUT", () => {
  it("writes every plaintext under OUT, mirrored, byte-equal, 0600 in a 0700 directory; one KMS call per distinct stanza", async () => {
    const { home, tree, plaintexts } = await makeTree(6);
    // A copy shares the data key and the stanza of its original: no second KMS call for it.
    copyFileSync(join(tree, "secrets", "app-0.yaml"), join(tree, "secrets", "copy-of-0.yaml"));
    plaintexts.set("secrets/copy-of-0.yaml", plaintexts.get("secrets/app-0.yaml")!);
    const before = decryptCalls();

    const out = join(home, "out");
    const result = await runCofferAsync(["decrypt", "-r", "repo", "--output-dir", "out", "-o", "json"], { env: { HOME: home, ...env }, cwd: home });
    expect(result.status, result.stderr).toBe(0);
    expect(decryptCalls() - before).toBe(6);
    for (const [rel, plain] of plaintexts) {
      const written = join(out, ...rel.split("/"));
      expect(readFileSync(written, "utf8")).toBe(plain);
      expect(statSync(written).mode & 0o777).toBe(0o600);
    }
    expect(statSync(out).mode & 0o777).toBe(0o700);
    expect(existsSync(join(out, "README.md"))).toBe(false);
    expect(existsSync(join(out, "secrets", "plain.yaml"))).toBe(false);

    const summary = JSON.parse(result.stdout) as Summary;
    expect(summary).toMatchObject({ changed: 7, unchanged: 0, failed: 0, skipped: 2 });
    expect(summary.files.filter((file) => file.status === "changed")).toHaveLength(7);
    expect(result.stderr).toMatch(/decrypted +repo\/secrets\/nested\/app-1\.yaml/);
    expect(result.stderr).toContain("7 changed, 0 unchanged, 0 failed, 2 skipped");
    expect(result.stderr).not.toContain("secret-");
  });

  it("decrypts named files by basename, and refuses to overwrite an existing output unless --force", async () => {
    const home = freshHome();
    writeFileSync(join(home, "a.yaml"), await encryptForKms("a: 1\n"));
    writeFileSync(join(home, "b.yaml"), await encryptForKms("b: 2\n"));
    mkdirSync(join(home, "out"));
    writeFileSync(join(home, "out", "b.yaml"), "keep me\n");

    const refused = await runCofferAsync(["decrypt", "a.yaml", "b.yaml", "--output-dir", "out"], { env: { HOME: home, ...env }, cwd: home });
    expect(refused.status).toBe(14); // FILE_EXISTS
    expect(refused.stderr).toContain("[FILE_EXISTS]");
    expect(readFileSync(join(home, "out", "a.yaml"), "utf8")).toBe("a: 1\n");
    expect(readFileSync(join(home, "out", "b.yaml"), "utf8")).toBe("keep me\n");

    const forced = await runCofferAsync(["decrypt", "a.yaml", "b.yaml", "--output-dir", "out", "--force"], { env: { HOME: home, ...env }, cwd: home });
    expect(forced.status, forced.stderr).toBe(0);
    expect(readFileSync(join(home, "out", "b.yaml"), "utf8")).toBe("b: 2\n");
  });

  it("with a broken file among good ones: writes the others, lists the failure, counts right, exits non-zero", async () => {
    const { home, tree, plaintexts } = await makeTree(3);
    const good = readFileSync(join(tree, "secrets", "app-0.yaml"), "utf8");
    // Tampered value: the MAC no longer matches.
    writeFileSync(join(tree, "secrets", "tampered.yaml"), good.replace(/name: ENC\[AES256_GCM,data:[^,]*/, "name: ENC[AES256_GCM,data:AAAA"));
    const result = await runCofferAsync(["decrypt", "-r", "repo", "--output-dir", "out", "-o", "json"], { env: { HOME: home, ...env }, cwd: home });
    expect(result.status).not.toBe(0);
    const summary = JSON.parse(result.stdout) as Summary;
    expect(summary).toMatchObject({ changed: 3, failed: 1, skipped: 2 });
    expect(summary.files.find((file) => file.status === "failed")?.path).toBe(join("repo", "secrets", "tampered.yaml"));
    expect(result.stderr).toMatch(/failed +repo\/secrets\/tampered\.yaml/);
    for (const [rel, plain] of plaintexts) expect(readFileSync(join(home, "out", ...rel.split("/")), "utf8")).toBe(plain);
    expect(existsSync(join(home, "out", "secrets", "tampered.yaml"))).toBe(false);
  });

  it("refuses several inputs without --output-dir (USAGE, exit 8) and prints no plaintext", async () => {
    const home = freshHome();
    writeFileSync(join(home, "a.yaml"), await encryptForKms("a: top-secret\n"));
    copyFileSync(join(home, "a.yaml"), join(home, "b.yaml"));
    const before = decryptCalls();
    const result = await runCofferAsync(["decrypt", "a.yaml", "b.yaml"], { env: { HOME: home, ...env }, cwd: home });
    expect(result.status).toBe(8);
    expect(result.stderr).toContain("[USAGE]");
    expect(result.stderr).toContain("--output-dir");
    expect(result.stdout).toBe("");
    expect(decryptCalls()).toBe(before);
    expect(readdirSync(home).sort()).toEqual(["a.yaml", "b.yaml"]);
  });

  it("refuses a --concurrency out of range before asking the key service", async () => {
    const home = freshHome();
    writeFileSync(join(home, "a.yaml"), await encryptForKms("a: 1\n"));
    const before = decryptCalls();
    const result = await runCofferAsync(["decrypt", "a.yaml", "--output-dir", "out", "--concurrency", "0"], { env: { HOME: home, ...env }, cwd: home });
    expect(result.status).toBe(8);
    expect(decryptCalls()).toBe(before);
    expect(existsSync(join(home, "out"))).toBe(false);
  });

  it("keeps single-file decrypt on stdout", async () => {
    const home = freshHome();
    writeFileSync(join(home, "a.yaml"), await encryptForKms("a: 1\n"));
    const result = await runCofferAsync(["decrypt", "a.yaml"], { env: { HOME: home, ...env }, cwd: home });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toBe("a: 1\n");
  });
});
