/**
 * The config audit's verdicts against the real kube-apiserver 1.20.2: every corpus case marked
 * `real120` is handed to the binary (a restart with that file). Files Coffer calls invalid for
 * 1.20 must stop it from starting; files it calls valid must let it reach /readyz. Only rules
 * 1.20 has are exercised here (no wildcards, no KMS v2, no strict decoding).
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, expect, it } from "vitest";
import { auditEncryptionConfigText } from "../../src/audit/encryption-audit.js";
import { VECTOR_DIR, vectorCases } from "../unit/audit/vector-cases.js";
import { startCluster, type Cluster } from "./harness.js";
import { describeCluster } from "./requirements.js";
import { etcdGet, kubectl } from "./tools.js";
import { encryptionConfigYaml } from "../helpers/kube-audit.js";

const KEY = Buffer.from(Array.from({ length: 32 }, (_, i) => i)).toString("base64");

/** secretbox then identity (so data written under an earlier config stays readable) for `resource`. */
function wildcardConfig(resource: string): string {
  return encryptionConfigYaml({ resource, provider: "secretbox", keyName: "k1", key: KEY });
}

const REAL_CASES = vectorCases.filter((entry) => entry.real120 !== undefined);

describeCluster("encryption-config verdicts match kube-apiserver 1.20.2", () => {
  let cluster: Cluster;
  beforeAll(async () => {
    cluster = await startCluster();
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  it("has both kinds of case to try", () => {
    expect(REAL_CASES.filter((entry) => entry.real120 === "valid").length).toBeGreaterThanOrEqual(5);
    expect(REAL_CASES.filter((entry) => entry.real120 === "invalid").length).toBeGreaterThanOrEqual(10);
  });

  for (const entry of REAL_CASES) {
    it(`${entry.file}: the apiserver ${entry.real120 === "valid" ? "starts" : "refuses to start"}, as coffer says for 1.20`, async () => {
      const text = readFileSync(new URL(entry.file, VECTOR_DIR), "utf8");
      const { report } = auditEncryptionConfigText(text, { file: entry.file, kubeMinor: 20 });
      expect(report.valid).toBe(entry.real120 === "valid");
      const started = await cluster.restartApiserver(text).then(
        () => true,
        () => false,
      );
      expect(started).toBe(entry.real120 === "valid");
    }, 60_000);
  }

  // Before 1.27 wildcards were not part of the config, yet a group's "*" entry still reached the
  // whole group through the storage factory. What each form really does to a new Secret on 1.20
  // (after the corpus cases; this order keeps every restart able to read what the previous wrote):
  for (const [resource, encrypted] of [["*.*", false], ["secrets.*", false], ["secrets", true], ["*.", true], ["*", true]] as const) {
    it(`'${resource}' ${encrypted ? "encrypts" : "does not encrypt"} new Secrets on 1.20, as coffer says`, async () => {
      const text = wildcardConfig(resource);
      const { report } = auditEncryptionConfigText(text, { file: "enc.yaml", kubeMinor: 20 });
      expect(report.valid).toBe(true);
      expect(report.secretsEncrypted).toBe(encrypted);
      await cluster.restartApiserver(text);
      const name = `wildcard-${resource.replace(/[^a-z]/g, "x")}`;
      await kubectl(cluster, ["create", "secret", "generic", name, "--from-literal=k=v"]);
      const stored = await etcdGet(cluster, `/registry/secrets/default/${name}`);
      expect(stored?.subarray(0, 21).toString("latin1") === "k8s:enc:secretbox:v1:").toBe(encrypted);
    }, 60_000);
  }
});
