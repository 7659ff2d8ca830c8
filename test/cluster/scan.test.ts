/**
 * `coffer scan --cluster` against a real kube-apiserver: ConfigMaps, a Deployment with literal
 * env, a CronJob (batch/v1beta1 on 1.20), an object whose last-applied annotation kubectl wrote,
 * and a Helm release Secret built the way Helm stores it. Paginated listing is proven with a
 * page size smaller than the number of objects; other Secrets are never read.
 */
import { afterAll, beforeAll, expect } from "vitest";
import { Ajv } from "ajv";
import addFormats from "ajv-formats";
import { itWithBinary } from "../helpers/binaries.js";
import { runCofferAsync } from "../helpers/cli.js";
import { fakeAwsKeyId, fakeDatabaseUrl, fakeGithubToken, fakePassword } from "../helpers/fake-secrets.js";
import { SARIF_2_1_0_REQUIRED_SCHEMA } from "../helpers/sarif-schema.js";
import { encodeHelmRelease } from "../../src/scan/helm-release.js";
import { startCluster, type Cluster } from "./harness.js";
import { describeCluster } from "./requirements.js";
import { kubectl } from "./tools.js";

interface JsonFinding {
  ruleId: string;
  resource: { kind: string; namespace: string | null; name: string };
  location: { uri: string; line?: number };
  key: string;
}

const aws = fakeAwsKeyId();
const gh = fakeGithubToken();
const db = fakeDatabaseUrl();
const opaquePassword = fakePassword();

describeCluster("coffer scan --cluster (real kube-apiserver 1.20.2)", () => {
  const itKubectl = itWithBinary("kubectl");
  let cluster: Cluster;

  const scan = (args: string[]) => runCofferAsync(["scan", "--cluster", "--kubeconfig", cluster.kubeconfigPath, ...args]);
  const findingsOf = (stdout: string) => (JSON.parse(stdout) as { findings: JsonFinding[] }).findings;

  beforeAll(async () => {
    cluster = await startCluster();
    const apply = async (manifest: unknown, serverSide = true) => {
      const result = await kubectl(cluster, ["apply", ...(serverSide ? ["--server-side"] : []), "-f", "-"], JSON.stringify(manifest));
      if (result.code !== 0) throw new Error(`kubectl apply failed: ${result.stderr}`);
    };
    await apply({ apiVersion: "v1", kind: "Namespace", metadata: { name: "shop" } });
    await apply({
      apiVersion: "v1",
      kind: "List",
      items: Array.from({ length: 5 }, (_, i) => ({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: `cm-${i}`, namespace: "shop" }, data: { AWS_KEY: aws, LEVEL: "info" } })),
    });
    await apply({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "clean", namespace: "default" }, data: { LEVEL: "debug" } });
    await apply({
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "web", namespace: "shop" },
      spec: {
        selector: { matchLabels: { app: "web" } },
        template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "app", image: "app:1", env: [{ name: "GITHUB_TOKEN", value: gh }] }] } },
      },
    });
    await apply({
      apiVersion: "batch/v1beta1",
      kind: "CronJob",
      metadata: { name: "backup", namespace: "shop" },
      spec: { schedule: "0 * * * *", jobTemplate: { spec: { template: { spec: { restartPolicy: "Never", containers: [{ name: "dump", image: "pg:1", args: [`--dburl=${db.url}`] }] } } } } },
    });
    // Client-side apply: kubectl writes the whole object into last-applied-configuration.
    await apply({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "applied", namespace: "default" }, data: { TOKEN: gh } }, false);
    // An ordinary Secret (must never be read) and a Helm release Secret as Helm stores it.
    await apply({ apiVersion: "v1", kind: "Secret", metadata: { name: "opaque", namespace: "shop" }, stringData: { password: opaquePassword, aws } });
    const manifest = `---\n# Source: app/templates/cm.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: rendered\ndata:\n  DB_URL: ${db.url}\n`;
    const releaseJson = { name: "app", namespace: "shop", version: 1, info: { status: "deployed" }, config: { auth: { githubToken: gh } }, manifest };
    const helmSecret = {
      apiVersion: "v1",
      kind: "Secret",
      type: "helm.sh/release.v1",
      metadata: { name: "sh.helm.release.v1.app.v1", namespace: "shop", labels: { owner: "helm", name: "app" } },
      data: { release: encodeHelmRelease(releaseJson) },
    };
    await apply(helmSecret);
  }, 60_000);

  afterAll(async () => {
    await cluster?.stop();
  });

  itKubectl("finds ConfigMaps, literal env, CronJob args, last-applied and Helm release values, across pages", async () => {
    const run = await scan(["-o", "json", "--page-size", "2"]);
    expect(run.status, run.stderr).toBe(1);
    const found = findingsOf(run.stdout).map((f) => `${f.resource.kind}/${f.resource.namespace}/${f.resource.name} ${f.key}`);
    // Five ConfigMaps at two per page: every page after the first came through `continue`.
    for (let i = 0; i < 5; i++) expect(found).toContain(`ConfigMap/shop/cm-${i} data.AWS_KEY`);
    expect(found).toContain("Deployment/shop/web spec.template.spec.containers[app].env[GITHUB_TOKEN]");
    expect(found).toContain("CronJob/shop/backup spec.jobTemplate.spec.template.spec.containers[dump].args[0]");
    expect(found).toContain("ConfigMap/default/applied data.TOKEN");
    expect(found).toContain("ConfigMap/default/applied metadata.annotations[kubectl.kubernetes.io/last-applied-configuration].data.TOKEN");
    expect(found).toContain("Secret/shop/sh.helm.release.v1.app.v1 data.release.config.auth.githubToken");
    expect(found).toContain("Secret/shop/sh.helm.release.v1.app.v1 data.release.manifest[ConfigMap/rendered].data.DB_URL");
    expect(found.some((line) => line.includes("/opaque "))).toBe(false);
    expect(found.some((line) => line.includes("/clean "))).toBe(false);
    expect(run.stdout + run.stderr).not.toContain(opaquePassword);
    for (const secret of [aws, gh, db.password]) expect(run.stdout + run.stderr).not.toContain(secret);
  });

  itKubectl("the same findings with one page or many", async () => {
    const small = findingsOf((await scan(["-o", "json", "--page-size", "1"])).stdout);
    const large = findingsOf((await scan(["-o", "json"])).stdout);
    expect(small.length).toBeGreaterThanOrEqual(11);
    expect(small).toEqual(large);
  });

  itKubectl("-n limits the scan to one namespace", async () => {
    const run = await scan(["-o", "json", "-n", "default"]);
    expect(run.status).toBe(1);
    const findings = findingsOf(run.stdout);
    expect(new Set(findings.map((f) => f.resource.namespace))).toEqual(new Set(["default"]));
    expect(findings.map((f) => f.resource.name)).toContain("applied");
  });

  itKubectl("SARIF locations are k8s://namespace/kind/name and the log validates", async () => {
    const run = await scan(["-o", "sarif", "-n", "shop"]);
    expect(run.status).toBe(1);
    const log = JSON.parse(run.stdout) as { runs: { results: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] };
    const ajv = new Ajv({ strict: false });
    addFormats.default(ajv);
    expect(ajv.compile(SARIF_2_1_0_REQUIRED_SCHEMA)(log)).toBe(true);
    const uris = new Set(log.runs[0]?.results.map((r) => r.locations[0]?.physicalLocation.artifactLocation.uri));
    expect(uris).toContain("k8s://shop/Deployment/web");
    expect(uris).toContain("k8s://shop/ConfigMap/cm-0");
  });

  itKubectl("exits 0 on a namespace without findings, and 140 for an unknown context", async () => {
    const clean = await runCofferAsync(["scan", "--cluster", "--kubeconfig", cluster.kubeconfigPath, "-n", "kube-public"]);
    expect(clean.status, clean.stderr).toBe(0);
    const unknown = await scan(["--context", "nope"]);
    expect(unknown.status).toBe(140);
  });
});
