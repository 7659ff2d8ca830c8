/**
 * The harness against the real parts: a Secret written with kubectl through kube-apiserver
 * v1.20.2 is aescbc-encrypted in Debian's etcd, server-side apply reports real field-manager
 * conflicts, a restart switches the writing key, and stop() leaves no process behind.
 */
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { afterAll, beforeAll, expect, it } from "vitest";
import { itWithBinary } from "../helpers/binaries.js";
import { startCluster, type Cluster } from "./harness.js";
import { requestText } from "./http.js";
import { connectToCluster } from "../../src/kube/connect.js";
import { loadedModules } from "../helpers/cli.js";
import { isCofferError } from "../../src/errors.js";
import { describeCluster } from "./requirements.js";
import { etcdGet, kubectl } from "./tools.js";

function encryptionConfig(keys: { name: string; secret: string }[]): string {
  const keyLines = keys.map((k) => `            - name: ${k.name}\n              secret: ${k.secret}`).join("\n");
  return [
    "apiVersion: apiserver.config.k8s.io/v1",
    "kind: EncryptionConfiguration",
    "resources:",
    "  - resources: [secrets]",
    "    providers:",
    "      - aescbc:",
    "          keys:",
    keyLines,
    "      - identity: {}",
    "",
  ].join("\n");
}

function secretManifest(name: string, value: string): string {
  return JSON.stringify({
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name, namespace: "default" },
    type: "Opaque",
    data: { password: Buffer.from(value).toString("base64") },
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describeCluster("real cluster harness (etcd + kube-apiserver 1.20.2)", () => {
  const itKubectl = itWithBinary("kubectl");
  const key1 = { name: "key1", secret: randomBytes(32).toString("base64") };
  const key2 = { name: "key2", secret: randomBytes(32).toString("base64") };
  let cluster: Cluster;

  beforeAll(async () => {
    const started = Date.now();
    cluster = await startCluster({ encryptionConfig: encryptionConfig([key1]) });
    console.info(`[cluster smoke] etcd + kube-apiserver ready in ${Date.now() - started} ms`);
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  itKubectl("stores a kubectl-applied Secret aescbc-encrypted in etcd and serves it back", async () => {
    const plaintext = `smoke-${randomBytes(12).toString("hex")}`;
    const applied = await kubectl(cluster, ["apply", "--server-side", "-f", "-"], secretManifest("smoke", plaintext));
    expect(applied.stderr).toBe("");
    expect(applied.code).toBe(0);

    const got = await kubectl(cluster, ["get", "secret", "smoke", "-n", "default", "-o", "json"]);
    expect(got.code).toBe(0);
    const secret = JSON.parse(got.stdout.toString("utf8")) as { data: { password: string } };
    expect(Buffer.from(secret.data.password, "base64").toString("utf8")).toBe(plaintext);

    const raw = await etcdGet(cluster, "/registry/secrets/default/smoke");
    expect(raw).toBeDefined();
    expect(raw?.subarray(0, 23).toString("latin1")).toBe("k8s:enc:aescbc:v1:key1:");
    expect(raw?.includes(plaintext)).toBe(false);
    expect(raw?.includes(Buffer.from(plaintext).toString("base64"))).toBe(false);
  });

  itKubectl("answers 409 when another field manager applies a conflicting value without force", async () => {
    const first = await kubectl(cluster, ["apply", "--server-side", "-f", "-"], secretManifest("owned", "one"));
    expect(first.code).toBe(0);

    const path = "/api/v1/namespaces/default/secrets/owned";
    const patch = (force: boolean) =>
      requestText(`${cluster.server}${path}?fieldManager=other&force=${String(force)}`, {
        method: "PATCH",
        token: cluster.token,
        contentType: "application/apply-patch+yaml",
        body: secretManifest("owned", "two"),
      });
    const refused = await patch(false);
    expect(refused.status).toBe(409);
    const status = JSON.parse(refused.body) as { reason: string; details?: { causes?: { message: string }[] } };
    expect(status.reason).toBe("Conflict");
    expect(status.details?.causes?.[0]?.message).toContain('"kubectl"');

    const viaKubectl = await kubectl(
      cluster,
      ["apply", "--server-side", "--field-manager=other", "-f", "-"],
      secretManifest("owned", "two"),
    );
    expect(viaKubectl.code).not.toBe(0);

    const forced = await patch(true);
    expect(forced.status).toBe(200);
    const after = JSON.parse(forced.body) as { data: { password: string } };
    expect(Buffer.from(after.data.password, "base64").toString("utf8")).toBe("two");
  });

  itKubectl("restartApiserver switches the writing key and still reads the old one", async () => {
    await kubectl(cluster, ["apply", "--server-side", "-f", "-"], secretManifest("before", "old-key"));
    const oldPid = cluster.pids().apiserver;
    await cluster.restartApiserver(encryptionConfig([key2, key1]));
    expect(cluster.pids().apiserver).not.toBe(oldPid);
    expect(isAlive(oldPid)).toBe(false);

    const applied = await kubectl(cluster, ["apply", "--server-side", "-f", "-"], secretManifest("after", "new-key"));
    expect(applied.code).toBe(0);
    const before = await etcdGet(cluster, "/registry/secrets/default/before");
    const afterRaw = await etcdGet(cluster, "/registry/secrets/default/after");
    expect(before?.subarray(0, 23).toString("latin1")).toBe("k8s:enc:aescbc:v1:key1:");
    expect(afterRaw?.subarray(0, 23).toString("latin1")).toBe("k8s:enc:aescbc:v1:key2:");

    const got = await kubectl(cluster, ["get", "secret", "before", "-o", "jsonpath={.data.password}"]);
    expect(Buffer.from(got.stdout.toString("utf8"), "base64").toString("utf8")).toBe("old-key");
  });

  it("Coffer's KubeClient reads through the kubeconfig and maps a 404 to a coded error", async () => {
    const { client, defaultNamespace } = await connectToCluster({ kubeconfig: cluster.kubeconfigPath, env: {}, homeDir: cluster.dir });
    try {
      expect(defaultNamespace).toBe("default");
      const list = await client.request<{ items: { metadata: { name: string } }[] }>({
        method: "GET",
        path: "/api/v1/namespaces/default/secrets",
        what: { verb: "list", resource: "secrets", namespace: "default" },
      });
      expect(list.items.map((item) => item.metadata.name)).toContain("owned");
      const missing = await client
        .request({ method: "GET", path: "/api/v1/namespaces/default/secrets/nope", what: { verb: "get", resource: "secrets", namespace: "default", name: "nope" } })
        .then(() => undefined, (error: unknown) => error);
      expect(isCofferError(missing) ? [missing.code, (missing as unknown as { status: number }).status] : missing).toEqual(["CLUSTER_REQUEST_FAILED", 404]);
    } finally {
      client.close();
    }
  });

  it("a token kubeconfig reaches the cluster without loading @kubernetes/client-node", () => {
    const loaded = loadedModules(["scan", "--cluster", "-n", "kube-public", "--kubeconfig", cluster.kubeconfigPath, "-o", "json"]);
    expect(loaded.some((m) => m.includes("dist/cli/"))).toBe(true);
    expect(loaded.filter((m) => m.includes("@kubernetes"))).toEqual([]);
  });

  it("stop() kills etcd and kube-apiserver and removes the temp directory", async () => {
    const { etcd, apiserver } = cluster.pids();
    expect(isAlive(etcd)).toBe(true);
    expect(isAlive(apiserver)).toBe(true);
    await cluster.stop();
    expect(isAlive(etcd)).toBe(false);
    expect(isAlive(apiserver)).toBe(false);
    expect(existsSync(cluster.dir)).toBe(false);
    await cluster.stop(); // idempotent
  });
});
