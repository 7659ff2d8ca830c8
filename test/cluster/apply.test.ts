/**
 * `coffer apply` against the real kube-apiserver: encrypted Secrets applied server-side by the
 * field manager "coffer" (no last-applied annotation), dry runs that change nothing, per-key
 * diffs without values, pruning by label, restarts of the workloads using a changed Secret,
 * generator mode, mixed kinds from one directory, and field-manager conflicts.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { exitStatusFor } from "../../src/cli/exit.js";
import { ageHome, type AgeHome } from "../helpers/age-files.js";
import { runCofferAsync, type CliResult } from "../helpers/cli.js";
import { startCluster, type Cluster } from "./harness.js";
import { describeCluster } from "./requirements.js";
import { kubectl } from "./tools.js";

interface Report {
  dryRun: boolean;
  objects: Array<{ kind: string; name: string; namespace?: string; action: string; keys?: Array<{ key: string; change: string; fingerprint?: string; previous?: string }>; fields?: string[] }>;
  pruned: Array<{ kind: string; name: string; namespace?: string }>;
  restarted: Array<{ kind: string; name: string; secrets: string[] }>;
  summary: Record<string, number>;
}

function secretYaml(name: string, data: Record<string, string>, extra = ""): string {
  const lines = Object.entries(data).map(([key, value]) => `  ${key}: ${Buffer.from(value).toString("base64")}`);
  return `apiVersion: v1\nkind: Secret\nmetadata:\n  name: ${name}\n${extra}type: Opaque\ndata:\n${lines.join("\n")}\n`;
}

function deploymentYaml(name: string, podSpec: string): string {
  return [
    "apiVersion: apps/v1",
    "kind: Deployment",
    "metadata:",
    `  name: ${name}`,
    "spec:",
    "  replicas: 1",
    "  selector:",
    `    matchLabels: {app: ${name}}`,
    "  template:",
    "    metadata:",
    `      labels: {app: ${name}}`,
    "    spec:",
    podSpec,
    "",
  ].join("\n");
}

describeCluster("coffer apply against a real kube-apiserver", () => {
  let cluster: Cluster;
  let age: AgeHome;

  beforeAll(async () => {
    [cluster, age] = await Promise.all([startCluster(), ageHome()]);
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  const coffer = (args: string[]): Promise<CliResult> => runCofferAsync(["apply", "--kubeconfig", cluster.kubeconfigPath, ...args], { env: age.env, cwd: age.home });

  async function getJson<T = Record<string, unknown>>(args: string[]): Promise<T> {
    const got = await kubectl(cluster, ["get", ...args, "-o", "json"]);
    expect(got.code, got.stderr).toBe(0);
    return JSON.parse(got.stdout.toString("utf8")) as T;
  }

  async function secretValues(name: string, namespace = "default"): Promise<Record<string, string>> {
    const secret = await getJson<{ data?: Record<string, string> }>(["secret", name, "-n", namespace]);
    return Object.fromEntries(Object.entries(secret.data ?? {}).map(([key, value]) => [key, Buffer.from(value, "base64").toString("utf8")]));
  }

  async function exists(args: string[]): Promise<boolean> {
    const got = await kubectl(cluster, ["get", ...args, "--ignore-not-found", "-o", "name"]);
    expect(got.code, got.stderr).toBe(0);
    return got.stdout.toString("utf8").trim() !== "";
  }

  it("applies an encrypted Secret server-side as manager coffer, without a last-applied annotation", async () => {
    const annotation = "  annotations:\n    kubectl.kubernetes.io/last-applied-configuration: '{\"data\":{\"password\":\"leak\"}}'\n    team: payments\n";
    const file = await age.write("db.enc.yaml", secretYaml("db", { password: "s3cret-db-pass", user: "app" }, annotation));
    const result = await coffer(["-f", file]);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toContain("last-applied-configuration");
    expect(result.stdout).toMatch(/^created\s+Secret\/db\s+default$/m);

    const secret = await getJson<{ metadata: { annotations?: Record<string, string>; managedFields: Array<{ manager: string; operation: string }> } }>(["secret", "db", "--show-managed-fields"]);
    expect(secret.metadata.managedFields.map((f) => [f.manager, f.operation])).toEqual([["coffer", "Apply"]]);
    expect(secret.metadata.annotations).toEqual({ team: "payments" });
    expect(await secretValues("db")).toEqual({ password: "s3cret-db-pass", user: "app" });

    const again = await coffer(["-f", file, "-o", "json"]);
    expect(again.status, again.stderr).toBe(0);
    expect((JSON.parse(again.stdout) as Report).objects.map((o) => o.action)).toEqual(["unchanged"]);
  });

  it("a dry run with --diff changes nothing and lists keys added, changed, removed and unchanged without values", async () => {
    const first = await age.write("diff-1.enc.yaml", secretYaml("diffme", { keep: "same-value-1", alter: "old-value-2", drop: "gone-value-3" }));
    expect((await coffer(["-f", first])).status).toBe(0);
    const second = await age.write("diff-2.enc.yaml", secretYaml("diffme", { keep: "same-value-1", alter: "new-value-22", extra: "added-value-4" }));

    const dry = await coffer(["-f", second, "--dry-run=server"]);
    expect(dry.status, dry.stderr).toBe(0);
    expect(await secretValues("diffme")).toEqual({ keep: "same-value-1", alter: "old-value-2", drop: "gone-value-3" });

    const diff = await coffer(["-f", second, "--diff", "-o", "json"]);
    expect(diff.status, diff.stderr).toBe(0);
    const report = JSON.parse(diff.stdout) as Report;
    expect(report.dryRun).toBe(true);
    const keys = report.objects[0]?.keys ?? [];
    expect(keys.map((k) => [k.key, k.change])).toEqual([
      ["data.alter", "changed"],
      ["data.drop", "removed"],
      ["data.extra", "added"],
      ["data.keep", "unchanged"],
    ]);
    const alter = keys.find((k) => k.key === "data.alter");
    expect(alter?.fingerprint).toMatch(/^[0-9a-f]{12}$/);
    expect(alter?.previous).not.toBe(alter?.fingerprint);
    const table = await coffer(["-f", second, "--diff"]);
    for (const output of [diff.stdout, diff.stderr, table.stdout, table.stderr]) {
      for (const value of ["same-value-1", "old-value-2", "new-value-22", "gone-value-3", "added-value-4"]) {
        expect(output).not.toContain(value);
        expect(output).not.toContain(Buffer.from(value).toString("base64"));
      }
    }
    expect(table.stdout).toMatch(/~ data\.alter\s+changed/);
    expect(await secretValues("diffme")).toEqual({ keep: "same-value-1", alter: "old-value-2", drop: "gone-value-3" });

    // The same value under the same name fingerprints alike in another namespace (environments compare).
    await kubectl(cluster, ["create", "namespace", "staging"]);
    const staging = await coffer(["-f", second, "-n", "staging", "--diff", "-o", "json"]);
    const stagingKeys = (JSON.parse(staging.stdout) as Report).objects[0]?.keys ?? [];
    expect(stagingKeys.find((k) => k.key === "data.keep")?.fingerprint).toBe(keys.find((k) => k.key === "data.keep")?.fingerprint);
  });

  it("prunes only objects of the set that left the input (dry run first lists them)", async () => {
    const dir = join(age.home, "prune");
    mkdirSync(dir);
    writeFileSync(join(dir, "s1.enc.yaml"), await age.encrypt(secretYaml("p-s1", { a: "1" }), "yaml"));
    writeFileSync(join(dir, "s2.enc.yaml"), await age.encrypt(secretYaml("p-s2", { a: "2" }), "yaml"));
    writeFileSync(join(dir, "cm.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: p-cm\ndata:\n  k: v\n");
    expect((await coffer(["-f", dir, "--prune", "--prune-set", "p1"])).status).toBe(0);
    // Same label, but never applied by coffer; and a coffer object of another set.
    const foreign = await kubectl(cluster, ["apply", "--server-side", "-f", "-"], secretYaml("p-foreign", { a: "x" }, "  labels:\n    coffer.dev/prune-set: p1\n"));
    expect(foreign.code, foreign.stderr).toBe(0);
    const other = await age.write("other-set.enc.yaml", secretYaml("p-other", { a: "y" }));
    expect((await coffer(["-f", other, "--prune-set", "p2"])).status).toBe(0);

    const plan = await coffer(["-f", join(dir, "s1.enc.yaml"), "--prune", "--prune-set", "p1", "--dry-run=server", "-o", "json"]);
    expect(plan.status, plan.stderr).toBe(0);
    expect((JSON.parse(plan.stdout) as Report).pruned.map((p) => `${p.kind}/${p.name}`)).toEqual(["ConfigMap/p-cm", "Secret/p-s2"]);
    expect(await exists(["secret", "p-s2"])).toBe(true);
    expect(await exists(["configmap", "p-cm"])).toBe(true);

    const pruned = await coffer(["-f", join(dir, "s1.enc.yaml"), "--prune", "--prune-set", "p1", "-o", "json"]);
    expect(pruned.status, pruned.stderr).toBe(0);
    expect((JSON.parse(pruned.stdout) as Report).summary.pruned).toBe(2);
    expect(await exists(["secret", "p-s2"])).toBe(false);
    expect(await exists(["configmap", "p-cm"])).toBe(false);
    for (const kept of ["p-s1", "p-foreign", "p-other", "db"]) expect(await exists(["secret", kept])).toBe(true);
  });

  it("--restart-dependents restarts the Deployment using the changed Secret, not the one using an unchanged Secret", async () => {
    const usesA = "      initContainers:\n      - name: init\n        image: busybox\n        env:\n        - name: PW\n          valueFrom:\n            secretKeyRef: {name: dep-a, key: pw}\n      containers:\n      - name: app\n        image: busybox";
    const usesB = "      containers:\n      - name: app\n        image: busybox\n      volumes:\n      - name: s\n        projected:\n          sources:\n          - secret: {name: dep-b}";
    const dir = join(age.home, "dependents");
    mkdirSync(dir);
    writeFileSync(join(dir, "deploy.yaml"), `${deploymentYaml("uses-a", usesA)}---\n${deploymentYaml("uses-b", usesB)}`);
    writeFileSync(join(dir, "a.enc.yaml"), await age.encrypt(secretYaml("dep-a", { pw: "one" }), "yaml"));
    writeFileSync(join(dir, "b.enc.yaml"), await age.encrypt(secretYaml("dep-b", { pw: "one" }), "yaml"));
    expect((await coffer(["-f", dir, "--restart-dependents"])).status).toBe(0);

    writeFileSync(join(dir, "a.enc.yaml"), await age.encrypt(secretYaml("dep-a", { pw: "two" }), "yaml"));
    const result = await coffer(["-f", dir, "--restart-dependents", "-o", "json"]);
    expect(result.status, result.stderr).toBe(0);
    expect((JSON.parse(result.stdout) as Report).restarted.map((r) => [r.kind, r.name, r.secrets])).toEqual([["Deployment", "uses-a", ["dep-a"]]]);
    const annotationOf = async (name: string) =>
      (await getJson<{ spec: { template: { metadata: { annotations?: Record<string, string> } } } }>(["deployment", name])).spec.template.metadata.annotations?.["coffer.dev/restartedAt"];
    expect(await annotationOf("uses-a")).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(await annotationOf("uses-b")).toBeUndefined();
  });

  it("generator mode builds a Secret from an encrypted dotenv, YAML, INI and binary file", async () => {
    await kubectl(cluster, ["create", "namespace", "gen"]);
    const env = await age.write("app.enc.env", "DB_PASSWORD=p@ss=word\nAPI_TOKEN=tok-123\n", "dotenv");
    const yaml = await age.write("extra.enc.yaml", "region: eu\nlimits:\n    cpu: 2\n", "yaml");
    const cert = await age.write("tls.enc.crt", Buffer.from([0, 1, 2, 250, 255]), "binary");
    const ini = await age.write("db.enc.ini", "[db]\npassword = ini-pass\n", "ini");
    const result = await coffer(["--secret", "app-env", "--from-file", env, "--from-file", yaml, "--from-file", cert, "--from-file", ini, "-n", "gen", "--type", "Opaque"]);
    expect(result.status, result.stderr).toBe(0);
    const secret = await getJson<{ type: string; data: Record<string, string> }>(["secret", "app-env", "-n", "gen"]);
    expect(secret.type).toBe("Opaque");
    const values = await secretValues("app-env", "gen");
    expect(values).toMatchObject({ DB_PASSWORD: "p@ss=word", API_TOKEN: "tok-123", region: "eu" });
    expect(values.limits).toMatch(/cpu: 2/);
    // An INI file is kept whole, decrypted (as kubectl's --from-file would hold the plain file).
    expect(values["db.ini"]).toMatch(/^\[db\]\npassword\s*=\s*ini-pass\n$/);
    expect(Buffer.from(secret.data["tls.crt"] ?? "", "base64")).toEqual(Buffer.from([0, 1, 2, 250, 255]));
  });

  it("applies a ConfigMap, a Deployment and an encrypted Secret from one directory", async () => {
    const dir = join(age.home, "mix");
    mkdirSync(join(dir, "nested"), { recursive: true });
    writeFileSync(join(dir, "cm.json"), JSON.stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "mix-cm" }, data: { mode: "prod" } }));
    writeFileSync(join(dir, "nested", "app.yaml"), `${deploymentYaml("mix-app", "      containers:\n      - name: app\n        image: busybox\n        envFrom:\n        - secretRef: {name: mix-secret}")}---\n# empty document follows\n---\n`);
    writeFileSync(join(dir, "secret.enc.yaml"), await age.encrypt(secretYaml("mix-secret", { token: "mix-token" }), "yaml"));
    writeFileSync(join(dir, "README.md"), "not a manifest\n");
    const result = await coffer(["-f", dir, "-o", "json"]);
    expect(result.status, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as Report;
    expect(report.objects.map((o) => `${o.kind}/${o.name}:${o.action}`).sort()).toEqual(["ConfigMap/mix-cm:created", "Deployment/mix-app:created", "Secret/mix-secret:created"]);
    expect(await secretValues("mix-secret")).toEqual({ token: "mix-token" });
    expect((await getJson<{ data: Record<string, string> }>(["configmap", "mix-cm"])).data).toEqual({ mode: "prod" });
    expect(await exists(["deployment", "mix-app"])).toBe(true);
  });

  it("reports a conflict with a kubectl-owned field, and --force-conflicts takes it over", async () => {
    const owned = await kubectl(cluster, ["apply", "--server-side", "-f", "-"], secretYaml("contested", { password: "kubectl-value" }));
    expect(owned.code, owned.stderr).toBe(0);
    const file = await age.write("contested.enc.yaml", secretYaml("contested", { password: "coffer-value" }));
    const refused = await coffer(["-f", file]);
    expect(refused.status).toBe(exitStatusFor("CLUSTER_CONFLICT"));
    expect(refused.stderr).toContain('"kubectl"');
    expect(refused.stderr).toContain(".data.password");
    expect(refused.stderr).toContain("--force-conflicts");
    expect(await secretValues("contested")).toEqual({ password: "kubectl-value" });

    const forced = await coffer(["-f", file, "--force-conflicts"]);
    expect(forced.status, forced.stderr).toBe(0);
    expect(await secretValues("contested")).toEqual({ password: "coffer-value" });
  });
});
