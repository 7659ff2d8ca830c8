/**
 * `coffer scan --fix`, the edits: remove moved keys from their ConfigMaps and rewrite references,
 * in the parsed YAML documents (comments and key order kept), then render each changed file; build
 * the plaintext Secret manifest (handed straight to encryption, never written); and describe the
 * change for --dry-run without any value.
 */
import { isMap, isSeq, stringify, type Document } from "yaml";
import { describeResource } from "./finding.js";
import type { FixPlan, ScannedFile, SecretMove } from "./fix-plan.js";
import type { ObjectPath } from "./key-path.js";

/** The Secret that receives the moved keys: data keys as stringData, binaryData as data. */
export function secretManifest(move: SecretMove): string {
  const stringData = Object.fromEntries(move.moves.filter((m) => m.field === "data").map((m) => [m.key, m.value]));
  const data = Object.fromEntries(move.moves.filter((m) => m.field === "binaryData").map((m) => [m.key, m.value]));
  const metadata = { name: move.secretName, ...(move.configMap.namespace === undefined ? {} : { namespace: move.configMap.namespace }) };
  return stringify({
    apiVersion: "v1",
    kind: "Secret",
    metadata,
    type: "Opaque",
    ...(Object.keys(stringData).length > 0 ? { stringData } : {}),
    ...(Object.keys(data).length > 0 ? { data } : {}),
  });
}

function documentOf(file: ScannedFile, docIndex: number): Document.Parsed {
  return file.parsed.documents[docIndex] as Document.Parsed;
}

/** Applies the plan to the parsed documents; returns the new text of every changed file. */
export function applyFixToDocuments(plan: FixPlan): Map<ScannedFile, string> {
  const changed = new Set<ScannedFile>();
  for (const move of plan.secrets) {
    const doc = documentOf(move.file, move.object.docIndex);
    const base = move.object.basePath;
    for (const { field, key } of move.moves) doc.deleteIn([...base, field, key]);
    for (const field of ["data", "binaryData"]) {
      const node = doc.getIn([...base, field], true);
      if (isMap(node) && node.items.length === 0) doc.deleteIn([...base, field]);
    }
    changed.add(move.file);
  }
  // envFrom insertions shift later items: apply from the highest index down.
  const refs = [...plan.refs].sort((a, b) => (b.kind === "envFrom" ? b.index : -1) - (a.kind === "envFrom" ? a.index : -1));
  for (const ref of refs) {
    const doc = documentOf(ref.file, ref.object.docIndex);
    const path: ObjectPath = [...ref.object.basePath, ...ref.path];
    if (ref.kind === "keyRef") {
      const optional = doc.getIn([...path, "configMapKeyRef", "optional"]);
      doc.deleteIn([...path, "configMapKeyRef"]);
      doc.setIn([...path, "secretKeyRef"], doc.createNode({ name: ref.secretName, key: ref.key, ...(optional === undefined ? {} : { optional }) }));
    } else {
      const seq = doc.getIn(path, true);
      if (!isSeq(seq)) continue;
      seq.items.splice(ref.index + 1, 0, doc.createNode({ ...(ref.prefix === undefined ? {} : { prefix: ref.prefix }), secretRef: { name: ref.secretName } }));
    }
    changed.add(ref.file);
  }
  const texts = new Map<ScannedFile, string>();
  for (const file of changed) {
    const isJson = /\.json$/i.test(file.input.path);
    texts.set(
      file,
      isJson
        ? file.parsed.documents.map((doc) => `${JSON.stringify(doc.toJS(), null, 2)}\n`).join("")
        : file.parsed.documents.map((doc) => doc.toString({ flowCollectionPadding: false })).join(""),
    );
  }
  return texts;
}

/** A unified-diff-like summary of the plan: names, keys and files, never a value. */
export function describeFix(plan: FixPlan, relative: (path: string) => string): string {
  const lines: string[] = [];
  const files = new Map<string, string[]>();
  const add = (file: string, line: string) => files.set(file, [...(files.get(file) ?? []), line]);
  for (const move of plan.secrets) {
    add(move.file.input.display, `@@ ${describeResource({ kind: "ConfigMap", namespace: move.configMap.namespace, name: move.configMap.name })}`);
    for (const m of move.moves) add(move.file.input.display, `-  ${m.field}.${m.key}  (moved to Secret ${move.secretName})`);
  }
  for (const ref of plan.refs) {
    if (ref.kind === "keyRef") {
      add(ref.file.input.display, `@@ ${ref.label}`);
      add(ref.file.input.display, `-  valueFrom.configMapKeyRef {name: ${ref.configMap}, key: ${ref.key}}`);
      add(ref.file.input.display, `+  valueFrom.secretKeyRef {name: ${ref.secretName}, key: ${ref.key}}`);
    } else {
      add(ref.file.input.display, `@@ ${ref.label}`);
      add(ref.file.input.display, `+  envFrom: secretRef {name: ${ref.secretName}} (beside configMapRef ${ref.configMap})`);
    }
  }
  for (const [file, body] of files) lines.push(`--- ${file}`, `+++ ${file}`, ...body);
  for (const move of plan.secrets) {
    const target = relative(move.target);
    lines.push("--- /dev/null", `+++ ${target}  (new, SOPS-encrypted)`, `@@ Secret/${move.configMap.namespace === undefined ? "" : `${move.configMap.namespace}/`}${move.secretName}`);
    for (const m of move.moves) lines.push(`+  ${m.field === "data" ? "stringData" : "data"}.${m.key}: <encrypted>`);
  }
  return lines.length === 0 ? "" : `${lines.join("\n")}\n`;
}
