// `coffer scan --cluster` over 5,000 ConfigMaps in a real kube-apiserver (one in ten holding a
// fake AWS key), listed 500 per page so memory stays bounded, beside `kubectl get configmaps -A
// -o json` of the same objects in the same run (one unpaginated read, no scanning: the floor of
// reading everything). Peak RSS of both comes from /usr/bin/time when present. Populating the
// cluster (bounded-concurrency POSTs through Coffer's KubeClient) is not measured.
import { randomBytes } from "node:crypto";
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { startBenchCluster } from "./cluster.mjs";
import { median, printWhenRunDirectly } from "./lib.mjs";

const CONFIGMAPS = 5000;
const PAGE_SIZE = 500;
const CONCURRENCY = 32;
const RUNS = 3;
const TIME = "/usr/bin/time";

/** Runs argv, accepting the given exit statuses; resolves with wall time (ms) and peak RSS (KiB, when measurable). */
function run(argv, okStatuses, env) {
  const withTime = existsSync(TIME) ? [TIME, "-f", "__maxrss=%M", ...argv] : argv;
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(withTime[0], withTime.slice(1), { env, stdio: ["ignore", "ignore", "pipe"] });
    const err = [];
    child.stderr.on("data", (chunk) => err.push(chunk));
    child.on("error", reject);
    child.on("close", (status) => {
      const ms = performance.now() - started;
      const stderr = Buffer.concat(err).toString();
      if (!okStatuses.includes(status)) return reject(new Error(`${argv.join(" ")} exited ${status}: ${stderr.slice(-500)}`));
      const rss = /__maxrss=(\d+)/.exec(stderr);
      resolve({ ms, rssKiB: rss === null ? undefined : Number(rss[1]) });
    });
  });
}

async function populate(cluster) {
  const { connectToCluster } = await import("../dist/src/kube/connect.js");
  const { client } = await connectToCluster({ kubeconfig: cluster.kubeconfigPath, env: {}, homeDir: cluster.dir });
  try {
    // A made-up but realistic-looking access key id: AKIA + 16 random base32 characters.
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    const fakeKey = () => `AKIA${Array.from(randomBytes(16), (b) => alphabet[b % 32]).join("")}`;
    let next = 0;
    const worker = async () => {
      while (next < CONFIGMAPS) {
        const i = next++;
        const data = { LOG_LEVEL: "info", FEATURE_FLAGS: "a,b,c", REGION: "eu-west-1", ...(i % 10 === 0 ? { AWS_ACCESS_KEY_ID: fakeKey() } : {}) };
        await client.request({
          method: "POST",
          path: "/api/v1/namespaces/default/configmaps",
          body: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: `cm-${i}` }, data },
          what: { verb: "create", resource: "configmaps", namespace: "default" },
        });
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  } finally {
    client.close();
  }
}

export async function benchScanCluster() {
  const cluster = await startBenchCluster();
  try {
    await populate(cluster);
    const env = { PATH: process.env.PATH, HOME: cluster.dir, NO_COLOR: "1" };
    const coffer = [process.execPath, "bin/coffer.js", "scan", "--cluster", "--kubeconfig", cluster.kubeconfigPath, "--page-size", String(PAGE_SIZE), "-o", "json"];
    const kubectl = ["kubectl", "--kubeconfig", cluster.kubeconfigPath, "--cache-dir", join(cluster.dir, "kube-cache"), "get", "configmaps", "-A", "-o", "json"];
    await run(coffer, [1], env);
    await run(kubectl, [0], env);
    const scans = [];
    const gets = [];
    for (let i = 0; i < RUNS; i++) {
      scans.push(await run(coffer, [1], env));
      gets.push(await run(kubectl, [0], env));
    }
    const rss = (runs) => (runs.every((r) => r.rssKiB !== undefined) ? `${Math.round(Math.max(...runs.map((r) => r.rssKiB)) / 1024)} MB` : "n/a");
    return [
      {
        name: `scan --cluster, ${CONFIGMAPS} ConfigMaps, pages of ${PAGE_SIZE} (peak RSS ${rss(scans)}; kubectl ${rss(gets)})`,
        subject: median(scans.map((r) => r.ms)),
        baselineName: "kubectl get configmaps -A -o json",
        baseline: median(gets.map((r) => r.ms)),
      },
    ];
  } finally {
    await cluster.stop();
  }
}

await printWhenRunDirectly(import.meta.url, benchScanCluster);
