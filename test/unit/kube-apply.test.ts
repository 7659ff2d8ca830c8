/**
 * The pure parts of `coffer apply`: manifest parsing, the plan, diffs and fingerprints, Secret
 * references of pod specs, and the Secret generator.
 */
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { isCofferError } from "../../src/errors.js";
import { TreeMap, Time } from "../../src/core/tree.js";
import { buildApplyPlan, LAST_APPLIED, PRUNE_SET_LABEL } from "../../src/kube/apply-plan.js";
import { secretsUsedBy } from "../../src/kube/dependents.js";
import { diffObject, fingerprintIdentity } from "../../src/kube/diff.js";
import { resourcePath, splitApiVersion } from "../../src/kube/discovery.js";
import { createFingerprinter } from "../../src/kube/fingerprint.js";
import { manifestsFromTree, parseManifests, type KubeObject } from "../../src/kube/manifests.js";
import { buildGeneratedSecret, fileKey } from "../../src/kube/secret-generator.js";
import { errorCodeOf } from "../helpers/errors.js";


const b64 = (text: string) => Buffer.from(text).toString("base64");

describe("manifests", () => {
  it("reads multi-document YAML, skips empty documents and expands Lists", () => {
    const text = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\n---\napiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: Secret, metadata: {name: b}}\n";
    expect(parseManifests(text, "f.yaml").map((o) => [o.object.kind, o.source])).toEqual([
      ["ConfigMap", "f.yaml document 1"],
      ["Secret", "f.yaml document 3 item 1"],
    ]);
  });

  it("reads JSON objects and arrays", () => {
    expect(parseManifests('[{"kind":"A"},{"kind":"B"}]', "f.json").map((o) => o.object.kind)).toEqual(["A", "B"]);
  });

  it("refuses invalid YAML and non-objects without quoting the input", () => {
    const secretish = "password: hunter2: [";
    let message = "";
    try {
      parseManifests(secretish, "f.yaml");
    } catch (error) {
      message = isCofferError(error) ? `${error.code} ${error.message}` : "";
    }
    expect(message).toMatch(/^FORMAT_INVALID/);
    expect(message).not.toContain("hunter2");
    expect(errorCodeOf(() => parseManifests("- a\n- b\n", "f.yaml"))).toBe("MANIFEST_INVALID");
    expect(errorCodeOf(() => parseManifests("{", "f.json"))).toBe("FORMAT_INVALID");
  });

  it("turns a decrypted tree into JSON data (ints, times, bytes, nested lists)", () => {
    const tree = TreeMap.from({ kind: "Secret", n: 3n, big: 2n ** 60n, t: new Time("2024-01-01T00:00:00Z"), raw: new Uint8Array([1, 2]), list: [TreeMap.from({ a: true })] });
    expect(manifestsFromTree({ documents: [tree, new TreeMap()] }, "s.yaml").map((o) => o.object)).toEqual([
      { kind: "Secret", n: 3, big: "1152921504606846976", t: "2024-01-01T00:00:00Z", raw: "AQI=", list: [{ a: true }] },
    ]);
  });
});

describe("apply plan", () => {
  const object = (metadata: Record<string, unknown>, kind = "Secret"): { object: KubeObject; source: string } => ({ object: { apiVersion: "v1", kind, metadata }, source: "s.yaml" });

  it("places objects: own namespace, else -n, else the context's; Namespaces and CRDs first", () => {
    const plan = buildApplyPlan([object({ name: "a", namespace: "x" }), object({ name: "b" }), object({ name: "n" }, "Namespace")], { defaultNamespace: "ctx" });
    expect(plan.rest.map((i) => i.ref.namespace)).toEqual(["x", "ctx"]);
    expect(plan.first.map((i) => i.ref.name)).toEqual(["n"]);
    expect(buildApplyPlan([object({ name: "b" })], { namespace: "flag", defaultNamespace: "ctx" }).rest[0]?.ref.namespace).toBe("flag");
  });

  it("strips the last-applied annotation, keeps other annotations, and adds the prune-set label", () => {
    const input = object({ name: "a", annotations: { [LAST_APPLIED]: "{}", keep: "me" }, labels: { app: "x" } });
    const plan = buildApplyPlan([input], { defaultNamespace: "d", pruneSet: "set1" });
    expect(plan.strippedLastApplied).toBe(1);
    expect(plan.rest[0]?.body.metadata).toEqual({ name: "a", namespace: "d", annotations: { keep: "me" }, labels: { app: "x", [PRUNE_SET_LABEL]: "set1" } });
    expect(input.object.metadata?.annotations).toHaveProperty(LAST_APPLIED); // the input is not mutated
  });

  it("refuses objects without identity, duplicates and a namespace contradicting -n", () => {
    expect(errorCodeOf(() => buildApplyPlan([object({})], { defaultNamespace: "d" }))).toBe("MANIFEST_INVALID");
    expect(errorCodeOf(() => buildApplyPlan([{ object: { kind: "Secret", metadata: { name: "a" } }, source: "s" }], { defaultNamespace: "d" }))).toBe("MANIFEST_INVALID");
    expect(errorCodeOf(() => buildApplyPlan([object({ name: "a" }), object({ name: "a", namespace: "d" })], { defaultNamespace: "d" }))).toBe("MANIFEST_INVALID");
    expect(errorCodeOf(() => buildApplyPlan([object({ name: "a", namespace: "x" })], { namespace: "y", defaultNamespace: "d" }))).toBe("MANIFEST_INVALID");
    expect(errorCodeOf(() => buildApplyPlan([object({ name: "a" }), object({ name: "a", namespace: "other" })], { defaultNamespace: "d" }))).toBeUndefined();
  });
});

describe("discovery paths", () => {
  it("builds core, group, namespaced and cluster-scoped paths", () => {
    expect(splitApiVersion("apps/v1")).toEqual({ group: "apps", version: "v1" });
    const secrets = { group: "", version: "v1", kind: "Secret", plural: "secrets", namespaced: true };
    expect(resourcePath(secrets, "a b", "x")).toBe("/api/v1/namespaces/a%20b/secrets/x");
    expect(resourcePath(secrets, undefined)).toBe("/api/v1/secrets");
    expect(resourcePath({ group: "rbac.authorization.k8s.io", version: "v1", kind: "ClusterRole", plural: "clusterroles", namespaced: false }, "ignored", "r")).toBe("/apis/rbac.authorization.k8s.io/v1/clusterroles/r");
  });
});

describe("diff and fingerprints", () => {
  const fp = createFingerprinter(undefined);
  const id = fingerprintIdentity("v1", "Secret", "db");

  it("lists Secret keys as added, changed, removed and unchanged, with fingerprints only", () => {
    const live = { apiVersion: "v1", kind: "Secret", metadata: { name: "db", resourceVersion: "1" }, data: { same: b64("s"), alter: b64("old"), drop: b64("d") } };
    const next = { apiVersion: "v1", kind: "Secret", metadata: { name: "db", resourceVersion: "2" }, data: { same: b64("s"), alter: b64("new"), add: b64("a") } };
    const diff = diffObject(id, "Secret", live, next, fp);
    expect(diff.action).toBe("configured");
    expect(diff.fields).toEqual([]);
    expect(diff.keys.map((k) => [k.key, k.change])).toEqual([
      ["data.add", "added"],
      ["data.alter", "changed"],
      ["data.drop", "removed"],
      ["data.same", "unchanged"],
    ]);
    const text = JSON.stringify(diff);
    for (const value of ["old", "new", b64("old"), b64("new")]) expect(text).not.toContain(`"${value}"`);
    expect(diffObject(id, "Secret", live, { ...live, metadata: { ...live.metadata, resourceVersion: "9" } }, fp).action).toBe("unchanged");
    expect(diffObject(id, "Secret", undefined, next, fp).action).toBe("created");
  });

  it("names other changed fields by path, ignoring server bookkeeping and status", () => {
    const live = { kind: "Deployment", metadata: { name: "x", generation: 1, managedFields: [] }, spec: { replicas: 1, template: { a: 1 } }, status: { ready: 1 } };
    const next = { kind: "Deployment", metadata: { name: "x", generation: 2, managedFields: [{}] }, spec: { replicas: 2, template: { a: 1 } }, status: { ready: 0 } };
    expect(diffObject("apps/Deployment/x", "Deployment", live, next, fp)).toEqual({ action: "configured", keys: [], fields: ["spec.replicas"] });
  });

  it("fingerprints: equal across namespaces, salted by object and key, keyed when a key is given, never a plain hash", () => {
    const value = Buffer.from("hunter2");
    const print = fp.of(id, "data.password", value);
    expect(print).toMatch(/^[0-9a-f]{12}$/);
    expect(fp.of(id, "data.password", value)).toBe(print);
    expect(fp.of(id, "data.other", value)).not.toBe(print);
    expect(fp.of(fingerprintIdentity("v1", "Secret", "api"), "data.password", value)).not.toBe(print);
    expect(createHash("sha256").update(value).digest("hex")).not.toContain(print);
    const keyed = createFingerprinter("team-key");
    expect(keyed.keyed).toBe(true);
    expect(fp.keyed).toBe(false);
    expect(keyed.of(id, "data.password", value)).not.toBe(print);
    expect(createFingerprinter("other-key").of(id, "data.password", value)).not.toBe(keyed.of(id, "data.password", value));
  });
});

describe("dependents", () => {
  it("finds Secrets in env, envFrom, secret and projected volumes, in containers and initContainers", () => {
    const spec = {
      initContainers: [{ envFrom: [{ secretRef: { name: "init-from" } }] }],
      containers: [{ env: [{ name: "A", valueFrom: { secretKeyRef: { name: "env-ref", key: "k" } } }, { name: "B", valueFrom: { configMapKeyRef: { name: "cm" } } }] }],
      volumes: [{ secret: { secretName: "vol" } }, { projected: { sources: [{ secret: { name: "proj" } }, { configMap: { name: "cm2" } }] } }, { configMap: { name: "cm3" } }],
    };
    expect([...secretsUsedBy(spec)].sort()).toEqual(["env-ref", "init-from", "proj", "vol"]);
    expect([...secretsUsedBy(undefined)]).toEqual([]);
  });
});

describe("secret generator", () => {
  it("names whole-file keys after the file without .enc", () => {
    expect(fileKey("dir/tls.enc.crt")).toBe("tls.crt");
    expect(fileKey("key.enc")).toBe("key");
    expect(fileKey("plain.pem")).toBe("plain.pem");
  });

  it("builds a Secret with base64 data and refuses clashing or invalid keys", () => {
    const secret = buildGeneratedSecret({ name: "s", namespace: "n", inputs: [{ path: "a.env", kind: "entries", entries: [["A", Buffer.from("1")]] }, { path: "c.enc.bin", kind: "file", bytes: new Uint8Array([255]) }] });
    expect(secret).toEqual({ apiVersion: "v1", kind: "Secret", metadata: { name: "s", namespace: "n" }, type: "Opaque", data: { A: b64("1"), "c.bin": "/w==" } });
    const clash = () => buildGeneratedSecret({ name: "s", inputs: [{ path: "a", kind: "entries", entries: [["A", Buffer.from("1")]] }, { path: "b", kind: "entries", entries: [["A", Buffer.from("2")]] }] });
    expect(errorCodeOf(clash)).toBe("MANIFEST_INVALID");
    expect(errorCodeOf(() => buildGeneratedSecret({ name: "s", inputs: [{ path: "a", kind: "entries", entries: [["bad key", Buffer.from("1")]] }] }))).toBe("MANIFEST_INVALID");
  });
});
