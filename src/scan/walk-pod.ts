/**
 * Literal values in the pod specs of every workload kind: `env[].value`, `args` and `command` of
 * every container. Pod specs are found by shape (Pod, any `spec.template`, CronJob's
 * `spec.jobTemplate`, PodTemplate's `template`), so CRDs that embed a pod template are covered too.
 *
 * The walk hands each value to a callback with a cursor saying where it sits; the paths are built
 * from the cursor only when somebody asks (a finding), since almost no value needs them.
 */
import { isRecord, valueAt } from "../records.js";
import { asString, type ObjectPath, type PathSegment } from "./key-path.js";

/** A path shown to people, with named list items: `containers[app].env[API_TOKEN]`. */
export type DisplayPath = readonly (PathSegment | { label: string })[];

/** Where a value sits: the path to it (for line numbers) and the path shown to people. */
export interface ValueSite {
  path: ObjectPath;
  display: DisplayPath;
}

const POD_SPEC_PATHS: readonly (readonly string[])[] = [
  ["spec", "template", "spec"],
  ["spec", "jobTemplate", "spec", "template", "spec"],
  ["template", "spec"],
];

export const CONTAINER_LISTS = ["initContainers", "containers", "ephemeralContainers"] as const;

function hasContainers(spec: unknown): spec is Record<string, unknown> {
  return isRecord(spec) && CONTAINER_LISTS.some((list) => Array.isArray(spec[list]));
}

/** The pod specs of an object (those that hold containers), each with its path. */
export function podSpecs(obj: Record<string, unknown>): { path: readonly string[]; spec: Record<string, unknown> }[] {
  const specs: { path: readonly string[]; spec: Record<string, unknown> }[] = [];
  if (obj.kind === "Pod" && hasContainers(obj.spec)) specs.push({ path: ["spec"], spec: obj.spec });
  for (const path of POD_SPEC_PATHS) {
    const spec = valueAt(obj, path);
    if (hasContainers(spec)) specs.push({ path, spec });
  }
  return specs;
}

/** Where the value handed to the callback sits; one object, updated as the walk moves on. */
export interface PodValueCursor {
  specPath: readonly string[];
  list: (typeof CONTAINER_LISTS)[number];
  container: number;
  /** The container's name (its index when it has none). */
  label: string;
  field: "env" | "command" | "args";
  /** Index in env, command or args. */
  index: number;
  /** The env var's name (env only). */
  envName: string;
}

/** The paths of the value the cursor points at. */
export function podValueSite(cursor: PodValueCursor): ValueSite {
  const base = [...cursor.specPath, cursor.list];
  if (cursor.field === "env") {
    return { path: [...base, cursor.container, "env", cursor.index, "value"], display: [...base, { label: cursor.label }, "env", { label: cursor.envName }] };
  }
  return { path: [...base, cursor.container, cursor.field, cursor.index], display: [...base, { label: cursor.label }, cursor.field, cursor.index] };
}

const FLAG = /^--?([A-Za-z][A-Za-z0-9_.-]*)=(.+)$/s;

/**
 * Calls `visit` for every literal env value, command and arg: with the env var's name, or for
 * `--db-password=hunter2` the flag's name and its value alone.
 */
export function visitPodValues(obj: Record<string, unknown>, visit: (value: string, name: string | undefined, cursor: PodValueCursor) => void): void {
  const specs = podSpecs(obj);
  if (specs.length === 0) return;
  const cursor: PodValueCursor = { specPath: [], list: "containers", container: 0, label: "", field: "env", index: 0, envName: "" };
  for (const { path, spec } of specs) {
    cursor.specPath = path;
    for (const list of CONTAINER_LISTS) {
      const containers = spec[list];
      if (!Array.isArray(containers)) continue;
      cursor.list = list;
      for (let ci = 0; ci < containers.length; ci++) {
        const container: unknown = containers[ci];
        if (!isRecord(container)) continue;
        cursor.container = ci;
        cursor.label = asString(container.name) ?? String(ci);
        const env = container.env;
        if (Array.isArray(env)) {
          cursor.field = "env";
          for (let ei = 0; ei < env.length; ei++) {
            const entry: unknown = env[ei];
            if (!isRecord(entry) || typeof entry.value !== "string") continue;
            cursor.index = ei;
            cursor.envName = asString(entry.name) ?? String(ei);
            visit(entry.value, cursor.envName, cursor);
          }
        }
        for (const field of ["command", "args"] as const) {
          const items = container[field];
          if (!Array.isArray(items)) continue;
          cursor.field = field;
          for (let ai = 0; ai < items.length; ai++) {
            const item: unknown = items[ai];
            if (typeof item !== "string") continue;
            cursor.index = ai;
            const flag = item.charCodeAt(0) === 45 /* - */ ? FLAG.exec(item) : null;
            if (flag === null) visit(item, undefined, cursor);
            else visit(flag[2] as string, flag[1] as string, cursor);
          }
        }
      }
    }
  }
}
