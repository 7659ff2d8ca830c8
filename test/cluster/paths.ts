/** Where the real parts live: Debian's etcd and kubectl, and the apiserver cached by scripts/build-kube-apiserver.sh. */
import { accessSync, constants } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

export const ETCD = "/usr/bin/etcd";
export const ETCDCTL = "/usr/bin/etcdctl";
export const KUBECTL = "/usr/bin/kubectl";

/** The cached kube-apiserver v1.20.2 (same default and override as the build script). */
export function kubeApiserverPath(): string {
  return process.env.COFFER_KUBE_APISERVER ?? join(homedir(), ".cache", "coffer", "kube-apiserver-v1.20.2");
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The parts startCluster() needs that are missing here (empty when a cluster can start). */
export function missingClusterParts(): string[] {
  return [ETCD, ETCDCTL, kubeApiserverPath()].filter((path) => !executable(path));
}

/** True when etcd, etcdctl and the cached kube-apiserver are all present. */
export function clusterAvailable(): boolean {
  return missingClusterParts().length === 0;
}
