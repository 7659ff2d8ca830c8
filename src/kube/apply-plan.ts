/**
 * The apply plan (pure data): which objects to apply, in which namespace, with what body. Bodies
 * lose `kubectl.kubernetes.io/last-applied-configuration` (it would hold plaintext) and, with a
 * prune set, gain the `coffer.dev/prune-set` label. Cluster-scoped kinds drop their namespace
 * later, once discovery says so.
 */
import { CofferError } from "../errors.js";
import { splitApiVersion } from "./discovery.js";
import type { KubeObject, SourcedObject } from "./manifests.js";

export const LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";
export const PRUNE_SET_LABEL = "coffer.dev/prune-set";
export const FIELD_MANAGER = "coffer";

/** Which object: enough to find it in the cluster and to name it in messages. */
export interface ObjectRef {
  apiVersion: string;
  kind: string;
  name: string;
  /** The namespace the object goes to if its kind is namespaced. */
  namespace: string;
}

export interface PlanItem {
  ref: ObjectRef;
  body: KubeObject;
  source: string;
}

export interface ApplyPlan {
  /** Applied first: Namespaces and CustomResourceDefinitions (later objects may need them). */
  first: PlanItem[];
  rest: PlanItem[];
  /** Objects whose last-applied annotation was removed. */
  strippedLastApplied: number;
}

export interface PlanOptions {
  /** `-n`: the namespace for objects that name none; objects naming another one are refused. */
  namespace?: string | undefined;
  /** The kubeconfig context's namespace, for objects that name none when `-n` is absent. */
  defaultNamespace: string;
  pruneSet?: string | undefined;
}

const LABEL_VALUE = /^(?:[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)$/;

/** Refuses a prune-set name that is not a valid label value. */
export function checkPruneSet(name: string): void {
  if (!LABEL_VALUE.test(name)) {
    throw new CofferError("USAGE", `--prune-set '${name}' is not a valid label value`, {
      hint: "use at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit",
    });
  }
}

export function describeRef(ref: Pick<ObjectRef, "kind" | "name"> & { namespace?: string | undefined }): string {
  return `${ref.kind}/${ref.name}${ref.namespace === undefined ? "" : ` in namespace ${ref.namespace}`}`;
}

export function refKey(ref: Pick<ObjectRef, "apiVersion" | "kind" | "name"> & { namespace?: string | undefined }): string {
  return `${splitApiVersion(ref.apiVersion).group}|${ref.kind}|${ref.namespace ?? ""}|${ref.name}`;
}

function field(object: KubeObject, name: "apiVersion" | "kind", source: string): string {
  const value = object[name];
  if (typeof value !== "string" || value === "") {
    throw new CofferError("MANIFEST_INVALID", `${source}: the object has no ${name}`, { hint: "every manifest needs apiVersion, kind and metadata.name" });
  }
  return value;
}

/** The body to send: a copy without the last-applied annotation, with the prune-set label. */
function bodyFor(object: KubeObject, namespace: string, pruneSet: string | undefined): { body: KubeObject; stripped: boolean } {
  const metadata = { ...(object.metadata ?? {}) };
  let stripped = false;
  const annotations = metadata.annotations;
  if (typeof annotations === "object" && annotations !== null && LAST_APPLIED in annotations) {
    const rest = { ...(annotations as Record<string, unknown>) };
    delete rest[LAST_APPLIED];
    metadata.annotations = rest;
    stripped = true;
  }
  if (pruneSet !== undefined) metadata.labels = { ...((metadata.labels as Record<string, unknown> | undefined) ?? {}), [PRUNE_SET_LABEL]: pruneSet };
  metadata.namespace = namespace;
  return { body: { ...object, metadata }, stripped };
}

/** Builds the plan; refuses objects without identity, duplicates, and namespaces contradicting `-n`. */
export function buildApplyPlan(objects: readonly SourcedObject[], options: PlanOptions): ApplyPlan {
  const plan: ApplyPlan = { first: [], rest: [], strippedLastApplied: 0 };
  const seen = new Map<string, string>();
  for (const { object, source } of objects) {
    const apiVersion = field(object, "apiVersion", source);
    const kind = field(object, "kind", source);
    const name = object.metadata?.name;
    if (typeof name !== "string" || name === "") {
      throw new CofferError("MANIFEST_INVALID", `${source}: the ${kind} has no metadata.name`, { hint: "generateName is not supported by apply; give the object a name" });
    }
    const own = object.metadata?.namespace;
    if (own !== undefined && typeof own !== "string") throw new CofferError("MANIFEST_INVALID", `${source}: metadata.namespace of ${kind}/${name} is not a string`);
    if (own !== undefined && own !== "" && options.namespace !== undefined && own !== options.namespace) {
      throw new CofferError("MANIFEST_INVALID", `${source}: ${kind}/${name} names namespace ${own}, but -n says ${options.namespace}`, {
        hint: "drop -n, or remove metadata.namespace from the manifest",
      });
    }
    const namespace = own !== undefined && own !== "" ? own : (options.namespace ?? options.defaultNamespace);
    const ref: ObjectRef = { apiVersion, kind, name, namespace };
    const key = refKey(ref);
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      throw new CofferError("MANIFEST_INVALID", `${describeRef(ref)} is defined twice (${earlier} and ${source})`, { hint: "keep one definition of each object" });
    }
    seen.set(key, source);
    const { body, stripped } = bodyFor(object, namespace, options.pruneSet);
    if (stripped) plan.strippedLastApplied++;
    const item = { ref, body, source };
    if (kind === "Namespace" || kind === "CustomResourceDefinition") plan.first.push(item);
    else plan.rest.push(item);
  }
  return plan;
}
