/**
 * `--prune --prune-set NAME`: delete the objects that carry `coffer.dev/prune-set=NAME`, are
 * managed by coffer, and are no longer in the input. Nothing else is ever deleted. The kinds
 * looked at are Secrets, ConfigMaps and every kind in the input. Deletes name the object's uid
 * as a precondition, so an object recreated meanwhile is left alone.
 */
import { KubeApiError, type KubeClient } from "./client.js";
import { FIELD_MANAGER, PRUNE_SET_LABEL, refKey } from "./apply-plan.js";
import { resourcePath, type Discovery, type ResourceType } from "./discovery.js";
import type { KubeObject } from "./manifests.js";

export interface PruneTarget {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string | undefined;
  uid: string;
  type: ResourceType;
}

function managedByCoffer(object: KubeObject): boolean {
  const fields = object.metadata?.managedFields;
  return Array.isArray(fields) && fields.some((entry) => (entry as { manager?: unknown }).manager === FIELD_MANAGER);
}

/**
 * The objects to delete. Lists cluster-wide by label; when that is forbidden, lists in
 * `namespaces` (those of the input) instead and calls `onFallback`.
 */
export async function findPruneTargets(
  client: KubeClient,
  discovery: Discovery,
  options: { set: string; kinds: ReadonlyArray<{ apiVersion: string; kind: string }>; keep: ReadonlySet<string>; namespaces: readonly string[]; onFallback: (resource: string) => void },
): Promise<PruneTarget[]> {
  const labelSelector = `${PRUNE_SET_LABEL}=${options.set}`;
  const kinds = new Map<string, { apiVersion: string; kind: string }>();
  for (const kind of [{ apiVersion: "v1", kind: "Secret" }, { apiVersion: "v1", kind: "ConfigMap" }, ...options.kinds]) kinds.set(`${kind.apiVersion}|${kind.kind}`, kind);
  const found = await Promise.all(
    [...kinds.values()].map(async ({ apiVersion, kind }) => {
      const type = await discovery.resolve(apiVersion, kind);
      const list = (namespace: string | undefined) =>
        client
          .request<{ items?: KubeObject[] }>({ method: "GET", path: resourcePath(type, namespace), query: { labelSelector }, what: { verb: "list", resource: type.plural, namespace } })
          .then((answer) => answer.items ?? []);
      let items: KubeObject[];
      try {
        items = await list(undefined);
      } catch (error) {
        if (!(type.namespaced && error instanceof KubeApiError && error.status === 403)) throw error;
        options.onFallback(type.plural);
        items = (await Promise.all(options.namespaces.map((namespace) => list(namespace)))).flat();
      }
      return items.flatMap((object): PruneTarget[] => {
        const name = object.metadata?.name;
        const uid = object.metadata?.uid;
        const namespace = type.namespaced ? (object.metadata?.namespace as string | undefined) : undefined;
        if (typeof name !== "string" || typeof uid !== "string") return [];
        if ((object.metadata?.labels as Record<string, unknown> | undefined)?.[PRUNE_SET_LABEL] !== options.set) return [];
        if (!managedByCoffer(object) || options.keep.has(refKey({ apiVersion, kind, name, namespace }))) return [];
        return [{ apiVersion, kind, name, namespace, uid, type }];
      });
    }),
  );
  return found.flat().sort((a, b) => `${a.kind}/${a.namespace ?? ""}/${a.name}`.localeCompare(`${b.kind}/${b.namespace ?? ""}/${b.name}`));
}

/** Deletes one prune target (or asks the server to pretend, with `dryRun`). */
export async function deleteTarget(client: KubeClient, target: PruneTarget, dryRun: boolean): Promise<void> {
  await client.request({
    method: "DELETE",
    path: resourcePath(target.type, target.namespace, target.name),
    // The server reads DeleteOptions from the body and ignores query parameters then: dryRun goes here.
    body: { apiVersion: "v1", kind: "DeleteOptions", propagationPolicy: "Background", preconditions: { uid: target.uid }, ...(dryRun ? { dryRun: ["All"] } : {}) },
    what: { verb: "delete", resource: target.type.plural, namespace: target.namespace, name: target.name },
  });
}
