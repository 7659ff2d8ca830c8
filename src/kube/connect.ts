/** One call for commands that talk to a cluster: resolve the kubeconfig and open a client. */
import { KubeClient, type KubeClientOptions } from "./client.js";
import { loadKubeConfig, type KubeConfigOptions } from "./kubeconfig.js";

export interface ClusterConnection {
  client: KubeClient;
  /** The namespace of the kubeconfig context (or the pod's), used when none is given. */
  defaultNamespace: string;
  /** Where the configuration came from (file paths or "in-cluster service account"). */
  source: string;
}

export async function connectToCluster(options: KubeConfigOptions & { client?: KubeClientOptions }): Promise<ClusterConnection> {
  const resolved = await loadKubeConfig(options);
  return {
    client: new KubeClient(resolved.access, options.client ?? {}),
    defaultNamespace: resolved.namespace,
    source: resolved.source,
  };
}
