/**
 * `coffer scan` output and outcomes: SARIF that validates against the standard's required
 * properties, baselines and allow annotations, exit statuses, and redaction in every mode.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv } from "ajv";
import addFormats from "ajv-formats";
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { runCoffer } from "../helpers/cli.js";
import { fakeAwsKeyId, fakeDatabaseUrl, fakeGithubToken, fakePemKey } from "../helpers/fake-secrets.js";
import { SARIF_2_1_0_REQUIRED_SCHEMA } from "../helpers/sarif-schema.js";
import { manifestDir, scanJson } from "./scan-helpers.js";

const aws = fakeAwsKeyId();
const gh = fakeGithubToken();
const db = fakeDatabaseUrl();
const pem = fakePemKey();

const configMap = (name: string, data: Record<string, string>, annotations?: Record<string, string>) =>
  stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace: "shop", ...(annotations === undefined ? {} : { annotations }) }, data });

const deployment = stringify({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "web", namespace: "shop" },
  spec: { template: { spec: { containers: [{ name: "app", env: [{ name: "GITHUB_TOKEN", value: gh }] }] } } },
});

const secretManifest = stringify({ apiVersion: "v1", kind: "Secret", metadata: { name: "db" }, stringData: { password: db.password } });

const everything = [configMap("app", { DB_URL: db.url, AWS_KEY: aws, TLS_KEY: pem }), deployment, secretManifest].join("---\n");

describe("coffer scan -o sarif", () => {
  it("is a valid SARIF 2.1.0 log with one result per finding, file and line", () => {
    const dir = manifestDir({ "app.yaml": everything });
    const { findings } = scanJson(["app.yaml"], { cwd: dir });
    const run = runCoffer(["scan", "-o", "sarif", "app.yaml"], { cwd: dir });
    expect(run.status, run.stderr).toBe(1);
    const log = JSON.parse(run.stdout) as { runs: { results: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[]; partialFingerprints: Record<string, string> }[]; tool: { driver: { rules: { id: string }[] } } }[] };
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats.default(ajv);
    const validate = ajv.compile(SARIF_2_1_0_REQUIRED_SCHEMA);
    expect(validate(log), JSON.stringify(validate.errors)).toBe(true);

    const results = log.runs[0]?.results ?? [];
    expect(results).toHaveLength(findings.length);
    expect(findings.length).toBeGreaterThanOrEqual(5);
    const ruleIds = new Set(log.runs[0]?.tool.driver.rules.map((rule) => rule.id));
    for (const [index, result] of results.entries()) {
      expect(ruleIds.has(result.ruleId)).toBe(true);
      const location = result.locations[0]?.physicalLocation;
      expect(location?.artifactLocation.uri).toBe("app.yaml");
      expect(location?.region.startLine).toBe(findings[index]?.location.line);
      expect(Object.values(result.partialFingerprints)).toEqual([findings[index]?.fingerprint]);
    }
  });

  it("rejects a log that breaks the schema (the schema has teeth)", () => {
    const ajv = new Ajv({ strict: false });
    addFormats.default(ajv);
    const validate = ajv.compile(SARIF_2_1_0_REQUIRED_SCHEMA);
    expect(validate({ version: "2.1.0", runs: [{ tool: { driver: {} } }] })).toBe(false);
    expect(validate({ version: "2.1.0", runs: [{ tool: { driver: { name: "x" } }, results: [{ ruleId: "r", locations: [{ physicalLocation: { artifactLocation: { uri: "a" }, region: { startLine: 0 } } }] }] }] })).toBe(false);
  });
});

describe("coffer scan: redaction", () => {
  const secrets = [aws, gh, db.password, pem, ...pem.split("\n").filter((line) => line.length > 20)];
  for (const format of ["table", "json", "sarif"]) {
    it(`never prints a secret (${format})`, () => {
      const dir = manifestDir({ "app.yaml": everything, "broken.yaml": `apiVersion: v1\nkind: ConfigMap\ndata:\n  TOKEN: ${gh}\n  bad: [unclosed ${aws}\n` });
      const run = runCoffer(["scan", "-o", format, "app.yaml", "broken.yaml"], { cwd: dir });
      expect(run.status).toBe(160);
      const output = run.stdout + run.stderr;
      expect(output).toContain("…");
      for (const secret of secrets) {
        expect(output).not.toContain(secret);
        // Never more than 4 characters of any secret.
        expect(output).not.toContain(secret.slice(0, 5));
      }
    });
  }

  it("shows at most 4 characters of a finding", () => {
    const dir = manifestDir({ "app.yaml": everything });
    const { findings } = scanJson(["app.yaml"], { cwd: dir });
    for (const finding of findings) expect([...finding.value.replace(/…$/, "")].length).toBeLessThanOrEqual(4);
    expect(findings.find((f) => f.key === "data.AWS_KEY")?.value).toBe("AKIA…");
  });
});

describe("coffer scan: fingerprints and baselines", () => {
  it("keeps fingerprints when lines move, and they never contain the value", () => {
    const dir = manifestDir({ "app.yaml": everything });
    const before = scanJson(["app.yaml"], { cwd: dir }).findings;
    writeFileSync(join(dir, "app.yaml"), `# a comment\n# another\n${everything}`);
    const after = scanJson(["app.yaml"], { cwd: dir }).findings;
    expect(after.map((f) => f.fingerprint)).toEqual(before.map((f) => f.fingerprint));
    expect(after.map((f) => f.location.line)).toEqual(before.map((f) => (f.location.line ?? 0) + 2));
    expect(new Set(before.map((f) => f.fingerprint)).size).toBe(before.length);
  });

  it("round-trips: --write-baseline accepts today's findings, --baseline fails only on new ones", () => {
    const dir = manifestDir({ "app.yaml": everything });
    const written = runCoffer(["scan", "app.yaml", "--write-baseline", "baseline.json"], { cwd: dir });
    expect(written.status, written.stderr).toBe(0);
    const baselineText = readFileSync(join(dir, "baseline.json"), "utf8");
    for (const secret of [aws, gh, db.password]) expect(baselineText).not.toContain(secret);

    const again = scanJson(["app.yaml", "--baseline", "baseline.json"], { cwd: dir });
    expect(again.result.status, again.result.stderr).toBe(0);
    expect(again.findings).toEqual([]);

    const newToken = fakeGithubToken();
    writeFileSync(join(dir, "app.yaml"), `${everything}---\n${configMap("new", { TOKEN: newToken })}`);
    const next = scanJson(["app.yaml", "--baseline", "baseline.json"], { cwd: dir });
    expect(next.result.status).toBe(1);
    expect(next.findings.map((f) => [f.resource.name, f.key])).toEqual([["new", "data.TOKEN"]]);
  });

  it("does not accept a changed value under the same key", () => {
    const dir = manifestDir({ "cm.yaml": configMap("app", { AWS_KEY: aws }) });
    expect(runCoffer(["scan", "cm.yaml", "--write-baseline", "b.json"], { cwd: dir }).status).toBe(0);
    writeFileSync(join(dir, "cm.yaml"), configMap("app", { AWS_KEY: fakeAwsKeyId() }));
    expect(runCoffer(["scan", "cm.yaml", "--baseline", "b.json"], { cwd: dir }).status).toBe(1);
  });

  it("refuses a baseline that is not one (161) or is missing (2)", () => {
    const dir = manifestDir({ "cm.yaml": configMap("app", { AWS_KEY: aws }), "bad.json": '{"version": 7}', "text.json": "nope" });
    expect(runCoffer(["scan", "cm.yaml", "--baseline", "bad.json"], { cwd: dir }).status).toBe(161);
    expect(runCoffer(["scan", "cm.yaml", "--baseline", "text.json"], { cwd: dir }).status).toBe(161);
    expect(runCoffer(["scan", "cm.yaml", "--baseline", "missing.json"], { cwd: dir }).status).toBe(2);
  });
});

describe("coffer scan: allow annotation", () => {
  it("suppresses the listed keys of that object only (by name or full key)", () => {
    const allowed = configMap("allowed", { DB_URL: db.url, AWS_KEY: aws, TOKEN: gh }, { "coffer.dev/scan-allow": "DB_URL, data.AWS_KEY" });
    const other = configMap("other", { DB_URL: db.url });
    const dir = manifestDir({ "cm.yaml": `${allowed}---\n${other}` });
    const { result, findings } = scanJson(["cm.yaml"], { cwd: dir });
    expect(result.status).toBe(1);
    expect(findings.map((f) => [f.resource.name, f.key])).toEqual([
      ["allowed", "data.TOKEN"],
      ["other", "data.DB_URL"],
    ]);
  });

  it("exits 0 when every finding is allowed", () => {
    const dir = manifestDir({ "cm.yaml": configMap("a", { AWS_KEY: aws }, { "coffer.dev/scan-allow": "AWS_KEY" }) });
    const { result, findings } = scanJson(["cm.yaml"], { cwd: dir });
    expect(findings).toEqual([]);
    expect(result.status).toBe(0);
  });
});

describe("coffer scan: exit statuses", () => {
  it("1 with findings, 0 without", () => {
    const dir = manifestDir({ "bad.yaml": configMap("a", { AWS_KEY: aws }), "good.yaml": configMap("b", { LEVEL: "info" }) });
    expect(runCoffer(["scan", "bad.yaml"], { cwd: dir }).status).toBe(1);
    expect(runCoffer(["scan", "good.yaml"], { cwd: dir }).status).toBe(0);
  });

  it("160 when an input cannot be parsed, still reporting the rest", () => {
    const dir = manifestDir({ "bad.yaml": configMap("a", { AWS_KEY: aws }), "broken.yaml": "a: [1\n" });
    const { result, findings } = scanJson(["bad.yaml", "broken.yaml"], { cwd: dir });
    expect(result.status).toBe(160);
    expect(findings.map((f) => f.key)).toEqual(["data.AWS_KEY"]);
    expect(result.stderr).toMatch(/broken\.yaml:\d+: /);
  });

  it("2 for a missing path, 8 for usage errors", () => {
    const dir = manifestDir({ "cm.yaml": configMap("a", { A: "b" }) });
    expect(runCoffer(["scan", "missing.yaml"], { cwd: dir }).status).toBe(2);
    expect(runCoffer(["scan"], { cwd: dir }).status).toBe(8);
    expect(runCoffer(["scan", "--cluster", "cm.yaml"], { cwd: dir }).status).toBe(8);
    expect(runCoffer(["scan", "-n", "x", "cm.yaml"], { cwd: dir }).status).toBe(8);
    expect(runCoffer(["scan", "--fix", "-"], { cwd: dir }).status).toBe(8);
    expect(runCoffer(["scan", "--dry-run", "cm.yaml"], { cwd: dir }).status).toBe(8);
    expect(runCoffer(["scan", "-o", "xml", "cm.yaml"], { cwd: dir }).status).toBe(8);
  });

  it("has --help with examples", () => {
    const help = runCoffer(["scan", "--help"]);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain("Examples:");
    expect(help.stdout).toContain("coffer scan --cluster");
  });
});
