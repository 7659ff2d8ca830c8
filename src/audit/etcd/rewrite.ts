/**
 * `--rewrite`: a no-op update of each object through the Kubernetes API (GET, then PUT the same
 * object with its resourceVersion), so kube-apiserver writes it again with its current writing
 * key. kube-apiserver skips writes that change nothing unless the stored value was read with a
 * key other than the first, which is exactly the case of stale, plaintext or old-key objects.
 * A 409 (someone else changed it in between) is retried by reading it again; an object deleted
 * in the meantime is counted as gone. Objects whose etcd key maps to no API path are skipped.
 */
import type { KubeApiError, KubeClient } from "../../kube/client.js";
import { CofferError, isCofferError, type ErrorCode } from "../../errors.js";
import { apiPathFor, formatResourceRef, type ObjectRef } from "./resources.js";

export interface RewriteTarget {
  etcdKey: string;
  object: ObjectRef | undefined;
}

export interface RewriteOutcome {
  etcdKey: string;
  /** `unchanged`: the API server found nothing to re-encrypt (it wrote nothing; same resourceVersion). */
  status: "rewritten" | "unchanged" | "gone" | "skipped" | "failed";
  /** Why it was skipped or failed (one line, no values). */
  reason?: string | undefined;
  code?: ErrorCode | undefined;
}

export interface RewriteSummary {
  rewritten: number;
  unchanged: number;
  gone: number;
  skipped: number;
  failed: number;
  /** Only objects that were skipped or failed, with why. */
  problems: RewriteOutcome[];
}

export interface RewriteOptions {
  concurrency?: number | undefined;
  /** Attempts per object when the update meets a 409 (default 5). */
  conflictAttempts?: number | undefined;
  onProgress?: ((done: number, total: number) => void) | undefined;
}

export const DEFAULT_REWRITE_CONCURRENCY = 8;

interface KubeObject {
  metadata?: { resourceVersion?: string };
}

export async function rewriteObjects(client: KubeClient, targets: readonly RewriteTarget[], options: RewriteOptions = {}): Promise<RewriteSummary> {
  const versions = new Map<string, Promise<string | undefined>>();
  const versionFor = (object: ObjectRef): Promise<string | undefined> => {
    if (object.version !== undefined) return Promise.resolve(object.version);
    let found = versions.get(object.group);
    if (found === undefined) {
      found = preferredVersion(client, object.group);
      versions.set(object.group, found);
    }
    return found;
  };
  const unique = [...new Map(targets.map((t) => [t.etcdKey, t])).values()];
  const outcomes: RewriteOutcome[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < unique.length) {
      const target = unique[next++]!;
      outcomes.push(await rewriteOne(client, target, versionFor, options.conflictAttempts ?? 5));
      options.onProgress?.(outcomes.length, unique.length);
    }
  };
  const concurrency = Math.max(1, Math.min(options.concurrency ?? DEFAULT_REWRITE_CONCURRENCY, unique.length));
  await Promise.all(Array.from({ length: concurrency }, worker));
  const count = (status: RewriteOutcome["status"]) => outcomes.filter((o) => o.status === status).length;
  return {
    rewritten: count("rewritten"),
    unchanged: count("unchanged"),
    gone: count("gone"),
    skipped: count("skipped"),
    failed: count("failed"),
    problems: outcomes.filter((o) => o.status === "skipped" || o.status === "failed").sort((a, b) => a.etcdKey.localeCompare(b.etcdKey)),
  };
}

/** The group's preferred version from discovery (custom resources, aggregated APIs). */
async function preferredVersion(client: KubeClient, group: string): Promise<string | undefined> {
  try {
    const res = await client.request<{ preferredVersion?: { version?: string } }>({ method: "GET", path: `/apis/${group}`, what: { verb: "get", resource: `apis/${group}` } });
    return res.preferredVersion?.version;
  } catch (error) {
    if (isCofferError(error) && (error as KubeApiError).status === 404) return undefined;
    throw error;
  }
}

async function rewriteOne(
  client: KubeClient,
  target: RewriteTarget,
  versionFor: (object: ObjectRef) => Promise<string | undefined>,
  attempts: number,
): Promise<RewriteOutcome> {
  const { etcdKey, object } = target;
  if (object === undefined) return { etcdKey, status: "skipped", reason: "the etcd key maps to no API object" };
  const resource = formatResourceRef(object);
  try {
    const version = await versionFor(object);
    if (version === undefined) return { etcdKey, status: "skipped", reason: `the API server serves no group ${object.group}` };
    const path = apiPathFor(object, version);
    const what = { resource, namespace: object.namespace, name: object.name };
    for (let attempt = 1; ; attempt++) {
      const current = await client.request<KubeObject>({ method: "GET", path, what: { verb: "get", ...what } });
      if (current?.metadata?.resourceVersion === undefined) throw new CofferError("CLUSTER_REQUEST_FAILED", `get ${resource} ${object.name}: no resourceVersion in the answer`);
      try {
        const updated = await client.request<KubeObject>({ method: "PUT", path, body: current, what: { verb: "update", ...what } });
        const same = updated?.metadata?.resourceVersion === current.metadata.resourceVersion;
        return { etcdKey, status: same ? "unchanged" : "rewritten" };
      } catch (error) {
        if (isCofferError(error, "CLUSTER_CONFLICT") && attempt < attempts) continue;
        throw error;
      }
    }
  } catch (error) {
    if (isCofferError(error) && (error as KubeApiError).status === 404) return { etcdKey, status: "gone" };
    if (isCofferError(error)) return { etcdKey, status: "failed", reason: error.message, code: error.code };
    throw error;
  }
}

/**
 * After a rewrite with failures: one error for the run. All failing the same way (e.g. 403
 * everywhere) gives that error's code; different errors give OBJECTS_FAILED.
 */
export function rewriteFailure(summary: RewriteSummary): CofferError | undefined {
  const failed = summary.problems.filter((p) => p.status === "failed");
  if (failed.length === 0) return undefined;
  const codes = new Set(failed.map((p) => p.code ?? "CLUSTER_REQUEST_FAILED"));
  const first = failed[0]!;
  const code: ErrorCode = codes.size === 1 ? [...codes][0]! : "OBJECTS_FAILED";
  return new CofferError(code, `${failed.length} object(s) could not be rewritten; first: ${first.etcdKey}: ${first.reason ?? "failed"}`, {
    hint:
      code === "CLUSTER_DENIED"
        ? "--rewrite needs get and update on each resource it rewrites (kubectl auth can-i update secrets -A)"
        : "see the rewrite section of the report for each object; run the rewrite again once fixed",
  });
}
