/**
 * Literal values in the pod specs of every workload kind: `env[].value`, `args` and `command` of
 * every container. Pod specs are found by shape (Pod, any `spec.template`, CronJob's
 * `spec.jobTemplate`, PodTemplate's `template`), so CRDs that embed a pod template are covered too.
 */
import { asString, isRecord, type ObjectPath, type PathSegment } from "./key-path.js";

export interface ValueSite {
  /** Path to the value inside the object (for line numbers). */
  path: ObjectPath;
  /** The path shown to people, with named list items: `containers[app].env[API_TOKEN]`. */
  display: readonly (PathSegment | { label: string })[];
  /** The key name handed to the detector (env var name, flag name). */
  name?: string | undefined;
  value: string;
}

const POD_SPEC_PATHS: readonly (readonly string[])[] = [
  ["spec", "template", "spec"],
  ["spec", "jobTemplate", "spec", "template", "spec"],
  ["template", "spec"],
];

const CONTAINER_LISTS = ["initContainers", "containers", "ephemeralContainers"] as const;

function at(obj: unknown, path: readonly string[]): unknown {
  let node = obj;
  for (const segment of path) node = isRecord(node) ? node[segment] : undefined;
  return node;
}

export function podSpecPaths(obj: Record<string, unknown>): (readonly string[])[] {
  const paths: (readonly string[])[] = [];
  if (obj.kind === "Pod") paths.push(["spec"]);
  for (const path of POD_SPEC_PATHS) if (isRecord(at(obj, path))) paths.push(path);
  return paths.filter((path) => CONTAINER_LISTS.some((list) => Array.isArray(at(obj, [...path, list]))));
}

/** `--db-password=hunter2` -> name `db-password`, value `hunter2`. */
function splitFlag(arg: string): { name?: string; value: string } {
  const match = /^--?([A-Za-z][A-Za-z0-9_.-]*)=(.+)$/s.exec(arg);
  return match === null ? { value: arg } : { name: match[1] as string, value: match[2] as string };
}

export function* podSpecSites(obj: Record<string, unknown>): Generator<ValueSite> {
  for (const specPath of podSpecPaths(obj)) {
    for (const list of CONTAINER_LISTS) {
      const containers = at(obj, [...specPath, list]);
      if (!Array.isArray(containers)) continue;
      for (const [ci, container] of containers.entries()) {
        if (!isRecord(container)) continue;
        const label = asString(container.name) ?? String(ci);
        const base = [...specPath, list, ci];
        const shown = [...specPath, list, { label }];
        if (Array.isArray(container.env)) {
          for (const [ei, env] of container.env.entries()) {
            const value = isRecord(env) ? asString(env.value) : undefined;
            if (value === undefined || !isRecord(env)) continue;
            const name = asString(env.name) ?? String(ei);
            yield { path: [...base, "env", ei, "value"], display: [...shown, "env", { label: name }], name, value };
          }
        }
        for (const field of ["command", "args"] as const) {
          const items = container[field];
          if (!Array.isArray(items)) continue;
          for (const [ai, item] of items.entries()) {
            if (typeof item !== "string") continue;
            yield { path: [...base, field, ai], display: [...shown, field, ai], ...splitFlag(item) };
          }
        }
      }
    }
  }
}
