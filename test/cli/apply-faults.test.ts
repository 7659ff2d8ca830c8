/**
 * `coffer apply` through the real CLI against the fake API server: what goes over the wire
 * (server-side apply only, fieldManager coffer, no last-applied annotation, dry runs that write
 * nothing), and every fault: 409 conflicts, 429/5xx retries, 403s, timeouts, partial failures,
 * and input errors with their exit statuses.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { exitStatusFor } from "../../src/cli/exit.js";
import { startKubeApiFake, type KubeApiFake } from "../fakes/kube-api.js";
import { ageHome, type AgeHome } from "../helpers/age-files.js";
import { runCofferAsync, type CliResult } from "../helpers/cli.js";

let fake: KubeApiFake;
let age: AgeHome;
let kubeconfig: string;

beforeAll(async () => {
  [fake, age] = await Promise.all([startKubeApiFake(), ageHome()]);
  kubeconfig = fake.kubeconfig(age.home);
});
afterAll(async () => fake.close());
beforeEach(() => {
  fake.clearFaults();
  fake.objects.clear();
  fake.requests.length = 0;
});

function secret(name: string, data: Record<string, string>, namespace?: string): string {
  const lines = Object.entries(data).map(([key, value]) => `  ${key}: ${Buffer.from(value).toString("base64")}`);
  return `apiVersion: v1\nkind: Secret\nmetadata:\n  name: ${name}\n${namespace === undefined ? "" : `  namespace: ${namespace}\n`}data:\n${lines.join("\n")}\n`;
}

let counter = 0;
/** A directory holding the given (plaintext) manifests, encrypted for the test's age key. */
async function manifests(files: Record<string, string>, encrypted = true): Promise<string> {
  const dir = join(age.home, `m${++counter}`);
  mkdirSync(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), encrypted ? await age.encrypt(text, "yaml") : text);
  return dir;
}

const apply = (args: string[], extraEnv: Record<string, string> = {}): Promise<CliResult> =>
  runCofferAsync(["apply", "--kubeconfig", kubeconfig, ...args], { env: { ...age.env, ...extraEnv }, cwd: age.home });

const patches = () => fake.requests.filter((r) => r.method === "PATCH");

describe("coffer apply on the wire", () => {
  it("sends server-side apply patches as manager coffer without the last-applied annotation", async () => {
    const annotated = secret("db", { password: "wire-secret" }).replace("metadata:\n", "metadata:\n  annotations:\n    kubectl.kubernetes.io/last-applied-configuration: '{}'\n");
    const dir = await manifests({ "db.enc.yaml": annotated });
    const result = await apply(["-f", dir, "-n", "team"]);
    expect(result.status, result.stderr).toBe(0);
    const [patch] = patches();
    expect(patch?.path).toBe("/api/v1/namespaces/team/secrets/db");
    expect(patch?.contentType).toBe("application/apply-patch+yaml");
    expect(patch?.query).toEqual({ fieldManager: "coffer" });
    expect(patch?.body).not.toContain("last-applied-configuration");
    expect(result.stdout).not.toContain("wire-secret");
    expect(result.stderr).not.toContain("wire-secret");
  });

  it("a dry run sends only dryRun=All patches and deletes", async () => {
    const dir = await manifests({ "a.enc.yaml": secret("a", { k: "v" }) });
    const result = await apply(["-f", dir, "--dry-run=server", "--prune", "--prune-set", "s"]);
    expect(result.status, result.stderr).toBe(0);
    const writes = fake.requests.filter((r) => r.method !== "GET");
    expect(writes.length).toBeGreaterThan(0);
    expect(writes.every((r) => r.query.dryRun === "All")).toBe(true);
    expect(fake.objects.size).toBe(0);
  });

  it("applies plain manifests too, from stdin, as JSON", async () => {
    const json = JSON.stringify({ apiVersion: "v1", kind: "List", items: [{ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c1" } }, { apiVersion: "v1", kind: "Namespace", metadata: { name: "n1" } }] });
    const result = await runCofferAsync(["apply", "--kubeconfig", kubeconfig, "-f", "-", "-o", "json"], { env: age.env, input: json });
    expect(result.status, result.stderr).toBe(0);
    expect([...fake.objects.keys()].sort()).toEqual(["/api/v1/namespaces/default/configmaps/c1", "/api/v1/namespaces/n1"]);
    // The Namespace goes first: later objects may live in it.
    expect(patches()[0]?.path).toBe("/api/v1/namespaces/n1");
  });
});

describe("coffer apply at scale", () => {
  const many = async (count: number) => {
    const files: Record<string, string> = {};
    for (let i = 0; i < count; i++) files[`s${i}.yaml`] = secret(`s${i}`, { k: String(i) });
    return manifests(files, false);
  };

  it("reads the live state of many objects of one kind with one LIST, over one kept-alive connection", async () => {
    const dir = await many(20);
    fake.objects.set("/api/v1/namespaces/default/secrets/s3", { apiVersion: "v1", kind: "Secret", metadata: { name: "s3", resourceVersion: "1" }, data: { k: "b2xk" } });
    const before = fake.connections();
    const result = await apply(["-f", dir, "--concurrency", "1", "-o", "json"]);
    expect(result.status, result.stderr).toBe(0);
    const gets = fake.requests.filter((r) => r.method === "GET" && r.path.startsWith("/api/v1/namespaces/"));
    expect(gets.map((r) => r.path)).toEqual(["/api/v1/namespaces/default/secrets"]);
    expect(patches()).toHaveLength(20);
    expect(fake.connections() - before).toBe(1);
    const actions = (JSON.parse(result.stdout) as { objects: Array<{ name: string; action: string }> }).objects;
    expect(actions.find((o) => o.name === "s3")?.action).toBe("configured");
    expect(actions.filter((o) => o.action === "created")).toHaveLength(19);
  });

  it("decrypts many files on a second thread with the same results and per-file failures", async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 70; i++) files[`s${i}.enc.yaml`] = secret(`s${i}`, { k: `v${i}` });
    const dir = await manifests(files);
    const other = await ageHome();
    writeFileSync(join(dir, "stranger.enc.yaml"), await other.encrypt(secret("stranger", { k: "x" }), "yaml"));
    const result = await apply(["-f", dir, "-o", "json"]);
    expect(result.status).toBe(exitStatusFor("NO_MATCHING_KEY"));
    expect(fake.objects.size).toBe(70);
    const stored = fake.objects.get("/api/v1/namespaces/default/secrets/s42") as { data: Record<string, string> };
    expect(Buffer.from(stored.data.k ?? "", "base64").toString()).toBe("v42");
    const report = JSON.parse(result.stdout) as { inputFailures: Array<{ source: string; code: string }> };
    expect(report.inputFailures).toEqual([expect.objectContaining({ code: "NO_MATCHING_KEY" })]);
    expect(report.inputFailures[0]?.source).toContain("stranger.enc.yaml");
  });

  it("falls back to a GET per object when the LIST is forbidden", async () => {
    const dir = await many(20);
    fake.fail({ method: "GET", path: "/api/v1/namespaces/default/secrets", status: 403, times: 1 });
    const result = await apply(["-f", dir]);
    expect(result.status, result.stderr).toBe(0);
    expect(fake.requests.filter((r) => r.method === "GET" && r.path.startsWith("/api/v1/namespaces/default/secrets/"))).toHaveLength(20);
    expect(fake.objects.size).toBe(20);
  });
});

describe("coffer apply faults", () => {
  it("a 409 names the conflicting manager and field and suggests --force-conflicts, which sends force=true", async () => {
    const dir = await manifests({ "db.enc.yaml": secret("db", { password: "x" }) });
    fake.fail({ method: "PATCH", status: 409, conflict: { manager: "helm", field: ".data.password" }, times: 1 });
    const refused = await apply(["-f", dir]);
    expect(refused.status).toBe(exitStatusFor("CLUSTER_CONFLICT"));
    expect(refused.stderr).toContain('"helm"');
    expect(refused.stderr).toContain(".data.password");
    expect(refused.stderr).toContain("--force-conflicts");

    const forced = await apply(["-f", dir, "--force-conflicts"]);
    expect(forced.status, forced.stderr).toBe(0);
    expect(patches().at(-1)?.query.force).toBe("true");
  });

  it("retries 429 (with Retry-After) and 503 answers, then succeeds", async () => {
    const dir = await manifests({ "db.enc.yaml": secret("db", { password: "x" }) });
    fake.fail({ method: "PATCH", status: 429, retryAfter: "0", times: 2 });
    fake.fail({ method: "GET", path: "/secrets/db", status: 503, times: 1 });
    const result = await apply(["-f", dir]);
    expect(result.status, result.stderr).toBe(0);
    expect(patches()).toHaveLength(3);
    expect(fake.objects.has("/api/v1/namespaces/default/secrets/db")).toBe(true);
  });

  it("gives up on a persistent 500 with CLUSTER_REQUEST_FAILED", async () => {
    const dir = await manifests({ "db.enc.yaml": secret("db", { password: "x" }) });
    fake.fail({ method: "PATCH", status: 500 });
    const result = await apply(["-f", dir]);
    expect(result.status).toBe(exitStatusFor("CLUSTER_REQUEST_FAILED"));
    expect(patches().length).toBeGreaterThan(1);
  });

  it("a 403 names the verb, the resource and the namespace", async () => {
    const dir = await manifests({ "db.enc.yaml": secret("db", { password: "x" }, "payments") });
    fake.fail({ method: "PATCH", status: 403 });
    const result = await apply(["-f", dir]);
    expect(result.status).toBe(exitStatusFor("CLUSTER_DENIED"));
    expect(result.stderr).toContain("patch secrets/db in namespace payments");
  });

  it("a request with no answer times out (--request-timeout) as CLUSTER_UNREACHABLE", async () => {
    const dir = await manifests({ "db.enc.yaml": secret("db", { password: "x" }) });
    fake.fail({ method: "GET", path: "/api/v1", hang: true });
    const result = await apply(["-f", dir, "--request-timeout", "100ms"]);
    expect(result.status).toBe(exitStatusFor("CLUSTER_UNREACHABLE"));
  });

  it("a partial failure still applies every other object and exits with the shared code", async () => {
    const dir = await manifests({ "a.enc.yaml": secret("a", { k: "1" }), "b.enc.yaml": secret("b", { k: "2" }), "c.enc.yaml": secret("c", { k: "3" }) });
    fake.fail({ method: "PATCH", path: "/secrets/b", status: 403 });
    const result = await apply(["-f", dir, "-o", "json"]);
    expect(result.status).toBe(exitStatusFor("CLUSTER_DENIED"));
    expect([...fake.objects.keys()].sort()).toEqual(["/api/v1/namespaces/default/secrets/a", "/api/v1/namespaces/default/secrets/c"]);
    const report = JSON.parse(result.stdout) as { objects: Array<{ name: string; action: string; error?: { code: string } }> };
    expect(report.objects.map((o) => [o.name, o.action, o.error?.code])).toEqual([
      ["a", "created", undefined],
      ["b", "failed", "CLUSTER_DENIED"],
      ["c", "created", undefined],
    ]);
  });

  it("failures with different codes exit OBJECTS_FAILED; a file that does not decrypt fails alone and stops pruning", async () => {
    const dir = await manifests({ "a.enc.yaml": secret("a", { k: "1" }), "b.enc.yaml": secret("b", { k: "2" }), "c.enc.yaml": secret("c", { k: "3" }) });
    const other = await ageHome();
    writeFileSync(join(dir, "d.enc.yaml"), await other.encrypt(secret("d", { k: "4" }), "yaml"));
    fake.fail({ method: "PATCH", path: "/secrets/b", status: 403 });
    fake.fail({ method: "PATCH", path: "/secrets/c", status: 409, conflict: { manager: "kubectl", field: ".data.k" } });
    const result = await apply(["-f", dir, "--prune", "--prune-set", "s"]);
    expect(result.status).toBe(exitStatusFor("OBJECTS_FAILED"));
    expect([...fake.objects.keys()]).toEqual(["/api/v1/namespaces/default/secrets/a"]);
    expect(result.stderr).toContain("not pruning");
    expect(fake.requests.filter((r) => r.method === "DELETE")).toEqual([]);

    fake.clearFaults();
    const onlyDecrypt = await apply(["-f", dir]);
    expect(onlyDecrypt.status).toBe(exitStatusFor("NO_MATCHING_KEY"));
  });

  it("refuses bad input with its own exit status before touching the cluster", async () => {
    const noName = await manifests({ "x.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {}\n" }, false);
    expect((await apply(["-f", noName])).status).toBe(exitStatusFor("MANIFEST_INVALID"));
    const otherNs = await manifests({ "x.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: one}\n" }, false);
    expect((await apply(["-f", otherNs, "-n", "two"])).status).toBe(exitStatusFor("MANIFEST_INVALID"));
    const twice = await manifests({ "x.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n" }, false);
    expect((await apply(["-f", twice])).status).toBe(exitStatusFor("MANIFEST_INVALID"));
    expect(patches()).toEqual([]);

    const unknown = await manifests({ "x.yaml": "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n" }, false);
    expect((await apply(["-f", unknown])).status).toBe(exitStatusFor("KIND_UNKNOWN"));
    for (const args of [["--prune"], ["--dry-run=client"], ["--prune-set", "bad value!"], ["--secret", "s"], ["--type", "Opaque"]]) {
      expect((await apply(["-f", noName, ...args])).status, args.join(" ")).toBe(exitStatusFor("USAGE"));
    }
    expect((await apply([])).status).toBe(exitStatusFor("USAGE"));
  });

  it("a failed restart step is reported like an object's failure, after the apply", async () => {
    fake.objects.set("/api/v1/namespaces/default/secrets/db", { apiVersion: "v1", kind: "Secret", metadata: { name: "db", resourceVersion: "1" }, data: { k: "b2xk" } });
    fake.fail({ method: "GET", path: "/deployments", status: 403 });
    const dir = await manifests({ "db.enc.yaml": secret("db", { k: "new" }) });
    const result = await apply(["-f", dir, "--restart-dependents", "-o", "json"]);
    expect(result.status).toBe(exitStatusFor("CLUSTER_DENIED"));
    const report = JSON.parse(result.stdout) as { objects: Array<{ action: string }>; inputFailures: Array<{ source: string; code: string }> };
    expect(report.objects.map((o) => o.action)).toEqual(["configured"]);
    expect(report.inputFailures).toEqual([expect.objectContaining({ source: "restarting dependents", code: "CLUSTER_DENIED" })]);
  });

  it("restarts only workloads using a changed Secret (containers, initContainers, volumes, projected)", async () => {
    const workload = (kind: string, name: string, spec: object) => ({ apiVersion: "apps/v1", kind, metadata: { name, namespace: "default" }, spec: { template: { spec } } });
    const put = (plural: string, object: { metadata: { name: string } }) => fake.objects.set(`/apis/apps/v1/namespaces/default/${plural}/${object.metadata.name}`, object);
    put("deployments", workload("Deployment", "env-user", { containers: [{ env: [{ valueFrom: { secretKeyRef: { name: "db", key: "k" } } }] }] }));
    put("statefulsets", workload("StatefulSet", "init-user", { initContainers: [{ envFrom: [{ secretRef: { name: "db" } }] }], containers: [] }));
    put("daemonsets", workload("DaemonSet", "volume-user", { volumes: [{ secret: { secretName: "db" } }], containers: [] }));
    put("deployments", workload("Deployment", "other-user", { volumes: [{ projected: { sources: [{ secret: { name: "other" } }] } }], containers: [] }));
    fake.objects.set("/api/v1/namespaces/default/secrets/db", { apiVersion: "v1", kind: "Secret", metadata: { name: "db", resourceVersion: "1" }, data: { k: "b2xk" } });
    const dir = await manifests({ "db.enc.yaml": secret("db", { k: "new" }) });
    const result = await apply(["-f", dir, "--restart-dependents", "-o", "json"]);
    expect(result.status, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as { restarted: Array<{ kind: string; name: string }> };
    expect(report.restarted.map((r) => `${r.kind}/${r.name}`)).toEqual(["DaemonSet/volume-user", "Deployment/env-user", "StatefulSet/init-user"]);
    const restartPatches = patches().filter((r) => r.contentType === "application/merge-patch+json");
    expect(restartPatches.map((r) => r.path.split("/").pop()).sort()).toEqual(["env-user", "init-user", "volume-user"]);
    expect(restartPatches[0]?.body).toContain("coffer.dev/restartedAt");
  });
});
