/**
 * The etcd audit's pure parts: value classification by prefix, etcd key <-> resource mapping,
 * the configuration loader, and the audit over an in-memory source (pagination, findings).
 */
import { describe, expect, it } from "vitest";
import { auditEtcd, auditScope } from "../../../src/audit/etcd/audit.js";
import { classifyValue, keyIndex, storedLabel } from "../../../src/audit/etcd/classify.js";
import { prefixEnd, type EtcdSource } from "../../../src/audit/etcd/etcd-source.js";
import { encryptionModelFromYaml } from "../../../src/audit/etcd/load-model.js";
import { apiPathFor, etcdPrefixFor, parseEtcdKey, parseResourceRef } from "../../../src/audit/etcd/resources.js";
import { isCofferError } from "../../../src/errors.js";

const bytes = (text: string, tail = 40) => Buffer.concat([Buffer.from(text, "latin1"), Buffer.alloc(tail, 7)]);

describe("classifyValue", () => {
  it("tells plaintext, each provider with its key name, and anything else apart", () => {
    expect(classifyValue(bytes("k8s\x00\x0a\x0d"))).toEqual({ kind: "plaintext", encoding: "protobuf" });
    expect(classifyValue(Buffer.from(' \n{"kind":"Secret"}'))).toEqual({ kind: "plaintext", encoding: "json" });
    expect(storedLabel(classifyValue(bytes("k8s:enc:aescbc:v1:key1:")))).toBe("aescbc/key1");
    expect(storedLabel(classifyValue(bytes("k8s:enc:aesgcm:v1:g:")))).toBe("aesgcm/g");
    expect(storedLabel(classifyValue(bytes("k8s:enc:secretbox:v1:box-2:")))).toBe("secretbox/box-2");
    expect(storedLabel(classifyValue(bytes("k8s:enc:kms:v1:vault-plugin:")))).toBe("kms-v1/vault-plugin");
    expect(storedLabel(classifyValue(bytes("k8s:enc:kms:v2:cloud:")))).toBe("kms-v2/cloud");
    for (const odd of ["k8s:enc:rot13:v1:k:", "k8s:enc:aescbc:v1::", "k8s:enc:aescbc:", "hello", "", "k8s:enc:aescbc:vX:k:"]) {
      expect(classifyValue(bytes(odd, 0)).kind, odd).toBe("unrecognized");
    }
  });

  it("places a stored value among the configured keys: 0 writes, >0 reads, -1 unknown", () => {
    const keys = [
      { provider: "secretbox" as const, name: "new" },
      { provider: "aescbc" as const, name: "old" },
      { provider: "kms" as const, name: "p", kmsApiVersion: "v2" as const },
      { provider: "identity" as const },
    ];
    expect(keyIndex(classifyValue(bytes("k8s:enc:secretbox:v1:new:")), keys)).toBe(0);
    expect(keyIndex(classifyValue(bytes("k8s:enc:aescbc:v1:old:")), keys)).toBe(1);
    expect(keyIndex(classifyValue(bytes("k8s:enc:kms:v2:p:")), keys)).toBe(2);
    expect(keyIndex(classifyValue(bytes("k8s:enc:kms:v1:p:")), keys)).toBe(-1);
    expect(keyIndex(classifyValue(bytes("k8s\x00")), keys)).toBe(3);
    expect(keyIndex(classifyValue(bytes("k8s:enc:aescbc:v1:gone:")), keys)).toBe(-1);
  });
});

describe("etcd keys and resources", () => {
  it("maps keys to resources, historical directories included, and back to API paths", () => {
    expect(parseEtcdKey("/registry/secrets/default/db")).toMatchObject({ resource: "secrets", group: "", namespace: "default", name: "db" });
    expect(parseEtcdKey("/registry/services/endpoints/ns/api")).toMatchObject({ resource: "endpoints", namespace: "ns", name: "api" });
    expect(parseEtcdKey("/registry/minions/node-1")).toEqual({ resource: "nodes", group: "", version: "v1", name: "node-1" });
    expect(parseEtcdKey("/registry/deployments/app/web")).toMatchObject({ resource: "deployments", group: "apps", version: "v1" });
    expect(parseEtcdKey("/registry/example.com/widgets/ns/w1")).toEqual({ resource: "widgets", group: "example.com", namespace: "ns", name: "w1" });
    expect(parseEtcdKey("/registry/ranges/serviceips")).toBeUndefined();
    expect(parseEtcdKey("/registry/secrets/only-a-namespace")).toBeUndefined();
    expect(apiPathFor(parseEtcdKey("/registry/secrets/default/db")!, "v1")).toBe("/api/v1/namespaces/default/secrets/db");
    expect(apiPathFor(parseEtcdKey("/registry/clusterroles/admin")!, "v1")).toBe("/apis/rbac.authorization.k8s.io/v1/clusterroles/admin");
    expect(apiPathFor(parseEtcdKey("/registry/example.com/widgets/ns/w1")!, "v2")).toBe("/apis/example.com/v2/namespaces/ns/widgets/w1");
  });

  it("reads only what is in scope: secrets by default, the configured resources, or all of /registry/ under a wildcard", () => {
    expect(etcdPrefixFor(parseResourceRef("deployments.apps"))).toBe("/registry/deployments/");
    expect(etcdPrefixFor(parseResourceRef("widgets.example.com"))).toBe("/registry/example.com/widgets/");
    expect(auditScope(undefined, undefined).prefixes).toEqual(["/registry/secrets/"]);
    const named = encryptionModelFromYaml("apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\nresources:\n- resources: [configmaps, services]\n  providers: [{identity: {}}]\n");
    expect(auditScope(named, undefined).prefixes).toEqual(["/registry/configmaps/", "/registry/secrets/", "/registry/services/specs/"]);
    const wildcard = encryptionModelFromYaml("apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\nresources:\n- resources: ['*.apps']\n  providers: [{identity: {}}]\n");
    const scope = auditScope(wildcard, undefined);
    expect(scope.prefixes).toEqual(["/registry/"]);
    expect([scope.includes({ resource: "deployments", group: "apps" }), scope.includes({ resource: "secrets", group: "" }), scope.includes({ resource: "pods", group: "" })]).toEqual([true, true, false]);
  });

  it("prefixEnd is etcd's --prefix range end", () => {
    expect(prefixEnd(Buffer.from("/registry/secrets/")).toString("latin1")).toBe("/registry/secrets0");
    expect([...prefixEnd(Buffer.from([0x61, 0xff]))]).toEqual([0x62]);
  });
});

describe("loadEncryptionModel's parser", () => {
  it("lists keys in reading order with their providers, never their secrets", () => {
    const model = encryptionModelFromYaml(`
apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
  - resources: [secrets]
    providers:
      - kms: {name: plugin, endpoint: unix:///tmp/kms.sock, apiVersion: v2}
      - aescbc: {keys: [{name: k2, secret: MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=}, {name: k1, secret: MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=}]}
      - identity: {}
`);
    expect(model.entries[0]?.keys).toEqual([
      { provider: "kms", name: "plugin", kmsApiVersion: "v2" },
      { provider: "aescbc", name: "k2" },
      { provider: "aescbc", name: "k1" },
      { provider: "identity" },
    ]);
    expect(JSON.stringify(model)).not.toContain("MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=");
  });

  it("refuses what is not an EncryptionConfiguration, with CONFIG_INVALID and without quoting keys", () => {
    for (const text of ["kind: Pod", "kind: EncryptionConfiguration\nresources: [{resources: [secrets], providers: [{aescbc: {keys: [{secret: c2VjcmV0}]}}]}]", ": : :\n\tsecret: c2VjcmV0 ["]) {
      const error = (() => {
        try {
          encryptionModelFromYaml(text);
        } catch (caught) {
          return caught;
        }
      })();
      expect(isCofferError(error, "CONFIG_INVALID")).toBe(true);
      expect((error as Error).message).not.toContain("c2VjcmV0");
    }
  });
});

/** An in-memory etcd answering range reads like the real one (sorted keys, limit, more). */
function memoryEtcd(entries: Record<string, Buffer>): EtcdSource & { limits: number[] } {
  const keys = Object.keys(entries).sort();
  const limits: number[] = [];
  return {
    limits,
    async range(start, end, limit) {
      limits.push(limit);
      const inRange = keys.filter((k) => Buffer.compare(Buffer.from(k), start) >= 0 && Buffer.compare(Buffer.from(k), end) < 0);
      return { kvs: inRange.slice(0, limit).map((k) => ({ key: Buffer.from(k), value: entries[k]! })), more: inRange.length > limit, revision: "42" };
    },
    close() {},
  };
}

describe("auditEtcd over an in-memory etcd", () => {
  it("reads page by page and counts every object exactly once", async () => {
    const entries: Record<string, Buffer> = { "/registry/secretsX/not-mine": bytes("k8s\x00") };
    for (let i = 0; i < 23; i++) entries[`/registry/secrets/ns/s${String(i).padStart(2, "0")}`] = bytes(i % 2 === 0 ? "k8s:enc:aescbc:v1:a:" : "k8s:enc:aescbc:v1:b:");
    const source = memoryEtcd(entries);
    const pages: number[] = [];
    const result = await auditEtcd(source, { pageSize: 5, onPage: (n) => pages.push(n) });
    expect(result.objects).toBe(23);
    expect(result.resources).toEqual([{ resource: "secrets", objects: 23, storedWith: { "aescbc/a": 12, "aescbc/b": 11 }, configuredKeys: undefined }]);
    expect(pages).toEqual([5, 10, 15, 20, 23]);
    expect(result.revision).toBe("42");
    expect(result.findings).toEqual([]);
  });

  it("judges each object against the configuration", async () => {
    const source = memoryEtcd({
      "/registry/secrets/a/new": bytes("k8s:enc:aescbc:v1:new:"),
      "/registry/secrets/a/old": bytes("k8s:enc:aescbc:v1:old:"),
      "/registry/secrets/a/gone": bytes("k8s:enc:aescbc:v1:gone:"),
      "/registry/secrets/a/plain": bytes("k8s\x00"),
      "/registry/secrets/a/odd": bytes("garbage"),
      "/registry/configmaps/a/cm": bytes("k8s\x00"),
      "/registry/configmaps/a/enc": bytes("k8s:enc:aescbc:v1:new:"),
    });
    const model = encryptionModelFromYaml(
      "apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\nresources:\n- resources: [secrets, configmaps]\n  providers: [{aescbc: {keys: [{name: new, secret: MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=}, {name: old, secret: MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=}]}}, {identity: {}}]\n",
    );
    const result = await auditEtcd(source, { model });
    expect(result.findings.map((f) => [f.etcdKey, f.id, f.severity])).toEqual([
      ["/registry/configmaps/a/cm", "etcd-plaintext-object", "high"],
      ["/registry/secrets/a/gone", "etcd-unknown-key", "critical"],
      ["/registry/secrets/a/odd", "etcd-unrecognized-value", "high"],
      ["/registry/secrets/a/old", "etcd-stale-key", "medium"],
      ["/registry/secrets/a/plain", "etcd-plaintext-secret", "critical"],
    ]);
  });
});
