/**
 * `coffer audit etcd` against a real kube-apiserver 1.20.2 and etcd: Secrets are written while
 * identity, aescbc, aesgcm and secretbox take turns as the writing provider; the bytes in etcd
 * are decrypted by hand with the test keys to prove each classification; the audit then tells
 * plaintext, stale and unknown keys apart, and --rewrite (through the API) leaves none.
 */
import { createDecipheriv, randomBytes } from "node:crypto";
import { xsalsa20poly1305 } from "@noble/ciphers/salsa.js";
import { afterAll, beforeAll, expect, it } from "vitest";
import { auditEtcd, auditEtcdJson, configFile, createObjects, encryptionConfig, findingsByKey, readSecretValue, storedWith, type Provider } from "./audit-etcd-helpers.js";
import { startCluster, type Cluster } from "./harness.js";
import { describeCluster } from "./requirements.js";
import { ETCDCTL } from "./paths.js";
import { etcdGet, run } from "./tools.js";

const key = (name: string) => ({ name, secret: randomBytes(32).toString("base64") });
const cbc = key("cbc1");
const gcm = key("gcm1");
const box = key("box1");
const keyBytes = (k: { secret: string }) => Buffer.from(k.secret, "base64");

const secrets = (...providers: Provider[]) => ({ resources: ["secrets"], providers });
const C1 = encryptionConfig([secrets("identity", { aescbc: [cbc] }, { aesgcm: [gcm] }, { secretbox: [box] })]);
const C2 = encryptionConfig([secrets({ aescbc: [cbc] }, { aesgcm: [gcm] }, { secretbox: [box] }, "identity")]);
const C3 = encryptionConfig([secrets({ aesgcm: [gcm] }, { aescbc: [cbc] }, { secretbox: [box] }, "identity")]);
const configmaps = { resources: ["configmaps"], providers: [{ aescbc: [cbc] }, "identity"] as Provider[] };
const C4 = encryptionConfig([secrets({ secretbox: [box] }, { aesgcm: [gcm] }, { aescbc: [cbc] }, "identity"), configmaps]);
/** C4 with aescbc gone from the secrets entry: cbc-1 is under a key this file no longer holds. */
const C5 = encryptionConfig([secrets({ secretbox: [box] }, { aesgcm: [gcm] }, "identity"), configmaps]);

const KEYS = {
  plain: "/registry/secrets/default/plain-1",
  cbc: "/registry/secrets/default/cbc-1",
  gcm: "/registry/secrets/default/gcm-1",
  box: "/registry/secrets/default/box-1",
  cm: "/registry/configmaps/default/cm-1",
};
const VALUES = { "plain-1": "value-plain", "cbc-1": "value-cbc", "gcm-1": "value-gcm", "box-1": "value-box" };

describeCluster("coffer audit etcd (aescbc, aesgcm, secretbox, identity; kube-apiserver 1.20.2)", () => {
  let cluster: Cluster;

  beforeAll(async () => {
    cluster = await startCluster({ encryptionConfig: C1 });
    await createObjects(cluster, [
      { kind: "Secret", name: "plain-1", value: VALUES["plain-1"] },
      { kind: "ConfigMap", name: "cm-1", value: "not-secret" },
    ]);
    await cluster.restartApiserver(C2);
    await createObjects(cluster, [{ kind: "Secret", name: "cbc-1", value: VALUES["cbc-1"] }]);
    await cluster.restartApiserver(C3);
    await createObjects(cluster, [{ kind: "Secret", name: "gcm-1", value: VALUES["gcm-1"] }]);
    await cluster.restartApiserver(C4);
    await createObjects(cluster, [{ kind: "Secret", name: "box-1", value: VALUES["box-1"] }]);
  }, 120_000);
  afterAll(async () => {
    await cluster?.stop();
  });

  it("the bytes in etcd are what the classification says: decrypted by hand with the test keys", async () => {
    const raw = async (etcdKey: string) => (await etcdGet(cluster, etcdKey))!;
    const plain = await raw(KEYS.plain);
    expect(plain.subarray(0, 4).toString("latin1")).toBe("k8s\x00");

    const cbcRaw = await raw(KEYS.cbc);
    const cbcPrefix = "k8s:enc:aescbc:v1:cbc1:";
    expect(cbcRaw.subarray(0, cbcPrefix.length).toString("latin1")).toBe(cbcPrefix);
    const cbcBody = cbcRaw.subarray(cbcPrefix.length);
    const cbcDecipher = createDecipheriv("aes-256-cbc", keyBytes(cbc), cbcBody.subarray(0, 16));
    const cbcPlain = Buffer.concat([cbcDecipher.update(cbcBody.subarray(16)), cbcDecipher.final()]);
    expect(cbcPlain.subarray(0, 4).toString("latin1")).toBe("k8s\x00");
    expect(cbcPlain.includes(VALUES["cbc-1"])).toBe(true);

    const gcmRaw = await raw(KEYS.gcm);
    const gcmPrefix = "k8s:enc:aesgcm:v1:gcm1:";
    expect(gcmRaw.subarray(0, gcmPrefix.length).toString("latin1")).toBe(gcmPrefix);
    const gcmBody = gcmRaw.subarray(gcmPrefix.length);
    const gcmDecipher = createDecipheriv("aes-256-gcm", keyBytes(gcm), gcmBody.subarray(0, 12));
    gcmDecipher.setAAD(Buffer.from(KEYS.gcm)); // the etcd key is the additional data
    gcmDecipher.setAuthTag(gcmBody.subarray(gcmBody.length - 16));
    const gcmPlain = Buffer.concat([gcmDecipher.update(gcmBody.subarray(12, gcmBody.length - 16)), gcmDecipher.final()]);
    expect(gcmPlain.subarray(0, 4).toString("latin1")).toBe("k8s\x00");

    const boxRaw = await raw(KEYS.box);
    const boxPrefix = "k8s:enc:secretbox:v1:box1:";
    expect(boxRaw.subarray(0, boxPrefix.length).toString("latin1")).toBe(boxPrefix);
    const boxBody = boxRaw.subarray(boxPrefix.length);
    const boxPlain = Buffer.from(xsalsa20poly1305(keyBytes(box), boxBody.subarray(0, 24)).decrypt(boxBody.subarray(24)));
    expect(boxPlain.subarray(0, 4).toString("latin1")).toBe("k8s\x00");
    expect(boxPlain.includes(VALUES["box-1"])).toBe(true);
  });

  it("without --config: classifies every Secret by provider and key, and flags only the plaintext one", async () => {
    const { status, report } = await auditEtcdJson(cluster, []);
    expect(status).toBe(1);
    expect(report.objects).toBe(4);
    expect(storedWith(report, "secrets")).toEqual({ plaintext: 1, "aescbc/cbc1": 1, "aesgcm/gcm1": 1, "secretbox/box1": 1 });
    expect(findingsByKey(report)).toEqual([[KEYS.plain, "etcd-plaintext-secret"]]);
    expect(report.findings[0]?.severity).toBe("critical");
  });

  it("with --config: plaintext Secret (critical), plaintext ConfigMap (high), two stale keys (medium)", async () => {
    const config = await configFile(cluster, "c4.yaml", C4);
    const { status, report } = await auditEtcdJson(cluster, ["--config", config]);
    expect(status).toBe(1);
    expect(findingsByKey(report)).toEqual([
      [KEYS.cm, "etcd-plaintext-object"],
      [KEYS.cbc, "etcd-stale-key"],
      [KEYS.gcm, "etcd-stale-key"],
      [KEYS.plain, "etcd-plaintext-secret"],
    ]);
    expect(report.summary).toEqual({ low: 0, medium: 2, high: 1, critical: 1 });
    expect(report.resources.find((r) => r.resource === "secrets")?.configuredKeys).toEqual(["secretbox/box1", "aesgcm/gcm1", "aescbc/cbc1", "identity"]);

    const onlyConfigmaps = await auditEtcdJson(cluster, ["--config", config, "--resources", "configmaps"]);
    expect(findingsByKey(onlyConfigmaps.report)).toEqual([[KEYS.cm, "etcd-plaintext-object"]]);
    // high is below critical: with --fail-on critical this one passes.
    expect((await auditEtcd(cluster, ["--config", config, "--resources", "configmaps", "--fail-on", "critical"])).status).toBe(0);
  });

  it("table and SARIF name objects by etcd key and never carry a value", async () => {
    const config = await configFile(cluster, "c4.yaml", C4);
    const table = await auditEtcd(cluster, ["--config", config]);
    expect(table.status).toBe(1);
    expect(table.stdout).toContain(`CRITICAL etcd-plaintext-secret`);
    expect(table.stdout).toContain(KEYS.plain);
    const sarif = await auditEtcd(cluster, ["--config", config, "-o", "sarif"]);
    expect(sarif.status).toBe(1);
    const log = JSON.parse(sarif.stdout) as { version: string; runs: Array<{ results: Array<{ ruleId: string; level: string; locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }> }> };
    expect(log.version).toBe("2.1.0");
    const results = log.runs[0]!.results.map((r) => [r.ruleId, r.level, r.locations[0]!.physicalLocation.artifactLocation.uri]).sort();
    expect(results).toEqual([
      ["etcd-plaintext-object", "error", `etcd://${KEYS.cm}`],
      ["etcd-plaintext-secret", "error", `etcd://${KEYS.plain}`],
      ["etcd-stale-key", "warning", `etcd://${KEYS.cbc}`],
      ["etcd-stale-key", "warning", `etcd://${KEYS.gcm}`],
    ]);
    for (const output of [table.stdout, sarif.stdout, table.stderr, sarif.stderr]) {
      for (const value of [...Object.values(VALUES), "not-secret"]) expect(output).not.toContain(value);
    }
  });

  it("a key removed from the config (no restart yet) shows its objects as under an unknown key", async () => {
    const { status, report } = await auditEtcdJson(cluster, ["--config", await configFile(cluster, "c5.yaml", C5)]);
    expect(status).toBe(1);
    expect(findingsByKey(report)).toEqual([
      [KEYS.cm, "etcd-plaintext-object"],
      [KEYS.cbc, "etcd-unknown-key"],
      [KEYS.gcm, "etcd-stale-key"],
      [KEYS.plain, "etcd-plaintext-secret"],
    ]);
    expect(report.findings.find((f) => f.etcdKey === KEYS.cbc)?.severity).toBe("critical");
  });

  it("--rewrite re-encrypts all four through the API (rescuing the removed key before a restart); the next audit is clean", async () => {
    const config = await configFile(cluster, "c5.yaml", C5);
    const { status, report, stderr } = await auditEtcdJson(cluster, ["--config", config, "--rewrite", "--kubeconfig", cluster.kubeconfigPath]);
    expect(stderr).toBe("");
    expect(status).toBe(0);
    expect(report.rewrite).toEqual({ rewritten: 4, unchanged: 0, gone: 0, skipped: 0, failed: 0, problems: [] });
    expect(report.before?.findings).toHaveLength(4);
    expect(report.findings).toEqual([]);
    expect(storedWith(report, "secrets")).toEqual({ "secretbox/box1": 4 });
    expect(storedWith(report, "configmaps")).toEqual({ "aescbc/cbc1": 1 });

    const again = await auditEtcdJson(cluster, ["--config", config]);
    expect(again.status).toBe(0);
    expect(again.report.findings).toEqual([]);
    expect((await etcdGet(cluster, KEYS.cbc))?.subarray(0, 26).toString("latin1")).toBe("k8s:enc:secretbox:v1:box1:");
    expect((await etcdGet(cluster, KEYS.cm))?.subarray(0, 23).toString("latin1")).toBe("k8s:enc:aescbc:v1:cbc1:");

    // Now the restart without aescbc for secrets is safe: every Secret still reads back.
    await cluster.restartApiserver(C5);
    for (const [name, value] of Object.entries(VALUES)) expect(await readSecretValue(cluster, name)).toBe(value);
  });

  it("--rewrite with nothing to do changes nothing", async () => {
    const config = await configFile(cluster, "c5.yaml", C5);
    const before = await etcdGet(cluster, KEYS.box);
    const { status, report } = await auditEtcdJson(cluster, ["--config", config, "--rewrite", "--kubeconfig", cluster.kubeconfigPath]);
    expect(status).toBe(0);
    expect(report.rewrite).toMatchObject({ rewritten: 0, failed: 0 });
    expect((await etcdGet(cluster, KEYS.box))?.equals(before!)).toBe(true);
  });

  it("--rewrite reports what it could not fix: a group the API server does not serve, a write the running config leaves plaintext", async () => {
    // A custom resource's object with no CRD behind it, put straight into etcd in plaintext.
    const widget = "/registry/example.com/widgets/default/w1";
    const put = await run(ETCDCTL, ["--endpoints", cluster.etcdEndpoint, "put", widget], { input: Buffer.from("k8s\x00\x0a\x0bfake", "latin1"), env: { ...process.env, ETCDCTL_API: "3" } });
    expect(put.code).toBe(0);
    // The running apiserver writes Secrets in plaintext (identity first), unlike the file audited.
    await cluster.restartApiserver(encryptionConfig([secrets("identity", { secretbox: [box] }, { aesgcm: [gcm] })]));
    await createObjects(cluster, [{ kind: "Secret", name: "plain-2", value: "value-plain-2" }]);
    const planned = encryptionConfig([secrets({ secretbox: [box] }, { aesgcm: [gcm] }, "identity"), { resources: ["widgets.example.com"], providers: [{ aescbc: [cbc] }] }]);
    const config = await configFile(cluster, "planned.yaml", planned);

    const { status, report } = await auditEtcdJson(cluster, ["--config", config, "--rewrite", "--kubeconfig", cluster.kubeconfigPath]);
    expect(status).toBe(1);
    expect(report.rewrite).toMatchObject({ rewritten: 0, unchanged: 1, skipped: 1, failed: 0 });
    expect(report.rewrite?.problems.map((p) => [p.etcdKey, p.status])).toEqual([[widget, "skipped"]]);
    expect(findingsByKey(report)).toEqual([
      [widget, "etcd-plaintext-object"],
      ["/registry/secrets/default/plain-2", "etcd-plaintext-secret"],
    ]);
  });
});
