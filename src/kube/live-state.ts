/**
 * The live objects before an apply, read in bulk where that is cheaper: one paginated LIST per
 * kind and namespace holding many of the input's objects, instead of a GET per object. Where the
 * LIST is refused (RBAC may grant get but not list) or the group is small, objects are read one
 * by one by the executor.
 */
import type { KubeClient } from "./client.js";
import type { PlanItem } from "./apply-plan.js";
import { resourcePath, type Discovery } from "./discovery.js";
import type { KubeObject } from "./manifests.js";

/** Below this many objects of one kind in one namespace, GETs are cheaper than a LIST. */
export const BULK_READ_THRESHOLD = 16;
const PAGE = 500;

/** Live objects by `apiVersion|kind|namespace`, then by name; a group absent here was not listed. */
export type LiveState = Map<string, Map<string, KubeObject>>;

export function liveGroupKey(item: PlanItem): string {
  return `${item.ref.apiVersion}|${item.ref.kind}|${item.ref.namespace}`;
}

export async function readLiveInBulk(client: KubeClient, discovery: Discovery, items: readonly PlanItem[]): Promise<LiveState> {
  const groups = new Map<string, PlanItem[]>();
  for (const item of items) {
    const key = liveGroupKey(item);
    const members = groups.get(key);
    if (members === undefined) groups.set(key, [item]);
    else members.push(item);
  }
  const state: LiveState = new Map();
  await Promise.all(
    [...groups].filter(([, members]) => members.length >= BULK_READ_THRESHOLD).map(async ([key, members]) => {
      const { apiVersion, kind, namespace } = members[0]!.ref;
      try {
        const type = await discovery.resolve(apiVersion, kind);
        if (!type.namespaced) return;
        const byName = new Map<string, KubeObject>();
        let token: string | undefined;
        do {
          const page: { items?: KubeObject[]; metadata?: { continue?: string } } = await client.request({
            method: "GET",
            path: resourcePath(type, namespace),
            query: { limit: PAGE, continue: token },
            what: { verb: "list", resource: type.plural, namespace },
          });
          for (const object of page.items ?? []) {
            const name = object.metadata?.name;
            // List items carry no apiVersion/kind; the executor compares them with full objects.
            if (typeof name === "string") byName.set(name, { apiVersion, kind, ...object });
          }
          token = page.metadata?.continue === "" ? undefined : page.metadata?.continue;
        } while (token !== undefined);
        state.set(key, byName);
      } catch {
        // Refused or failed: the executor reads these objects one by one (and reports errors then).
      }
    }),
  );
  return state;
}
