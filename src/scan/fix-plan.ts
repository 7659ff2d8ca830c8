/**
 * `coffer scan --fix`, the plan (pure data): which ConfigMap keys move into which new Secret, and
 * which workload references follow them. Nothing here reads files or writes; fix-apply.ts edits
 * the parsed documents and the CLI writes the results.
 */
import { dirname, join } from "node:path";
import { CofferError } from "../errors.js";
import type { Finding } from "./finding.js";
import type { InputFile } from "./inputs.js";
import { isRecord } from "../records.js";
import { asString, type ObjectPath } from "./key-path.js";
import type { ManifestObject, ParsedManifests } from "./manifests.js";
import { CONTAINER_LISTS, podSpecs } from "./walk-pod.js";

/** A file as the scan read it: its text and parsed documents (kept for --fix). */
export interface ScannedFile {
  input: InputFile;
  text: string;
  parsed: ParsedManifests;
}

export interface KeyMove {
  field: "data" | "binaryData";
  key: string;
  /** The value, for the new Secret only; never printed. */
  value: string;
}

export interface SecretMove {
  file: ScannedFile;
  object: ManifestObject;
  configMap: { name: string; namespace: string | undefined };
  secretName: string;
  /** Where the encrypted Secret goes: `<dir of the file>/<secretName>.enc.yaml`. */
  target: string;
  moves: KeyMove[];
  fingerprints: string[];
}

export type RefChange =
  | { kind: "keyRef"; file: ScannedFile; object: ManifestObject; path: ObjectPath; label: string; key: string; secretName: string; configMap: string }
  | { kind: "envFrom"; file: ScannedFile; object: ManifestObject; path: ObjectPath; index: number; label: string; prefix: string | undefined; secretName: string; configMap: string };

export interface FixPlan {
  secrets: SecretMove[];
  refs: RefChange[];
  /** Workloads that mount a moved ConfigMap as a volume: not rewritten, named for the user. */
  volumeUsers: string[];
}

const DATA_KEY = /^(data|binaryData)(?:\.([A-Za-z_][A-Za-z0-9_-]*)|\[(.+)\])$/;

export function planFix(files: readonly ScannedFile[], findings: readonly Finding[], options: { secretName?: string | undefined }): FixPlan {
  const byObject = new Map<ManifestObject, SecretMove>();
  for (const finding of findings) {
    if (finding.resource.kind !== "ConfigMap" || finding.resource.file === undefined) continue;
    const match = DATA_KEY.exec(finding.key);
    if (match === null) continue;
    const field = match[1] as KeyMove["field"];
    const key = (match[2] ?? match[3]) as string;
    const file = files.find((f) => f.input.display === finding.resource.file);
    const object = file?.parsed.objects.find((o) => o.obj.kind === "ConfigMap" && nameOf(o.obj) === finding.resource.name && namespaceOf(o.obj) === finding.resource.namespace);
    if (file === undefined || object === undefined) continue;
    let move = byObject.get(object);
    if (move === undefined) {
      const secretName = options.secretName ?? `${finding.resource.name}-secrets`;
      move = { file, object, configMap: { name: finding.resource.name, namespace: finding.resource.namespace }, secretName, target: join(dirname(file.input.path), `${secretName}.enc.yaml`), moves: [], fingerprints: [] };
      byObject.set(object, move);
    }
    move.fingerprints.push(finding.fingerprint);
    const value = (object.obj[field] as Record<string, unknown>)[key];
    if (typeof value === "string" && !move.moves.some((m) => m.field === field && m.key === key)) move.moves.push({ field, key, value });
  }
  const secrets = [...byObject.values()];
  const targets = new Set(secrets.map((s) => s.target));
  if (targets.size < secrets.length) {
    throw new CofferError("USAGE", "two ConfigMaps would move their keys into the same Secret file", {
      hint: options.secretName === undefined ? "fix one directory at a time" : "drop --secret-name when several ConfigMaps are fixed at once",
    });
  }
  const plan: FixPlan = { secrets, refs: [], volumeUsers: [] };
  for (const file of files) for (const object of file.parsed.objects) addRefChanges(plan, file, object);
  return plan;
}

function nameOf(obj: Record<string, unknown>): string | undefined {
  return isRecord(obj.metadata) ? asString(obj.metadata.name) : undefined;
}

function namespaceOf(obj: Record<string, unknown>): string | undefined {
  return isRecord(obj.metadata) ? asString(obj.metadata.namespace) : undefined;
}

/** Same namespace, or one side leaves it to the tooling (kustomize, `kubectl -n`). */
function sameNamespace(a: string | undefined, b: string | undefined): boolean {
  return a === undefined || b === undefined || a === b;
}

function addRefChanges(plan: FixPlan, file: ScannedFile, object: ManifestObject): void {
  const obj = object.obj;
  const movesFor = (name: unknown) =>
    plan.secrets.find((s) => s.configMap.name === name && sameNamespace(s.configMap.namespace, namespaceOf(obj)));
  for (const { path: specPath, spec } of podSpecs(obj)) {
    for (const list of CONTAINER_LISTS) {
      const containers = spec[list];
      if (!Array.isArray(containers)) continue;
      containers.forEach((container: unknown, ci) => {
        if (!isRecord(container)) return;
        const label = `${obj.kind as string}/${nameOf(obj) ?? ""} ${list}[${asString(container.name) ?? ci}]`;
        const base = [...specPath, list, ci];
        (Array.isArray(container.env) ? container.env : []).forEach((env: unknown, ei) => {
          const ref = isRecord(env) && isRecord(env.valueFrom) && isRecord(env.valueFrom.configMapKeyRef) ? env.valueFrom.configMapKeyRef : undefined;
          const secret = ref === undefined ? undefined : movesFor(ref.name);
          const key = asString(ref?.key);
          if (secret === undefined || key === undefined || !secret.moves.some((m) => m.field === "data" && m.key === key)) return;
          plan.refs.push({ kind: "keyRef", file, object, path: [...base, "env", ei, "valueFrom"], label: `${label}.env[${asString((env as Record<string, unknown>).name) ?? ei}]`, key, secretName: secret.secretName, configMap: secret.configMap.name });
        });
        (Array.isArray(container.envFrom) ? container.envFrom : []).forEach((source: unknown, ei) => {
          const ref = isRecord(source) && isRecord(source.configMapRef) ? source.configMapRef : undefined;
          const secret = ref === undefined ? undefined : movesFor(ref.name);
          if (secret === undefined || !isRecord(source)) return;
          plan.refs.push({ kind: "envFrom", file, object, path: [...base, "envFrom"], index: ei, label: `${label}.envFrom[${ei}]`, prefix: asString(source.prefix), secretName: secret.secretName, configMap: secret.configMap.name });
        });
      });
    }
    const volumes = Array.isArray(spec.volumes) ? spec.volumes : [];
    if (volumes.some((v: unknown) => isRecord(v) && isRecord(v.configMap) && movesFor(v.configMap.name) !== undefined)) {
      plan.volumeUsers.push(`${obj.kind as string}/${nameOf(obj) ?? ""} (${file.input.display})`);
    }
  }
}
