/** Entry for bench/cluster.mjs: the harness and the real-client helpers, in one bundle. */
export { startCluster, type Cluster, type ClusterOptions } from "./harness.js";
export { clusterAvailable, missingClusterParts } from "./paths.js";
export { etcdGet, kubectl, run } from "./tools.js";
