/**
 * Reading what a scan looks at from a live cluster, read-only, one page at a time (`limit` +
 * `continue`), so memory stays bounded by the page size however many objects there are.
 * Secrets are listed only with the Helm release type (a server-side field selector): other
 * Secrets are meant to hold credentials and are never read.
 */
import type { KubeClient } from "../kube/client.js";
import { KubeApiError } from "../kube/client.js";
import { isRecord } from "../records.js";
import { HELM_RELEASE_TYPE } from "./helm-release.js";

export interface ClusterResource {
  kind: string;
  /** API group/version path prefix: `/api/v1` or `/apis/apps/v1`. */
  prefix: string;
  plural: string;
  fieldSelector?: string;
  /** Tried when the first prefix is not served (404), e.g. CronJob on clusters before 1.21. */
  fallbackPrefix?: string;
}

export const CLUSTER_RESOURCES: readonly ClusterResource[] = [
  { kind: "ConfigMap", prefix: "/api/v1", plural: "configmaps" },
  { kind: "Pod", prefix: "/api/v1", plural: "pods" },
  { kind: "ReplicationController", prefix: "/api/v1", plural: "replicationcontrollers" },
  { kind: "PodTemplate", prefix: "/api/v1", plural: "podtemplates" },
  { kind: "Deployment", prefix: "/apis/apps/v1", plural: "deployments" },
  { kind: "StatefulSet", prefix: "/apis/apps/v1", plural: "statefulsets" },
  { kind: "DaemonSet", prefix: "/apis/apps/v1", plural: "daemonsets" },
  { kind: "ReplicaSet", prefix: "/apis/apps/v1", plural: "replicasets" },
  { kind: "Job", prefix: "/apis/batch/v1", plural: "jobs" },
  { kind: "CronJob", prefix: "/apis/batch/v1", plural: "cronjobs", fallbackPrefix: "/apis/batch/v1beta1" },
  { kind: "Secret", prefix: "/api/v1", plural: "secrets", fieldSelector: `type=${HELM_RELEASE_TYPE}` },
];

/** Kinds whose objects are scanned through their owner: a controller-owned Pod repeats its template. */
const SCANNED_OWNERS = new Set(["ReplicaSet", "Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob", "ReplicationController"]);

interface ListResponse {
  items?: unknown[];
  metadata?: { continue?: string };
}

export interface ListOptions {
  namespace?: string | undefined;
  pageSize: number;
}

/** Every object of one resource, page by page; kind is filled in (lists omit it). */
export async function* listObjects(client: KubeClient, resource: ClusterResource, options: ListOptions): AsyncGenerator<Record<string, unknown>[]> {
  let prefix = resource.prefix;
  let token: string | undefined;
  for (;;) {
    const path = `${prefix}${options.namespace === undefined ? "" : `/namespaces/${encodeURIComponent(options.namespace)}`}/${resource.plural}`;
    let page: ListResponse;
    try {
      page = await client.request<ListResponse>({
        method: "GET",
        path,
        query: { limit: options.pageSize, continue: token, fieldSelector: resource.fieldSelector },
        what: { verb: "list", resource: resource.plural, namespace: options.namespace },
      });
    } catch (error) {
      if (error instanceof KubeApiError && error.status === 404 && token === undefined && resource.fallbackPrefix !== undefined && prefix !== resource.fallbackPrefix) {
        prefix = resource.fallbackPrefix;
        continue;
      }
      throw error;
    }
    const items = (page.items ?? []).filter(isRecord).map((item) => ({ ...item, kind: resource.kind }));
    yield items.filter((item) => !ownedByScannedController(item));
    token = page.metadata?.continue || undefined;
    if (token === undefined) return;
  }
}

function ownedByScannedController(obj: Record<string, unknown>): boolean {
  const owners = isRecord(obj.metadata) && Array.isArray(obj.metadata.ownerReferences) ? obj.metadata.ownerReferences : [];
  return owners.some((owner) => isRecord(owner) && owner.controller === true && typeof owner.kind === "string" && SCANNED_OWNERS.has(owner.kind));
}
