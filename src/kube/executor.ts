/**
 * Performs an apply plan: for each object, read the live object, then server-side apply
 * (PATCH `application/apply-patch+yaml`, fieldManager=coffer; `dryRun=All` for a dry run),
 * with a bound on requests in flight. A failure is kept per object; the others go on.
 */
import { CofferError } from "../errors.js";
import { mapWithConcurrency } from "../keys/concurrency.js";
import { KubeApiError, type KubeClient } from "./client.js";
import { describeRef, FIELD_MANAGER, refKey, type PlanItem } from "./apply-plan.js";
import { diffObject, fingerprintIdentity, secretDataChanged, type ObjectDiff } from "./diff.js";
import { resourcePath, type Discovery } from "./discovery.js";
import type { Fingerprinter } from "./fingerprint.js";
import type { KubeObject } from "./manifests.js";
import { liveGroupKey, type LiveState } from "./live-state.js";

export interface ApplyOutcome {
  item: PlanItem;
  /** The namespace, or undefined for a cluster-scoped kind (known after discovery). */
  namespace?: string | undefined;
  /** refKey with the real scope, for pruning. */
  key?: string;
  action: "created" | "configured" | "unchanged" | "failed";
  diff?: ObjectDiff;
  /** A Secret whose data changed (for --restart-dependents). */
  secretChanged?: boolean;
  error?: unknown;
}

export interface ExecuteOptions {
  dryRun: boolean;
  forceConflicts: boolean;
  concurrency: number;
  fingerprints: Fingerprinter;
  onDone?: ((outcome: ApplyOutcome) => void) | undefined;
  /** Live objects already read in bulk (see live-state.ts). */
  live?: LiveState | undefined;
}

/** A 409 from server-side apply, turned into the managers and fields in conflict. */
export function conflictError(item: PlanItem, namespace: string | undefined, error: KubeApiError): CofferError {
  const causes = error.kubeStatus?.details?.causes ?? [];
  const parts = causes.map((cause) => {
    const manager = /conflict with "([^"]+)"/.exec(cause.message ?? "")?.[1];
    return `${cause.field ?? "a field"}${manager === undefined ? "" : ` (managed by "${manager}")`}`;
  });
  const what = describeRef({ ...item.ref, namespace });
  return new CofferError("CLUSTER_CONFLICT", `conflict applying ${what}: ${parts.length > 0 ? parts.join(", ") : "another field manager owns the fields"}`, {
    hint: "another manager set these fields; re-run with --force-conflicts to take them over",
    cause: error,
  });
}

async function applyOne(client: KubeClient, discovery: Discovery, item: PlanItem, options: ExecuteOptions): Promise<ApplyOutcome> {
  const type = await discovery.resolve(item.ref.apiVersion, item.ref.kind);
  const namespace = type.namespaced ? item.ref.namespace : undefined;
  const body: KubeObject = { ...item.body, metadata: { ...item.body.metadata } };
  if (namespace === undefined) delete body.metadata!.namespace;
  const path = resourcePath(type, namespace, item.ref.name);
  const what = { resource: type.plural, namespace, name: item.ref.name };
  const listed = options.live?.get(liveGroupKey(item));
  const live =
    listed !== undefined
      ? listed.get(item.ref.name)
      : await client.request<KubeObject>({ method: "GET", path, what: { verb: "get", ...what } }).catch((error: unknown) => {
          if (error instanceof KubeApiError && error.status === 404) return undefined;
          throw error;
        });
  let result: KubeObject;
  try {
    result = await client.request<KubeObject>({
      method: "PATCH",
      path,
      query: { fieldManager: FIELD_MANAGER, force: options.forceConflicts ? true : undefined, dryRun: options.dryRun ? "All" : undefined },
      contentType: "application/apply-patch+yaml",
      body,
      what: { verb: "patch", ...what },
    });
  } catch (error) {
    if (error instanceof KubeApiError && error.status === 409) throw conflictError(item, namespace, error);
    throw error;
  }
  // Diffs (fingerprints, field walks) cost CPU: only for dry runs (--diff is one).
  const diff = options.dryRun ? diffObject(fingerprintIdentity(item.ref.apiVersion, item.ref.kind, item.ref.name), item.ref.kind, live, result, options.fingerprints) : undefined;
  // A real apply that left resourceVersion alone changed nothing.
  const sameVersion = live !== undefined && live.metadata?.resourceVersion === result.metadata?.resourceVersion;
  const action = diff !== undefined ? diff.action : live === undefined ? "created" : sameVersion ? "unchanged" : "configured";
  return {
    item,
    namespace,
    key: refKey({ ...item.ref, namespace }),
    action,
    ...(diff === undefined ? {} : { diff }),
    secretChanged: item.ref.kind === "Secret" && type.group === "" && secretDataChanged(live, result),
  };
}

/** Applies every item of `items` (at most `concurrency` requests in flight); never throws. */
export async function executeApply(client: KubeClient, discovery: Discovery, items: readonly PlanItem[], options: ExecuteOptions): Promise<ApplyOutcome[]> {
  return mapWithConcurrency(items, options.concurrency, async (item) => {
    let outcome: ApplyOutcome;
    try {
      outcome = await applyOne(client, discovery, item, options);
    } catch (error) {
      outcome = { item, namespace: item.ref.namespace, action: "failed", error };
    }
    options.onDone?.(outcome);
    return outcome;
  });
}
