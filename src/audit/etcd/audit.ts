/**
 * The etcd audit: read every object of the resources in scope straight from etcd, classify its
 * value by prefix, and, given the EncryptionConfiguration, say which objects are plaintext,
 * which sit under a key that no longer writes (need a rewrite), and which under a key the
 * configuration no longer holds (unreadable once kube-apiserver restarts). Values are looked at
 * for their prefix only and dropped page by page; reports carry etcd keys, never values.
 */
import { encryptionFor, type EncryptionModel, type ResourceEncryption } from "../encryption-model.js";
import { classifyValue, keyIndex, keyLabel, storedLabel, type StoredAs } from "./classify.js";
import { scanPrefix, type EtcdSource } from "./etcd-source.js";
import { etcdPrefixFor, formatResourceRef, parseEtcdKey, type ObjectRef, type ResourceRef } from "./resources.js";

import type { Severity } from "../report.js";

export { SEVERITIES, type Severity } from "../report.js";

export type EtcdRuleId = "etcd-plaintext-secret" | "etcd-plaintext-object" | "etcd-stale-key" | "etcd-unknown-key" | "etcd-unrecognized-value";

export interface EtcdRule {
  id: EtcdRuleId;
  severity: Severity;
  title: string;
  remediation: string;
}

export const ETCD_RULES: Readonly<Record<EtcdRuleId, EtcdRule>> = {
  "etcd-plaintext-secret": {
    id: "etcd-plaintext-secret",
    severity: "critical",
    title: "Secret stored in plaintext in etcd",
    remediation:
      "make an encrypting provider (aescbc, aesgcm, secretbox or kms) the first one for secrets in the EncryptionConfiguration, restart kube-apiserver, then run `coffer audit etcd --config FILE --rewrite`",
  },
  "etcd-plaintext-object": {
    id: "etcd-plaintext-object",
    severity: "high",
    title: "Object stored in plaintext although the configuration encrypts its resource",
    remediation: "rewrite it through the API so the writing key encrypts it: `coffer audit etcd --config FILE --rewrite`",
  },
  "etcd-stale-key": {
    id: "etcd-stale-key",
    severity: "medium",
    title: "Object encrypted with a key that is no longer the writing key",
    remediation: "rewrite it (`coffer audit etcd --config FILE --rewrite`) before removing the old key from the configuration",
  },
  "etcd-unknown-key": {
    id: "etcd-unknown-key",
    severity: "critical",
    title: "Object encrypted with a key the configuration does not hold",
    remediation:
      "put the key back in the configuration (after the writing key) before kube-apiserver restarts, run `coffer audit etcd --config FILE --rewrite`, and only then remove it",
  },
  "etcd-unrecognized-value": {
    id: "etcd-unrecognized-value",
    severity: "high",
    title: "etcd value in no format kube-apiserver writes",
    remediation: "find out what wrote this key around the API server; kube-apiserver cannot read it",
  },
};

export interface EtcdFinding {
  id: EtcdRuleId;
  severity: Severity;
  /** One line naming the object and how it is stored; never a value. */
  message: string;
  remediation: string;
  etcdKey: string;
  resource: string;
  namespace?: string | undefined;
  name?: string | undefined;
  /** `plaintext`, `aescbc/key1`, `kms-v1/plugin`, `unrecognized`. */
  storedWith: string;
  /** For --rewrite: the object, when its key maps to one. */
  object?: ObjectRef | undefined;
}

export interface ResourceCounts {
  /** `secrets`, `deployments.apps`. */
  resource: string;
  objects: number;
  /** Objects per storage label (`plaintext`, `aescbc/key1`, ...). */
  storedWith: Record<string, number>;
  /** With a configuration: its keys for this resource in reading order (labels); the first writes. */
  configuredKeys?: string[] | undefined;
}

export interface EtcdAuditResult {
  /** The etcd revision every page was read at. */
  revision: string | undefined;
  prefixes: string[];
  objects: number;
  resources: ResourceCounts[];
  /** Keys under the scanned prefixes that are not objects in scope (by directory). */
  skipped: Array<{ dir: string; keys: number; reason: string }>;
  findings: EtcdFinding[];
  configured: boolean;
}

export interface EtcdAuditOptions {
  model?: EncryptionModel | undefined;
  /** `--resources`; default: secrets, plus every resource the configuration covers. */
  resources?: ResourceRef[] | undefined;
  /** Keys per range read (default 500). */
  pageSize?: number | undefined;
  /** Called after each page with the number of keys read so far (progress). */
  onPage?: ((keys: number) => void) | undefined;
}

export const DEFAULT_PAGE_SIZE = 500;
const SECRETS: ResourceRef = { resource: "secrets", group: "" };

/** The prefixes to read and which objects under them are in scope. */
export function auditScope(model: EncryptionModel | undefined, resources: ResourceRef[] | undefined): { prefixes: string[]; includes: (ref: ResourceRef) => boolean } {
  const same = (a: ResourceRef) => (b: ResourceRef) => a.resource === b.resource && a.group === b.group;
  if (resources !== undefined && resources.length > 0) {
    return { prefixes: disjoint(resources.map(etcdPrefixFor)), includes: (ref) => resources.some(same(ref)) };
  }
  if (model === undefined) return { prefixes: [etcdPrefixFor(SECRETS)], includes: same(SECRETS) };
  const names = model.entries.flatMap((entry) => entry.resources);
  const wildcard = names.some((name) => name.startsWith("*."));
  const named = names.filter((name) => !name.startsWith("*.")).map(configRef);
  return {
    prefixes: wildcard ? ["/registry/"] : disjoint([SECRETS, ...named].map(etcdPrefixFor)),
    includes: (ref) => same(SECRETS)(ref) || encryptionFor(model, ref.resource, ref.group) !== undefined,
  };
}

/** In a configuration a bare name is always core (`secrets`); a group follows the first dot. */
function configRef(name: string): ResourceRef {
  const dot = name.indexOf(".");
  return dot < 0 ? { resource: name, group: "" } : { resource: name.slice(0, dot), group: name.slice(dot + 1) };
}

/** Unique prefixes, none inside another (so no key is read twice). */
function disjoint(prefixes: string[]): string[] {
  const unique = [...new Set(prefixes)].sort();
  return unique.filter((prefix) => !unique.some((other) => other !== prefix && prefix.startsWith(other)));
}

export async function auditEtcd(source: EtcdSource, options: EtcdAuditOptions = {}): Promise<EtcdAuditResult> {
  const { model } = options;
  const scope = auditScope(model, options.resources);
  const counts = new Map<string, ResourceCounts & { entry?: ResourceEncryption | undefined }>();
  const skipped = new Map<string, { keys: number; reason: string }>();
  const findings: EtcdFinding[] = [];
  let revision: string | undefined;
  let objects = 0;
  let read = 0;

  for (const prefix of scope.prefixes) {
    for await (const page of scanPrefix(source, prefix, options.pageSize ?? DEFAULT_PAGE_SIZE, revision)) {
      revision = page.revision;
      read += page.kvs.length;
      for (const kv of page.kvs) {
        const etcdKey = kv.key.toString("utf8");
        const ref = parseEtcdKey(etcdKey);
        if (ref === undefined || !scope.includes(ref)) {
          const dir = etcdKey.split("/").slice(0, 3).join("/") + "/";
          const reason = ref === undefined ? "not an API object coffer maps" : "resource not in scope";
          const entry = skipped.get(dir) ?? { keys: 0, reason };
          entry.keys++;
          skipped.set(dir, entry);
          continue;
        }
        objects++;
        const stored = classifyValue(kv.value);
        const resource = formatResourceRef(ref);
        let count = counts.get(resource);
        if (count === undefined) {
          const entry = model === undefined ? undefined : encryptionFor(model, ref.resource, ref.group);
          count = { resource, objects: 0, storedWith: {}, entry, configuredKeys: entry?.keys.map(keyLabel) ?? (model === undefined ? undefined : ["identity"]) };
          counts.set(resource, count);
        }
        count.objects++;
        const label = storedLabel(stored);
        count.storedWith[label] = (count.storedWith[label] ?? 0) + 1;
        const finding = judge(ref, stored, model === undefined ? undefined : { entry: count.entry });
        if (finding !== undefined) findings.push({ ...finding, etcdKey, resource, namespace: ref.namespace, name: ref.name, storedWith: label, object: ref });
      }
      options.onPage?.(read);
    }
  }
  return {
    revision,
    prefixes: scope.prefixes,
    objects,
    resources: [...counts.values()].map(({ entry: _entry, ...count }) => count).sort((a, b) => a.resource.localeCompare(b.resource)),
    skipped: [...skipped.entries()].map(([dir, s]) => ({ dir, ...s })).sort((a, b) => a.dir.localeCompare(b.dir)),
    findings,
    configured: model !== undefined,
  };
}

function describeObject(ref: ObjectRef): string {
  const kind = formatResourceRef(ref);
  return `${kind} ${ref.namespace === undefined ? "" : `${ref.namespace}/`}${ref.name}`;
}

/** The finding for one object, or none. Without a configuration only plaintext Secrets and unknown formats are findings. */
function judge(
  ref: ObjectRef,
  stored: StoredAs,
  config: { entry: ResourceEncryption | undefined } | undefined,
): Pick<EtcdFinding, "id" | "severity" | "message" | "remediation"> | undefined {
  const finding = (id: EtcdRuleId, message: string) => ({ id, severity: ETCD_RULES[id].severity, message, remediation: ETCD_RULES[id].remediation });
  const what = describeObject(ref);
  const isSecret = ref.resource === "secrets" && ref.group === "";
  if (stored.kind === "unrecognized") return finding("etcd-unrecognized-value", `${what} holds a value in no format kube-apiserver writes`);
  if (config === undefined) {
    return stored.kind === "plaintext" && isSecret ? finding("etcd-plaintext-secret", `${what} is stored in plaintext in etcd`) : undefined;
  }
  const keys = config.entry?.keys ?? [{ provider: "identity" as const }];
  const index = keyIndex(stored, keys);
  if (stored.kind === "plaintext") {
    const unreadable = index < 0 ? " (and no identity provider reads it)" : "";
    if (isSecret) return finding("etcd-plaintext-secret", `${what} is stored in plaintext in etcd${unreadable}`);
    if (index === 0) return undefined;
    return finding("etcd-plaintext-object", `${what} is stored in plaintext; the configuration writes it with ${keyLabel(keys[0]!)}${unreadable}`);
  }
  const label = storedLabel(stored);
  if (index < 0) {
    const why = config.entry === undefined ? "its resource is not in the configuration" : "the configuration no longer holds that key";
    return finding("etcd-unknown-key", `${what} is encrypted with ${label} but ${why}: unreadable once kube-apiserver restarts`);
  }
  if (index > 0) return finding("etcd-stale-key", `${what} is encrypted with ${label}, not the writing key ${keyLabel(keys[0]!)}`);
  return undefined;
}
