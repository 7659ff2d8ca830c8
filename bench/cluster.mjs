// A real etcd + kube-apiserver for benchmarks: the test harness (test/cluster/harness.ts),
// bundled on the fly with esbuild so plain `node bench/run.mjs` can start it.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";

let loaded;

/** startCluster() from test/cluster/harness.ts; the same options and returned Cluster. */
export async function startBenchCluster(options = {}) {
  if (loaded === undefined) {
    const dir = mkdtempSync(join(tmpdir(), "coffer-bench-harness-"));
    const outfile = join(dir, "harness.mjs");
    await build({
      entryPoints: [new URL("../test/cluster/index.ts", import.meta.url).pathname],
      bundle: true,
      platform: "node",
      format: "esm",
      outfile,
      logLevel: "error",
    });
    loaded = await import(pathToFileURL(outfile).href);
    rmSync(dir, { recursive: true, force: true });
  }
  if (loaded.missingClusterParts().length > 0) {
    throw new Error(`cannot start a cluster: missing ${loaded.missingClusterParts().join(", ")} (run scripts/build-kube-apiserver.sh)`);
  }
  return loaded.startCluster(options);
}

/** kubectl(cluster, args, input) and etcdGet(cluster, key) from test/cluster/tools.ts. */
export async function clusterTools() {
  if (loaded === undefined) throw new Error("call startBenchCluster() first");
  return { kubectl: loaded.kubectl, etcdGet: loaded.etcdGet, run: loaded.run };
}
