/**
 * `coffer audit etcd` with KMS v1: kube-apiserver 1.20.2 envelope-encrypts Secrets through a
 * plugin of our own (test/fakes/kms-plugin.ts, real AES-GCM), the bytes in etcd are decoded by
 * hand to prove the classification, then a switch to aescbc makes them stale and --rewrite
 * moves them over.
 */
import { createDecipheriv, randomBytes } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startKmsPlugin, type KmsPlugin } from "../fakes/kms-plugin.js";
import { auditEtcdJson, configFile, createObjects, encryptionConfig, findingsByKey, readSecretValue, storedWith } from "./audit-etcd-helpers.js";
import { startCluster, type Cluster } from "./harness.js";
import { describeCluster } from "./requirements.js";
import { etcdGet } from "./tools.js";

describeCluster("coffer audit etcd with a KMS v1 plugin (kube-apiserver 1.20.2)", () => {
  const aescbc = { name: "cbc1", secret: randomBytes(32).toString("base64") };
  let plugin: KmsPlugin;
  let cluster: Cluster;
  let kmsConfig: string;

  beforeAll(async () => {
    plugin = await startKmsPlugin();
    kmsConfig = encryptionConfig([{ resources: ["secrets"], providers: [{ kms: { name: "testkms", endpoint: plugin.endpoint } }, "identity"] }]);
    cluster = await startCluster({ encryptionConfig: kmsConfig });
    await createObjects(cluster, [
      { kind: "Secret", name: "kms-a", value: "kms-value-a" },
      { kind: "Secret", name: "kms-b", value: "kms-value-b" },
    ]);
  });
  afterAll(async () => {
    await cluster?.stop();
    await plugin?.close();
  });

  it("stores Secrets as k8s:enc:kms:v1:<plugin>: + DEK wrapped by the plugin + AES-CBC data", async () => {
    const raw = await etcdGet(cluster, "/registry/secrets/default/kms-a");
    const prefix = "k8s:enc:kms:v1:testkms:";
    expect(raw?.subarray(0, prefix.length).toString("latin1")).toBe(prefix);
    const body = raw!.subarray(prefix.length);
    const dekLength = body.readUInt16BE(0);
    const dek = plugin.decrypt(body.subarray(2, 2 + dekLength));
    expect(dek.length).toBe(32);
    const data = body.subarray(2 + dekLength);
    const decipher = createDecipheriv("aes-256-cbc", dek, data.subarray(0, 16));
    const plaintext = Buffer.concat([decipher.update(data.subarray(16)), decipher.final()]);
    expect(plaintext.subarray(0, 4).toString("latin1")).toBe("k8s\x00");
    expect(plaintext.includes("kms-value-a")).toBe(true);
    expect(plugin.calls.encrypt).toBeGreaterThan(0);
  });

  it("classifies them under the plugin's name and finds nothing with the config", async () => {
    const bare = await auditEtcdJson(cluster, []);
    expect(bare.status).toBe(0);
    expect(storedWith(bare.report, "secrets")).toEqual({ "kms-v1/testkms": 2 });

    const withConfig = await auditEtcdJson(cluster, ["--config", await configFile(cluster, "kms.yaml", kmsConfig)]);
    expect(withConfig.status).toBe(0);
    expect(withConfig.report.findings).toEqual([]);
    expect(withConfig.report.resources[0]?.configuredKeys).toEqual(["kms-v1/testkms", "identity"]);
  });

  it("reports them stale once aescbc writes, and --rewrite moves them from the plugin to aescbc", async () => {
    const switched = encryptionConfig([
      { resources: ["secrets"], providers: [{ aescbc: [aescbc] }, { kms: { name: "testkms", endpoint: plugin.endpoint } }, "identity"] },
    ]);
    await cluster.restartApiserver(switched);
    const config = await configFile(cluster, "switched.yaml", switched);

    const stale = await auditEtcdJson(cluster, ["--config", config]);
    expect(stale.status).toBe(1);
    expect(findingsByKey(stale.report)).toEqual([
      ["/registry/secrets/default/kms-a", "etcd-stale-key"],
      ["/registry/secrets/default/kms-b", "etcd-stale-key"],
    ]);
    // Stale is medium: below --fail-on high the audit passes.
    expect((await auditEtcdJson(cluster, ["--config", config, "--fail-on", "high"])).status).toBe(0);

    const rewritten = await auditEtcdJson(cluster, ["--config", config, "--rewrite", "--kubeconfig", cluster.kubeconfigPath]);
    expect(rewritten.stderr).toBe("");
    expect(rewritten.status).toBe(0);
    expect(rewritten.report.rewrite).toMatchObject({ rewritten: 2, failed: 0, skipped: 0 });
    expect(rewritten.report.findings).toEqual([]);
    expect(storedWith(rewritten.report, "secrets")).toEqual({ "aescbc/cbc1": 2 });
    // The apiserver read the old values back through the plugin (its watch cache does so on start).
    expect(plugin.calls.decrypt).toBeGreaterThan(0);

    const raw = await etcdGet(cluster, "/registry/secrets/default/kms-b");
    expect(raw?.subarray(0, 23).toString("latin1")).toBe("k8s:enc:aescbc:v1:cbc1:");
    expect(await readSecretValue(cluster, "kms-b")).toBe("kms-value-b");
  });
});
