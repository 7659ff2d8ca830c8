/**
 * `--restart-dependents`: the Deployments, StatefulSets and DaemonSets of a namespace whose pod
 * template uses a Secret (env valueFrom.secretKeyRef, envFrom.secretRef, secret volumes,
 * projected volume sources; containers and initContainers) get a new
 * `coffer.dev/restartedAt` template annotation, which rolls their pods.
 */
import type { KubeClient } from "./client.js";
import { isRecord, valueAt } from "../records.js";
import { FIELD_MANAGER } from "./apply-plan.js";

export const RESTARTED_AT = "coffer.dev/restartedAt";
const WORKLOADS = [
  { kind: "Deployment", plural: "deployments" },
  { kind: "StatefulSet", plural: "statefulsets" },
  { kind: "DaemonSet", plural: "daemonsets" },
] as const;

type Json = Record<string, unknown>;

function records(value: unknown): Json[] {
  return Array.isArray(value) ? value.filter(isRecord) : [];
}

/** The names of the Secrets a pod spec uses. */
export function secretsUsedBy(podSpec: unknown): Set<string> {
  const names = new Set<string>();
  const add = (name: unknown): void => {
    if (typeof name === "string" && name !== "") names.add(name);
  };
  for (const container of [...records(valueAt(podSpec, ["containers"])), ...records(valueAt(podSpec, ["initContainers"]))]) {
    for (const env of records(container.env)) add(valueAt(env, ["valueFrom", "secretKeyRef", "name"]));
    for (const from of records(container.envFrom)) add(valueAt(from, ["secretRef", "name"]));
  }
  for (const volume of records(valueAt(podSpec, ["volumes"]))) {
    add(valueAt(volume, ["secret", "secretName"]));
    for (const source of records(valueAt(volume, ["projected", "sources"]))) add(valueAt(source, ["secret", "name"]));
  }
  return names;
}

export interface Restart {
  kind: string;
  namespace: string;
  name: string;
  /** The changed Secrets it uses. */
  secrets: string[];
}

/** Finds the workloads using `changed` Secrets in `namespace` and (unless dry-run) restarts them. */
export async function restartDependents(
  client: KubeClient,
  namespace: string,
  changed: ReadonlySet<string>,
  options: { dryRun: boolean; now: Date },
): Promise<Restart[]> {
  const restarts: Restart[] = [];
  await Promise.all(
    WORKLOADS.map(async ({ kind, plural }) => {
      const path = `/apis/apps/v1/namespaces/${encodeURIComponent(namespace)}/${plural}`;
      const list = await client.request<{ items?: Json[] }>({ method: "GET", path, what: { verb: "list", resource: plural, namespace } });
      for (const item of list.items ?? []) {
        const uses = [...secretsUsedBy(valueAt(item, ["spec", "template", "spec"]))].filter((name) => changed.has(name)).sort();
        const name = valueAt(item, ["metadata", "name"]);
        if (uses.length === 0 || typeof name !== "string") continue;
        if (!options.dryRun) {
          await client.request({
            method: "PATCH",
            path: `${path}/${encodeURIComponent(name)}`,
            query: { fieldManager: FIELD_MANAGER },
            contentType: "application/merge-patch+json",
            body: { spec: { template: { metadata: { annotations: { [RESTARTED_AT]: options.now.toISOString() } } } } },
            what: { verb: "patch", resource: plural, namespace, name },
          });
        }
        restarts.push({ kind, namespace, name, secrets: uses });
      }
    }),
  );
  return restarts.sort((a, b) => `${a.kind}/${a.name}`.localeCompare(`${b.kind}/${b.name}`));
}
