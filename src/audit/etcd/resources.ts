/**
 * Where kube-apiserver keeps each resource in etcd, and back: `/registry/<dir>/[<ns>/]<name>`.
 * Built-in resources live under their plural name (a few under historical ones: nodes under
 * `minions`, services under `services/specs`); custom resources and aggregated APIs under
 * `/registry/<group>/<resource>/`. The table also gives the API version to call for `--rewrite`.
 */

export interface BuiltinResource {
  resource: string;
  /** API group, "" for core. */
  group: string;
  version: string;
  /** The directory under /registry/ (no slashes at either end). */
  dir: string;
  namespaced: boolean;
}

const ROWS: Array<[resource: string, groupVersion: string, dir: string | undefined, namespaced: boolean]> = [
  ["secrets", "v1", undefined, true],
  ["configmaps", "v1", undefined, true],
  ["pods", "v1", undefined, true],
  ["services", "v1", "services/specs", true],
  ["endpoints", "v1", "services/endpoints", true],
  ["serviceaccounts", "v1", undefined, true],
  ["persistentvolumeclaims", "v1", undefined, true],
  ["persistentvolumes", "v1", undefined, false],
  ["namespaces", "v1", undefined, false],
  ["nodes", "v1", "minions", false],
  ["events", "v1", undefined, true],
  ["limitranges", "v1", undefined, true],
  ["resourcequotas", "v1", undefined, true],
  ["replicationcontrollers", "v1", "controllers", true],
  ["podtemplates", "v1", undefined, true],
  ["deployments", "apps/v1", undefined, true],
  ["statefulsets", "apps/v1", undefined, true],
  ["daemonsets", "apps/v1", undefined, true],
  ["replicasets", "apps/v1", undefined, true],
  ["controllerrevisions", "apps/v1", undefined, true],
  ["jobs", "batch/v1", undefined, true],
  ["cronjobs", "batch/v1beta1", undefined, true],
  ["horizontalpodautoscalers", "autoscaling/v1", undefined, true],
  ["poddisruptionbudgets", "policy/v1beta1", undefined, true],
  ["podsecuritypolicies", "policy/v1beta1", "podsecuritypolicy", false],
  ["networkpolicies", "networking.k8s.io/v1", undefined, true],
  ["ingresses", "networking.k8s.io/v1", "ingress", true],
  ["ingressclasses", "networking.k8s.io/v1", undefined, false],
  ["roles", "rbac.authorization.k8s.io/v1", undefined, true],
  ["rolebindings", "rbac.authorization.k8s.io/v1", undefined, true],
  ["clusterroles", "rbac.authorization.k8s.io/v1", undefined, false],
  ["clusterrolebindings", "rbac.authorization.k8s.io/v1", undefined, false],
  ["storageclasses", "storage.k8s.io/v1", undefined, false],
  ["csidrivers", "storage.k8s.io/v1", undefined, false],
  ["csinodes", "storage.k8s.io/v1", undefined, false],
  ["volumeattachments", "storage.k8s.io/v1", undefined, false],
  ["priorityclasses", "scheduling.k8s.io/v1", undefined, false],
  ["leases", "coordination.k8s.io/v1", undefined, true],
  ["validatingwebhookconfigurations", "admissionregistration.k8s.io/v1", undefined, false],
  ["mutatingwebhookconfigurations", "admissionregistration.k8s.io/v1", undefined, false],
  ["certificatesigningrequests", "certificates.k8s.io/v1", undefined, false],
  ["endpointslices", "discovery.k8s.io/v1beta1", undefined, true],
  ["runtimeclasses", "node.k8s.io/v1", undefined, false],
  ["flowschemas", "flowcontrol.apiserver.k8s.io/v1beta1", undefined, false],
  ["prioritylevelconfigurations", "flowcontrol.apiserver.k8s.io/v1beta1", undefined, false],
  ["customresourcedefinitions", "apiextensions.k8s.io/v1", "apiextensions.k8s.io/customresourcedefinitions", false],
  ["apiservices", "apiregistration.k8s.io/v1", "apiregistration.k8s.io/apiservices", false],
];

export const BUILTIN_RESOURCES: readonly BuiltinResource[] = ROWS.map(([resource, groupVersion, dir, namespaced]) => {
  const slash = groupVersion.lastIndexOf("/");
  return {
    resource,
    group: slash < 0 ? "" : groupVersion.slice(0, slash),
    version: groupVersion.slice(slash + 1),
    dir: dir ?? resource,
    namespaced,
  };
});

/** Longest directory first, so `services/endpoints` wins over a plain `services`. */
const BY_DIR = [...BUILTIN_RESOURCES].sort((a, b) => b.dir.length - a.dir.length);
const BUILTIN_GROUPS = new Set(BUILTIN_RESOURCES.map((row) => row.group));

/** A resource as named on the command line or in a config: `secrets`, `deployments.apps`, `widgets.example.com`. */
export interface ResourceRef {
  resource: string;
  group: string;
}

/** `deployments.apps` -> {deployments, apps}; a bare name is core unless the table says otherwise. */
export function parseResourceRef(text: string): ResourceRef {
  const dot = text.indexOf(".");
  if (dot >= 0) return { resource: text.slice(0, dot), group: text.slice(dot + 1) };
  const row = BUILTIN_RESOURCES.find((r) => r.resource === text);
  return { resource: text, group: row?.group ?? "" };
}

export function formatResourceRef(ref: ResourceRef): string {
  return ref.group === "" ? ref.resource : `${ref.resource}.${ref.group}`;
}

/** The etcd prefix holding every object of `ref`. */
export function etcdPrefixFor(ref: ResourceRef): string {
  const row = BUILTIN_RESOURCES.find((r) => r.resource === ref.resource && r.group === ref.group);
  if (row !== undefined) return `/registry/${row.dir}/`;
  if (ref.group === "" || BUILTIN_GROUPS.has(ref.group)) return `/registry/${ref.resource}/`;
  return `/registry/${ref.group}/${ref.resource}/`;
}

/** One object's etcd key, read back into what it is. */
export interface ObjectRef extends ResourceRef {
  namespace?: string | undefined;
  name: string;
  /** From the built-in table (else unknown: discovered for --rewrite). */
  version?: string | undefined;
}

/**
 * `/registry/secrets/default/db` -> secrets, default, db. Undefined for keys that are not API
 * objects (`/registry/ranges/serviceips`, `/registry/masterleases/...`) or that no rule maps.
 */
export function parseEtcdKey(key: string): ObjectRef | undefined {
  if (!key.startsWith("/registry/")) return undefined;
  const rest = key.slice("/registry/".length);
  const row = BY_DIR.find((r) => rest.startsWith(`${r.dir}/`));
  if (row !== undefined) {
    const parts = rest.slice(row.dir.length + 1).split("/");
    const base = { resource: row.resource, group: row.group, version: row.version };
    if (row.namespaced && parts.length === 2 && parts[0] !== "" && parts[1] !== "") return { ...base, namespace: parts[0], name: parts[1]! };
    if (!row.namespaced && parts.length === 1 && parts[0] !== "") return { ...base, name: parts[0]! };
    return undefined;
  }
  // Custom resources and aggregated APIs: /registry/<group>/<resource>/[<ns>/]<name>.
  const parts = rest.split("/");
  const [group, resource] = parts;
  if (group === undefined || resource === undefined || !group.includes(".") || parts.some((part) => part === "")) return undefined;
  if (parts.length === 4) return { resource, group, namespace: parts[2], name: parts[3]! };
  if (parts.length === 3) return { resource, group, name: parts[2]! };
  return undefined;
}

/** The API path of one object, given the version to call. */
export function apiPathFor(ref: ObjectRef, version: string): string {
  const base = ref.group === "" ? `/api/${version}` : `/apis/${ref.group}/${version}`;
  const ns = ref.namespace === undefined ? "" : `/namespaces/${encodeURIComponent(ref.namespace)}`;
  return `${base}${ns}/${ref.resource}/${encodeURIComponent(ref.name)}`;
}
