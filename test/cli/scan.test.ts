/**
 * `coffer scan` over files, directories and stdin: every place a credential hides in Kubernetes
 * objects, with the right rule-independent facts (resource, key, line), and never a flag on
 * SOPS ciphertext or SealedSecret data.
 */
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { runCoffer } from "../helpers/cli.js";
import { fakeAwsKeyId, fakeDatabaseUrl, fakeGithubToken, fakePemKey } from "../helpers/fake-secrets.js";
import { lineOf, manifestDir, scanJson } from "./scan-helpers.js";

const aws = fakeAwsKeyId();
const gh = fakeGithubToken();
const db = fakeDatabaseUrl();
const pem = fakePemKey();

describe("coffer scan: ConfigMaps", () => {
  const text = [
    "# app settings",
    "apiVersion: v1",
    "kind: ConfigMap",
    "metadata:",
    "  name: app-config",
    "  namespace: shop",
    "data:",
    "  LOG_LEVEL: info",
    `  DB_URL: ${db.url}`,
    `  AWS_ACCESS_KEY_ID: ${aws}`,
    "binaryData:",
    `  tls.key: ${Buffer.from(pem).toString("base64")}`,
    "",
  ].join("\n");

  it("finds credentials in data and (decoded) binaryData, with key and line", () => {
    const dir = manifestDir({ "app.yaml": text });
    const { result, findings } = scanJson(["app.yaml"], { cwd: dir });
    expect(result.status, result.stderr).toBe(1);
    const byKey = new Map(findings.map((f) => [f.key, f]));
    expect([...byKey.keys()].sort()).toEqual(["binaryData[tls.key]", "data.AWS_ACCESS_KEY_ID", "data.DB_URL"]);
    expect(byKey.get("data.DB_URL")?.location).toEqual({ uri: "app.yaml", line: lineOf(text, "DB_URL") });
    expect(byKey.get("data.AWS_ACCESS_KEY_ID")?.location.line).toBe(lineOf(text, "AWS_ACCESS_KEY_ID"));
    expect(byKey.get("binaryData[tls.key]")?.location.line).toBe(lineOf(text, "tls.key"));
    for (const finding of findings) expect(finding.resource).toEqual({ kind: "ConfigMap", namespace: "shop", name: "app-config" });
  });

  it("reads stdin with '-' (helm template ... | coffer scan -)", () => {
    const dir = manifestDir({});
    const { result, findings } = scanJson(["-"], { cwd: dir, input: text });
    expect(result.status, result.stderr).toBe(1);
    expect(findings.map((f) => f.location.uri)).toEqual(["-", "-", "-"]);
    expect(findings.map((f) => f.key).sort()).toEqual(["binaryData[tls.key]", "data.AWS_ACCESS_KEY_ID", "data.DB_URL"]);
  });

  it("exits 0 with no output rows when nothing is found", () => {
    const dir = manifestDir({ "clean.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: clean}\ndata:\n  LOG_LEVEL: debug\n  PASSWORD_FILE: /run/secrets/db\n" });
    const { result, findings } = scanJson(["clean.yaml"], { cwd: dir });
    expect(result.status, result.stderr).toBe(0);
    expect(findings).toEqual([]);
    expect(runCoffer(["scan", "clean.yaml"], { cwd: dir }).stdout).toBe("");
  });
});

function podSpec(container: string): Record<string, unknown> {
  return {
    containers: [
      {
        name: container,
        image: "registry.example/app:1",
        command: ["/app", `--github-token=${gh}`],
        args: ["--verbose"],
        env: [
          { name: "LOG_LEVEL", value: "info" },
          { name: "AWS_ACCESS_KEY_ID", value: aws },
          { name: "FROM_SECRET", valueFrom: { secretKeyRef: { name: "s", key: "k" } } },
        ],
      },
    ],
  };
}

const template = (container: string) => ({ metadata: { labels: { app: "a" } }, spec: podSpec(container) });

const WORKLOADS: [string, string, Record<string, unknown>, string][] = [
  ["v1", "Pod", podSpec("c"), "spec"],
  ["apps/v1", "Deployment", { template: template("c") }, "spec.template.spec"],
  ["apps/v1", "StatefulSet", { serviceName: "s", template: template("c") }, "spec.template.spec"],
  ["apps/v1", "DaemonSet", { template: template("c") }, "spec.template.spec"],
  ["apps/v1", "ReplicaSet", { template: template("c") }, "spec.template.spec"],
  ["batch/v1", "Job", { template: template("c") }, "spec.template.spec"],
  ["batch/v1", "CronJob", { schedule: "* * * * *", jobTemplate: { spec: { template: template("c") } } }, "spec.jobTemplate.spec.template.spec"],
  ["batch/v1beta1", "CronJob", { schedule: "* * * * *", jobTemplate: { spec: { template: template("c") } } }, "spec.jobTemplate.spec.template.spec"],
  ["v1", "ReplicationController", { template: template("c") }, "spec.template.spec"],
  ["argoproj.io/v1alpha1", "Rollout", { template: template("c") }, "spec.template.spec"],
];

describe("coffer scan: workloads", () => {
  for (const [apiVersion, kind, spec, specPath] of WORKLOADS) {
    it(`finds literal env values and command flags in a ${apiVersion} ${kind}`, () => {
      const manifest = stringify({ apiVersion, kind, metadata: { name: "w", namespace: "ns" }, spec });
      const dir = manifestDir({ "w.yaml": manifest });
      const { result, findings } = scanJson(["w.yaml"], { cwd: dir });
      expect(result.status, result.stderr).toBe(1);
      const keys = findings.map((f) => f.key).sort();
      expect(keys).toEqual([`${specPath}.containers[c].command[1]`, `${specPath}.containers[c].env[AWS_ACCESS_KEY_ID]`]);
      const env = findings.find((f) => f.key.endsWith("env[AWS_ACCESS_KEY_ID]"));
      expect(env?.location.line).toBe(lineOf(manifest, aws));
      expect(env?.resource).toEqual({ kind, namespace: "ns", name: "w" });
    });
  }

  it("covers initContainers and a PodTemplate's template", () => {
    const manifest = stringify({ apiVersion: "v1", kind: "PodTemplate", metadata: { name: "t" }, template: { spec: { initContainers: [{ name: "init", env: [{ name: "TOKEN", value: gh }] }] } } });
    const dir = manifestDir({ "t.yaml": manifest });
    const { findings } = scanJson(["t.yaml"], { cwd: dir });
    expect(findings.map((f) => f.key)).toEqual(["template.spec.initContainers[init].env[TOKEN]"]);
  });
});

describe("coffer scan: annotations", () => {
  it("finds a credential in an ordinary annotation", () => {
    const manifest = stringify({ apiVersion: "v1", kind: "Service", metadata: { name: "svc", annotations: { "example.com/webhook": `https://hooks.example/x?token=${gh}` } } });
    const dir = manifestDir({ "svc.yaml": manifest });
    const { findings } = scanJson(["svc.yaml"], { cwd: dir });
    expect(findings.map((f) => [f.key, f.location.line])).toEqual([["metadata.annotations[example.com/webhook]", lineOf(manifest, "example.com/webhook")]]);
  });

  it("parses last-applied-configuration and scans the object inside it", () => {
    const applied = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "cm", namespace: "shop" }, data: { DB_URL: db.url } };
    const live = { ...applied, metadata: { ...applied.metadata, annotations: { "kubectl.kubernetes.io/last-applied-configuration": JSON.stringify(applied) } }, data: { DB_URL: "moved" } };
    const manifest = stringify(live);
    const dir = manifestDir({ "cm.yaml": manifest });
    const { findings } = scanJson(["cm.yaml"], { cwd: dir });
    expect(findings.map((f) => [f.key, f.location.line])).toEqual([
      ["metadata.annotations[kubectl.kubernetes.io/last-applied-configuration].data.DB_URL", lineOf(manifest, "last-applied-configuration")],
    ]);
  });

  it("reports a Secret's plaintext data inside last-applied-configuration on its own rule", () => {
    const applied = { apiVersion: "v1", kind: "Secret", metadata: { name: "db", namespace: "shop" }, stringData: { password: db.password } };
    const secret = {
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "db", namespace: "shop", annotations: { "kubectl.kubernetes.io/last-applied-configuration": JSON.stringify(applied) } },
      data: { password: "ENC[AES256_GCM,data:AAAA,iv:AAAA,tag:AAAA,type:str]" },
      sops: { mac: "ENC[AES256_GCM,data:AAAA,iv:AAAA,tag:AAAA,type:str]", version: "3.9.0" },
    };
    const dir = manifestDir({ "db.yaml": stringify(secret) });
    const { findings } = scanJson(["db.yaml"], { cwd: dir });
    expect(findings.map((f) => [f.ruleId, f.key])).toEqual([["last-applied-secret-data", "metadata.annotations[kubectl.kubernetes.io/last-applied-configuration].stringData.password"]]);
  });
});

describe("coffer scan: Secret manifests", () => {
  it("flags a Secret committed in plaintext (data and stringData)", () => {
    const manifest = stringify({ apiVersion: "v1", kind: "Secret", metadata: { name: "db" }, data: { password: Buffer.from(db.password).toString("base64") }, stringData: { url: db.url } });
    const dir = manifestDir({ "secret.yaml": manifest });
    const { result, findings } = scanJson(["secret.yaml"], { cwd: dir });
    expect(result.status).toBe(1);
    expect(findings.map((f) => [f.ruleId, f.key, f.location.line])).toEqual([
      ["plaintext-secret-manifest", "data.password", lineOf(manifest, "password")],
      ["plaintext-secret-manifest", "stringData.url", lineOf(manifest, "url:")],
    ]);
  });

  it("never flags a SOPS-encrypted Secret or its ENC values", () => {
    const home = manifestDir({});
    const key = runCoffer(["keygen", "-o", `${home}/key.txt`], { env: { HOME: home } });
    const plain = stringify({ apiVersion: "v1", kind: "Secret", metadata: { name: "db" }, stringData: { url: db.url, aws: aws, token: gh } });
    const dir = manifestDir({ "secret.yaml": plain });
    const encrypted = runCoffer(["encrypt", "--age", key.stdout.trim(), "-i", "secret.yaml"], { cwd: dir, env: { HOME: home } });
    expect(encrypted.status, encrypted.stderr).toBe(0);
    const { result, findings } = scanJson(["secret.yaml"], { cwd: dir });
    expect(findings).toEqual([]);
    expect(result.status).toBe(0);
  });

  it("never flags a SealedSecret's encryptedData", () => {
    const manifest = stringify({ apiVersion: "bitnami.com/v1alpha1", kind: "SealedSecret", metadata: { name: "db" }, spec: { encryptedData: { aws, token: gh, url: db.url } } });
    const dir = manifestDir({ "sealed.yaml": manifest });
    const { result, findings } = scanJson(["sealed.yaml"], { cwd: dir });
    expect(findings).toEqual([]);
    expect(result.status).toBe(0);
  });
});

describe("coffer scan: inputs", () => {
  it("splits kind: List (JSON) into its items, with lines", () => {
    const list = JSON.stringify(
      { apiVersion: "v1", kind: "List", items: [{ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "a" }, data: { K: "v" } }, { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "b" }, data: { AWS_KEY: aws } }] },
      null,
      2,
    );
    const dir = manifestDir({ "list.json": list });
    const { findings } = scanJson(["list.json"], { cwd: dir });
    expect(findings.map((f) => [f.resource.name, f.key, f.location.line])).toEqual([["b", "data.AWS_KEY", lineOf(list, "AWS_KEY")]]);
  });

  it("walks directories for .yaml/.yml/.json, skipping node_modules, .git and other files", () => {
    const cm = (name: string) => stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name }, data: { AWS_KEY: aws } });
    const dir = manifestDir({
      "k8s/a.yaml": cm("a"),
      "k8s/deep/b.yml": cm("b"),
      "k8s/c.json": JSON.stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c" }, data: { AWS_KEY: aws } }),
      "k8s/notes.txt": cm("txt"),
      "k8s/node_modules/x.yaml": cm("nm"),
      "k8s/.git/y.yaml": cm("git"),
      "k8s/chart/templates/cm.yaml": `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\ndata:\n  {{- toYaml .Values.config | nindent 2 }}\n`,
    });
    const { result, findings } = scanJson(["k8s"], { cwd: dir });
    expect(result.status, result.stderr).toBe(1);
    expect(findings.map((f) => `${f.location.uri}:${f.resource.name}`).sort()).toEqual(["k8s/a.yaml:a", "k8s/c.json:c", "k8s/deep/b.yml:b"]);
  });

  it("scans multi-document YAML with one finding per document", () => {
    const docs = ["a", "b", "c"].map((name) => stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name }, data: { TOKEN: gh } }));
    const text = docs.join("---\n");
    const dir = manifestDir({ "all.yaml": text });
    const { findings } = scanJson(["all.yaml"], { cwd: dir });
    const lines = text.split("\n").flatMap((line, i) => (line.includes("TOKEN") ? [i + 1] : []));
    expect(findings.map((f) => [f.resource.name, f.location.line])).toEqual([
      ["a", lines[0]],
      ["b", lines[1]],
      ["c", lines[2]],
    ]);
  });
});

describe("coffer scan: helm release secrets in files", () => {
  it("decodes a committed Helm release and scans its values and rendered manifest", async () => {
    const { encodeHelmRelease } = await import("../../src/scan/helm-release.js");
    const manifest = `---\n# Source: app/templates/cm.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  DB_URL: ${db.url}\n`;
    const release = { name: "app", version: 1, config: { auth: { githubToken: gh } }, manifest };
    const secret = { apiVersion: "v1", kind: "Secret", type: "helm.sh/release.v1", metadata: { name: "sh.helm.release.v1.app.v1" }, data: { release: encodeHelmRelease(release) } };
    const dir = manifestDir({ "release.yaml": stringify(secret) });
    const { findings } = scanJson(["release.yaml"], { cwd: dir });
    expect(findings.map((f) => f.key).sort()).toEqual(["data.release.config.auth.githubToken", "data.release.manifest[ConfigMap/app].data.DB_URL"]);
  });
});

