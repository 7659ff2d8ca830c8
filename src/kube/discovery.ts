/**
 * API discovery for arbitrary kinds: `/api/v1` and `/apis/GROUP/VERSION` resource lists map a
 * kind to its plural resource name and whether it is namespaced. One request per group version
 * per run (concurrent lookups share it, failures included).
 */
import { CofferError } from "../errors.js";
import { KubeApiError, type KubeClient } from "./client.js";

export interface ResourceType {
  group: string;
  version: string;
  kind: string;
  /** The plural resource name used in paths, e.g. `secrets`. */
  plural: string;
  namespaced: boolean;
}

interface ApiResource {
  name: string;
  kind: string;
  namespaced: boolean;
}

/** Splits `apps/v1` into group and version (`v1` is the core group ""). */
export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf("/");
  return slash === -1 ? { group: "", version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

function groupVersionPath(group: string, version: string): string {
  return group === "" ? `/api/${version}` : `/apis/${group}/${version}`;
}

/** The API path of a collection (no name) or an object. */
export function resourcePath(type: ResourceType, namespace: string | undefined, name?: string): string {
  const base = groupVersionPath(type.group, type.version);
  const scoped = type.namespaced && namespace !== undefined ? `${base}/namespaces/${encodeURIComponent(namespace)}/${type.plural}` : `${base}/${type.plural}`;
  return name === undefined ? scoped : `${scoped}/${encodeURIComponent(name)}`;
}

export class Discovery {
  private readonly lists = new Map<string, Promise<ApiResource[] | undefined>>();

  constructor(private readonly client: KubeClient) {}

  /** The resource type serving `kind` in `apiVersion`; KIND_UNKNOWN when the cluster has none. */
  async resolve(apiVersion: string, kind: string): Promise<ResourceType> {
    const { group, version } = splitApiVersion(apiVersion);
    const resources = await this.list(group, version);
    const found = resources?.find((resource) => resource.kind === kind && !resource.name.includes("/"));
    if (found === undefined) {
      throw new CofferError("KIND_UNKNOWN", `the cluster serves no resource of kind ${kind} in ${apiVersion}`, {
        hint: resources === undefined ? `check the apiVersion; if ${apiVersion} comes from a CRD, install it first` : `check the kind's spelling (kubectl api-resources --api-group=${group})`,
      });
    }
    return { group, version, kind, plural: found.name, namespaced: found.namespaced };
  }

  private list(group: string, version: string): Promise<ApiResource[] | undefined> {
    const key = `${group}/${version}`;
    let pending = this.lists.get(key);
    if (pending === undefined) {
      pending = this.client
        .request<{ resources?: ApiResource[] }>({
          method: "GET",
          path: groupVersionPath(group, version),
          what: { verb: "get", resource: `API discovery for ${group === "" ? version : key}` },
        })
        .then(
          (list) => list.resources ?? [],
          (error: unknown) => {
            if (error instanceof KubeApiError && error.status === 404) return undefined;
            throw error;
          },
        );
      // A failure is kept too: the client already retried, and an unreachable or refusing
      // server should fail every object at once rather than be retried once per object.
      this.lists.set(key, pending);
    }
    return pending;
  }
}
