/**
 * `coffer scan --fix`: flagged ConfigMap keys move into a SOPS-encrypted Secret that decrypts to
 * exactly the moved values; the ConfigMap loses them (comments and order kept), references follow;
 * --dry-run writes nothing and never shows a value; nothing is overwritten without --force.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parse, parseAllDocuments } from "yaml";
import { runCoffer } from "../helpers/cli.js";
import { fakeAwsKeyId, fakeDatabaseUrl, fakePemKey } from "../helpers/fake-secrets.js";
import { manifestDir } from "./scan-helpers.js";

const aws = fakeAwsKeyId();
const db = fakeDatabaseUrl();
const pem = fakePemKey();

interface Container {
  env: { name: string; valueFrom: Record<string, unknown> }[];
  envFrom: unknown[];
}
interface Manifest {
  data?: Record<string, string>;
  binaryData?: Record<string, string>;
  spec: { template: { spec: { containers: Container[] } } };
}

let keyHome: string;
let recipient: string;

beforeAll(() => {
  keyHome = manifestDir({});
  const made = runCoffer(["keygen", "-o", join(keyHome, "key.txt")], { env: { HOME: keyHome } });
  expect(made.status, made.stderr).toBe(0);
  recipient = made.stdout.trim();
});

const appYaml = () =>
  [
    "# application settings (kept)",
    "apiVersion: v1",
    "kind: ConfigMap",
    "metadata:",
    "  name: app-config",
    "  namespace: shop",
    "data:",
    "  LOG_LEVEL: info # comment kept",
    `  DB_URL: ${db.url}`,
    `  AWS_ACCESS_KEY_ID: ${aws}`,
    "binaryData:",
    `  tls.key: ${Buffer.from(pem).toString("base64")}`,
    "---",
    "apiVersion: apps/v1",
    "kind: Deployment",
    "metadata: {name: web, namespace: shop}",
    "spec:",
    "  template:",
    "    spec:",
    "      containers:",
    "        - name: app",
    "          envFrom:",
    "            - configMapRef: {name: app-config}",
    "          env:",
    "            - name: DATABASE_URL",
    "              valueFrom:",
    "                configMapKeyRef: {name: app-config, key: DB_URL}",
    "            - name: LEVEL",
    "              valueFrom:",
    "                configMapKeyRef: {name: app-config, key: LOG_LEVEL}",
    "",
  ].join("\n");

const jobYaml = [
  "apiVersion: batch/v1",
  "kind: Job",
  "metadata: {name: migrate, namespace: shop}",
  "spec:",
  "  template:",
  "    spec:",
  "      containers:",
  "        - name: m",
  "          env:",
  "            - name: AWS_ACCESS_KEY_ID",
  "              valueFrom:",
  "                configMapKeyRef: {name: app-config, key: AWS_ACCESS_KEY_ID, optional: true}",
  "",
].join("\n");

function repo(): string {
  return manifestDir({ ".sops.yaml": `creation_rules:\n  - path_regex: .*\\.enc\\.yaml$\n    age: ${recipient}\n`, "k8s/app.yaml": appYaml(), "k8s/job.yaml": jobYaml });
}

const env = () => ({ HOME: keyHome, SOPS_AGE_KEY_FILE: join(keyHome, "key.txt") });

describe("coffer scan --fix", () => {
  it("--dry-run describes the change without values and writes nothing", () => {
    const dir = repo();
    const run = runCoffer(["scan", "--fix", "--dry-run", "k8s"], { cwd: dir, env: env() });
    expect(run.status, run.stderr).toBe(1);
    expect(run.stdout).toContain("+++ k8s/app-config-secrets.enc.yaml");
    expect(run.stdout).toContain("secretKeyRef {name: app-config-secrets, key: DB_URL}");
    for (const secret of [aws, db.password, db.url, pem.split("\n")[1] as string]) expect(run.stdout + run.stderr).not.toContain(secret);
    expect(readFileSync(join(dir, "k8s/app.yaml"), "utf8")).toBe(appYaml());
    expect(readFileSync(join(dir, "k8s/job.yaml"), "utf8")).toBe(jobYaml);
    expect(existsSync(join(dir, "k8s/app-config-secrets.enc.yaml"))).toBe(false);
  });

  it("moves the keys into an encrypted Secret that decrypts to exactly the moved values", () => {
    const dir = repo();
    const run = runCoffer(["scan", "--fix", "k8s"], { cwd: dir, env: env() });
    expect(run.status, run.stderr).toBe(0);
    for (const secret of [aws, db.password]) expect(run.stdout + run.stderr).not.toContain(secret);

    const encrypted = readFileSync(join(dir, "k8s/app-config-secrets.enc.yaml"), "utf8");
    for (const secret of [aws, db.password]) expect(encrypted).not.toContain(secret);
    const decrypted = runCoffer(["decrypt", "k8s/app-config-secrets.enc.yaml"], { cwd: dir, env: env() });
    expect(decrypted.status, decrypted.stderr).toBe(0);
    const secret = parse(decrypted.stdout) as { kind: string; metadata: { name: string; namespace: string }; stringData: Record<string, string>; data: Record<string, string> };
    expect(secret.kind).toBe("Secret");
    expect(secret.metadata).toEqual({ name: "app-config-secrets", namespace: "shop" });
    expect(secret.stringData).toEqual({ DB_URL: db.url, AWS_ACCESS_KEY_ID: aws });
    expect(Object.keys(secret.data)).toEqual(["tls.key"]);
    expect(Buffer.from(secret.data["tls.key"] as string, "base64").toString()).toBe(pem);
  });

  it("removes the keys from the ConfigMap (comments and order kept) and rewrites references", () => {
    const dir = repo();
    expect(runCoffer(["scan", "--fix", "k8s"], { cwd: dir, env: env() }).status).toBe(0);
    const app = readFileSync(join(dir, "k8s/app.yaml"), "utf8");
    const job = readFileSync(join(dir, "k8s/job.yaml"), "utf8");
    for (const text of [app, job]) {
      for (const secret of [aws, db.password, Buffer.from(pem).toString("base64")]) expect(text).not.toContain(secret);
    }
    expect(app).toContain("# application settings (kept)");
    expect(app).toContain("LOG_LEVEL: info # comment kept");
    const [cm, deploy] = parseAllDocuments(app).map((doc) => {
      expect(doc.errors).toEqual([]);
      return doc.toJS() as Manifest;
    });
    expect(cm?.data).toEqual({ LOG_LEVEL: "info" });
    expect(cm?.binaryData).toBeUndefined();
    const container = deploy?.spec.template.spec.containers[0] as Container;
    expect(container.envFrom).toEqual([{ configMapRef: { name: "app-config" } }, { secretRef: { name: "app-config-secrets" } }]);
    expect(container.env).toEqual([
      { name: "DATABASE_URL", valueFrom: { secretKeyRef: { name: "app-config-secrets", key: "DB_URL" } } },
      { name: "LEVEL", valueFrom: { configMapKeyRef: { name: "app-config", key: "LOG_LEVEL" } } },
    ]);
    const jobObj = parse(job) as Manifest;
    expect(jobObj.spec.template.spec.containers[0]?.env[0]?.valueFrom).toEqual({ secretKeyRef: { name: "app-config-secrets", key: "AWS_ACCESS_KEY_ID", optional: true } });

    const rescan = runCoffer(["scan", "k8s"], { cwd: dir, env: env() });
    expect(rescan.status, rescan.stdout).toBe(0);
  });

  it("never overwrites an existing Secret file without --force, and changes nothing then", () => {
    const dir = repo();
    writeFileSync(join(dir, "k8s/app-config-secrets.enc.yaml"), "existing\n");
    const refused = runCoffer(["scan", "--fix", "k8s"], { cwd: dir, env: env() });
    expect(refused.status).toBe(14);
    expect(readFileSync(join(dir, "k8s/app-config-secrets.enc.yaml"), "utf8")).toBe("existing\n");
    expect(readFileSync(join(dir, "k8s/app.yaml"), "utf8")).toBe(appYaml());
    const forced = runCoffer(["scan", "--fix", "--force", "k8s"], { cwd: dir, env: env() });
    expect(forced.status, forced.stderr).toBe(0);
    expect(readFileSync(join(dir, "k8s/app-config-secrets.enc.yaml"), "utf8")).toContain("ENC[AES256_GCM,");
  });

  it("takes the Secret's name from --secret-name", () => {
    const dir = repo();
    expect(runCoffer(["scan", "--fix", "--secret-name", "app-creds", "k8s"], { cwd: dir, env: env() }).status).toBe(0);
    expect(existsSync(join(dir, "k8s/app-creds.enc.yaml"))).toBe(true);
    expect(readFileSync(join(dir, "k8s/job.yaml"), "utf8")).toContain("name: app-creds");
  });

  it("fails with NO_RECIPIENTS (111) and changes nothing without a .sops.yaml", () => {
    const dir = manifestDir({ "k8s/app.yaml": appYaml() });
    const run = runCoffer(["scan", "--fix", "k8s"], { cwd: dir, env: env() });
    expect(run.status).toBe(111);
    expect(readFileSync(join(dir, "k8s/app.yaml"), "utf8")).toBe(appYaml());
  });

  it("leaves a Helm template it skipped untouched, even a document in it that parses", () => {
    const dir = repo();
    // Discovered in a directory, not valid YAML, holds "{{": skipped by the scan, so --fix must not edit it.
    const template = ["{{- if .Values.migrate }}", "---", jobYaml, "---", "{{- end }}", ""].join("\n");
    writeFileSync(join(dir, "k8s/migrate.yaml"), template);
    const run = runCoffer(["scan", "--fix", "k8s"], { cwd: dir, env: env() });
    expect(run.status, run.stderr).toBe(0);
    expect(readFileSync(join(dir, "k8s/job.yaml"), "utf8")).toContain("secretKeyRef");
    expect(readFileSync(join(dir, "k8s/migrate.yaml"), "utf8")).toBe(template);
  });

  it("leaves findings it cannot move (literal env values) reported, exit 1", () => {
    const dir = repo();
    writeFileSync(join(dir, "k8s/pod.yaml"), `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n    - name: c\n      env:\n        - {name: AWS_ACCESS_KEY_ID, value: ${fakeAwsKeyId()}}\n`);
    const run = runCoffer(["scan", "--fix", "-o", "json", "k8s"], { cwd: dir, env: env() });
    expect(run.status).toBe(1);
    const findings = (JSON.parse(run.stdout) as { findings: { resource: { kind: string } }[] }).findings;
    expect(findings.map((f) => f.resource.kind)).toEqual(["Pod"]);
  });
});
