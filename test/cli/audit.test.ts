/**
 * `coffer audit encryption-config` and `coffer audit apiserver` as a user runs them: exit
 * statuses, the JSON and SARIF shapes, key material never printed, the manifest's hostPath
 * mapping, and "not applicable" on managed clusters.
 */
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCoffer } from "../helpers/cli.js";
import { apiserverManifestYaml, encryptionConfigYaml } from "../helpers/kube-audit.js";

const KEY = Buffer.from(Array.from({ length: 32 }, (_, i) => 200 - i)).toString("base64");

function config(provider: string): string {
  return encryptionConfigYaml({ resource: "secrets", provider, key: KEY });
}

function workdir(): string {
  return mkdtempSync(join(tmpdir(), "coffer-audit-"));
}

function writeConfig(dir: string, text: string, mode = 0o600): string {
  const file = join(dir, "enc.yaml");
  writeFileSync(file, text);
  chmodSync(file, mode);
  return file;
}

describe("coffer audit encryption-config", () => {
  it("a valid secretbox config without findings at or above high exits 0; --fail-on low makes it 1", () => {
    const dir = workdir();
    writeConfig(dir, config("secretbox"));
    const ok = runCoffer(["audit", "encryption-config", "enc.yaml", "-o", "json"], { cwd: dir });
    expect(ok.status, ok.stderr).toBe(0);
    const report = JSON.parse(ok.stdout);
    expect(report).toMatchObject({ file: "enc.yaml", valid: true, errors: [], secretsEncrypted: true, secretsWriter: "secretbox:key1" });
    for (const finding of report.findings) expect(Object.keys(finding)).toEqual(expect.arrayContaining(["id", "severity", "path", "message", "remediation"]));
    expect(report.findings.map((f: { id: string }) => f.id).sort()).toEqual(["identity-read-fallback", "static-key"]);
    expect(runCoffer(["audit", "encryption-config", "enc.yaml", "--fail-on", "low"], { cwd: dir }).status).toBe(1);
  });

  it("identity first for Secrets is critical: exit 1 with the default threshold", () => {
    const dir = workdir();
    writeConfig(dir, config("secretbox").replace("      - identity: {}\n", "").replace("    providers:\n", "    providers:\n      - identity: {}\n"));
    const result = runCoffer(["audit", "encryption-config", "enc.yaml", "-o", "json"], { cwd: dir });
    expect(result.status).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report.valid).toBe(true);
    expect(report.secretsEncrypted).toBe(false);
    expect(report.findings[0]).toMatchObject({ id: "secrets-identity-first", severity: "critical", path: "resources[0].providers[0].identity", line: 6 });
  });

  it("an invalid config exits 1 even with --fail-on critical and no critical finding, naming path and line", () => {
    const dir = workdir();
    writeConfig(dir, config("secretbox").replace(KEY, Buffer.alloc(16, 7).toString("base64")));
    const result = runCoffer(["audit", "encryption-config", "enc.yaml", "-o", "json", "--fail-on", "critical"], { cwd: dir });
    expect(result.status).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({
      valid: false,
      secretsEncrypted: false,
      errors: [{ path: "resources[0].providers[0].secretbox.keys[0].secret", line: 9 }],
    });
  });

  it("checks the file's mode: 0644 is world-readable (high)", () => {
    const dir = workdir();
    writeConfig(dir, config("secretbox"), 0o644);
    const result = runCoffer(["audit", "encryption-config", "enc.yaml", "-o", "json"], { cwd: dir });
    expect(result.status).toBe(1);
    expect(JSON.parse(result.stdout).findings.map((f: { id: string }) => f.id)).toContain("config-file-world-readable");
  });

  it("never prints key material, in any output format, valid or not", () => {
    const dir = workdir();
    const bad = join(dir, "bad.yaml");
    writeFileSync(bad, config("aescbc").replace(KEY, `${KEY.slice(0, 40)}`));
    writeConfig(dir, config("aescbc"));
    for (const file of ["enc.yaml", "bad.yaml"]) {
      for (const format of ["table", "json", "sarif"]) {
        const result = runCoffer(["audit", "encryption-config", file, "-o", format], { cwd: dir });
        expect(result.stdout.length).toBeGreaterThan(0);
        expect(result.stdout + result.stderr).not.toContain(KEY.slice(0, 40));
      }
    }
  });

  it("-o sarif: a SARIF 2.1.0 log whose results point at the file's lines", () => {
    const dir = workdir();
    writeConfig(dir, config("aescbc"));
    const log = JSON.parse(runCoffer(["audit", "encryption-config", "enc.yaml", "-o", "sarif"], { cwd: dir }).stdout);
    expect(log.version).toBe("2.1.0");
    const result = log.runs[0].results.find((r: { ruleId: string }) => r.ruleId === "aescbc-writes");
    expect(result.level).toBe("warning");
    expect(result.locations[0].physicalLocation).toMatchObject({ artifactLocation: { uri: "enc.yaml" }, region: { startLine: 6 } });
  });

  it("--kube-version judges as that release: a typo kube-apiserver 1.30 ignores is an error for 1.31+", () => {
    const dir = workdir();
    writeConfig(dir, `${config("secretbox")}extra: field\n`);
    expect(runCoffer(["audit", "encryption-config", "enc.yaml", "--kube-version", "1.30"], { cwd: dir }).status).toBe(0);
    expect(runCoffer(["audit", "encryption-config", "enc.yaml"], { cwd: dir }).status).toBe(1);
    expect(runCoffer(["audit", "encryption-config", "enc.yaml", "--kube-version", "two"], { cwd: dir }).status).toBe(8);
  });

  it("a missing file exits 2; --help documents the exit statuses with examples", () => {
    expect(runCoffer(["audit", "encryption-config", "/nonexistent/enc.yaml"]).status).toBe(2);
    const help = runCoffer(["audit", "encryption-config", "--help"]);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain("Exit statuses:");
    expect(help.stdout).toContain("Examples:");
  });
});

function apiserverManifest(configPath: string): string {
  return apiserverManifestYaml({ command: ["kube-apiserver", `--encryption-provider-config=${configPath}`] });
}

/** A fake node: host root with the config at /etc/kubernetes/enc/enc.yaml, and the manifest. */
function node(configText: string | undefined, configPath = "/etc/kubernetes/enc/enc.yaml"): string {
  const dir = workdir();
  mkdirSync(join(dir, "host", "etc", "kubernetes", "enc"), { recursive: true });
  if (configText !== undefined) writeConfig(join(dir, "host", "etc", "kubernetes", "enc"), configText);
  writeFileSync(join(dir, "kube-apiserver.yaml"), apiserverManifest(configPath));
  return dir;
}

describe("coffer audit apiserver", () => {
  const args = ["audit", "apiserver", "--manifest", "kube-apiserver.yaml", "--host-root", "host", "-o", "json"];

  it("follows the flag through the hostPath mount to the file and audits it (release from the image tag)", () => {
    const dir = node(config("secretbox"));
    const result = runCoffer(args, { cwd: dir });
    expect(result.status, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({
      applicable: true,
      kubeVersion: "1.30",
      valid: true,
      secretsEncrypted: true,
      encryptionProviderConfig: { flag: "/etc/kubernetes/enc/enc.yaml", hostPath: "/etc/kubernetes/enc/enc.yaml", exists: true },
    });
    expect(report.config.file).toBe("host/etc/kubernetes/enc/enc.yaml");
  });

  it("a flag outside every mount, or a file missing on the host, exits 1 with its finding", () => {
    const unmounted = runCoffer(args, { cwd: node(config("secretbox"), "/etc/kubernetes/encryption.yaml") });
    expect(unmounted.status).toBe(1);
    expect(JSON.parse(unmounted.stdout).findings.map((f: { id: string }) => f.id)).toEqual(["apiserver-config-not-mounted"]);
    const missing = runCoffer(args, { cwd: node(undefined) });
    expect(missing.status).toBe(1);
    expect(JSON.parse(missing.stdout).findings.map((f: { id: string }) => f.id)).toEqual(["apiserver-config-missing"]);
  });

  it("an invalid config behind the manifest fails the audit", () => {
    const result = runCoffer(args, { cwd: node(config("secretbox").replace("kind: EncryptionConfiguration", "kind: EncryptionConfig")) });
    expect(result.status).toBe(1);
    expect(JSON.parse(result.stdout).valid).toBe(false);
  });

  it("no manifest on a managed cluster: not applicable (159) with the provider's setting", () => {
    const dir = workdir();
    const kubeconfig = join(dir, "kubeconfig");
    writeFileSync(
      kubeconfig,
      JSON.stringify({
        "current-context": "c",
        contexts: [{ name: "c", context: { cluster: "k", user: "u" } }],
        clusters: [{ name: "k", cluster: { server: "https://ABC.gr7.eu-west-1.eks.amazonaws.com" } }],
        users: [{ name: "u", user: { token: "t" } }],
      }),
    );
    const result = runCoffer(["audit", "apiserver", "--manifest", "none.yaml", "-o", "json"], { cwd: dir, env: { KUBECONFIG: kubeconfig } });
    expect(result.status).toBe(159);
    expect(JSON.parse(result.stdout)).toMatchObject({ applicable: false, provider: "eks" });
    expect(runCoffer(["audit", "apiserver", "--provider", "aks"], { cwd: dir }).status).toBe(159);
  });

  it("no manifest and nothing pointing at a managed provider: a plain read error (2), not a pass", () => {
    const result = runCoffer(["audit", "apiserver", "--manifest", "none.yaml"], { cwd: workdir() });
    expect(result.status).toBe(2);
    expect(result.stdout).toBe("");
  });
});
