/** Shared by the `coffer audit etcd` suites: EncryptionConfiguration text, writes through the API, the CLI's JSON report. */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { expect } from "vitest";
import { connectToCluster } from "../../src/kube/connect.js";
import { runCofferAsync, type CliResult } from "../helpers/cli.js";
import type { Cluster } from "./harness.js";

export type Provider =
  | { aescbc: Array<{ name: string; secret: string }> }
  | { aesgcm: Array<{ name: string; secret: string }> }
  | { secretbox: Array<{ name: string; secret: string }> }
  | { kms: { name: string; endpoint: string } }
  | "identity";

/** An EncryptionConfiguration (JSON is YAML) with one entry per resource group. */
export function encryptionConfig(entries: Array<{ resources: string[]; providers: Provider[] }>): string {
  const provider = (p: Provider): unknown => {
    if (p === "identity") return { identity: {} };
    if ("kms" in p) return { kms: { ...p.kms, cachesize: 10, timeout: "3s" } };
    const [type, keys] = Object.entries(p)[0] as [string, unknown];
    return { [type]: { keys } };
  };
  return JSON.stringify({
    apiVersion: "apiserver.config.k8s.io/v1",
    kind: "EncryptionConfiguration",
    resources: entries.map((entry) => ({ resources: entry.resources, providers: entry.providers.map(provider) })),
  });
}

/** Write a config into the cluster's directory for `coffer audit etcd --config`. */
export async function configFile(cluster: Cluster, name: string, text: string): Promise<string> {
  const path = join(cluster.dir, name);
  await writeFile(path, text, { mode: 0o600 });
  return path;
}

/** Create Secrets (and ConfigMaps) through the API server, as an application would. */
export async function createObjects(cluster: Cluster, objects: Array<{ kind: "Secret" | "ConfigMap"; name: string; value: string; namespace?: string }>): Promise<void> {
  const { client } = await connectToCluster({ kubeconfig: cluster.kubeconfigPath, env: {}, homeDir: cluster.dir });
  try {
    for (const object of objects) {
      const namespace = object.namespace ?? "default";
      const resource = object.kind === "Secret" ? "secrets" : "configmaps";
      const body =
        object.kind === "Secret"
          ? { apiVersion: "v1", kind: "Secret", metadata: { name: object.name, namespace }, data: { value: Buffer.from(object.value).toString("base64") } }
          : { apiVersion: "v1", kind: "ConfigMap", metadata: { name: object.name, namespace }, data: { value: object.value } };
      await client.request({ method: "POST", path: `/api/v1/namespaces/${namespace}/${resource}`, body, what: { verb: "create", resource, namespace } });
    }
  } finally {
    client.close();
  }
}

/** Read a Secret's `value` back through the API server (it must still decrypt). */
export async function readSecretValue(cluster: Cluster, name: string): Promise<string> {
  const { client } = await connectToCluster({ kubeconfig: cluster.kubeconfigPath, env: {}, homeDir: cluster.dir });
  try {
    const secret = await client.request<{ data: { value: string } }>({ method: "GET", path: `/api/v1/namespaces/default/secrets/${name}`, what: { verb: "get", resource: "secrets", name } });
    return Buffer.from(secret.data.value, "base64").toString("utf8");
  } finally {
    client.close();
  }
}

export interface AuditJson {
  objects: number;
  resources: Array<{ resource: string; objects: number; storedWith: Record<string, number>; configuredKeys?: string[] }>;
  findings: Array<{ id: string; severity: string; etcdKey: string; storedWith: string; message: string }>;
  summary: Record<string, number>;
  rewrite?: { rewritten: number; unchanged: number; gone: number; skipped: number; failed: number; problems: Array<{ etcdKey: string; status: string; reason?: string }> };
  before?: { findings: Array<{ id: string; etcdKey: string }> };
}

/** `coffer audit etcd --endpoints <cluster etcd> ARGS`; async, since a KMS plugin may run in this process. */
export function auditEtcd(cluster: Cluster, args: string[]): Promise<CliResult> {
  return runCofferAsync(["audit", "etcd", "--endpoints", cluster.etcdEndpoint, ...args]);
}

/** The same with `-o json`, parsed; `status` is the exit status. */
export async function auditEtcdJson(cluster: Cluster, args: string[]): Promise<{ status: number; report: AuditJson; stderr: string }> {
  const result = await auditEtcd(cluster, [...args, "-o", "json"]);
  expect(result.stdout, result.stderr).not.toBe("");
  return { status: result.status, report: JSON.parse(result.stdout) as AuditJson, stderr: result.stderr };
}

/** Finding id per etcd key, sorted, for compact assertions. */
export function findingsByKey(report: AuditJson): Array<[string, string]> {
  return report.findings.map((f): [string, string] => [f.etcdKey, f.id]).sort((a, b) => a[0].localeCompare(b[0]));
}

export function storedWith(report: AuditJson, resource: string): Record<string, number> | undefined {
  return report.resources.find((r) => r.resource === resource)?.storedWith;
}
