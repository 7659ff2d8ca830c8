/**
 * The CofferGenerator as a pure function: ResourceList in, ResourceList out. Files live in memory
 * and are really encrypted (age), so the generator goes through the real decrypt path.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { decrypt, encrypt } from "../../../src/api.js";
import { CofferError, isCofferError } from "../../../src/errors.js";
import { TreeMap } from "../../../src/core/tree.js";
import type { FormatName } from "../../../src/formats/store.js";
import type { KeyProvider } from "../../../src/provider.js";
import { createAgeProvider, generateAgeIdentity, parseAgeIdentities } from "../../../providers/age/index.js";
import { defaultKeyFor, type GeneratorIo } from "../../../src/kustomize/generator.js";
import * as krm from "../../../src/kustomize/resource-list.js";
import type { ResourceList } from "../../../src/kustomize/resource-list.js";

const { failedResourceList, parseResourceList, runResourceList, serializeObjects, serializeResourceList } = krm;
import { formatFromPath } from "../../../src/formats/index.js";

const PLAIN: Record<string, string> = {
  "secret.enc.yaml": "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  password: hunter2-from-yaml\n---\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: flags\ndata:\n  mode: \"on\"\n",
  "app.enc.env": "# a comment\nAPI_TOKEN=tok-from-dotenv\nEMPTY=\n",
  "cert.enc.pem": "-----BEGIN CERTIFICATE-----\nnot-really-a-cert\n-----END CERTIFICATE-----\n",
  "nested.enc.json": '{"outer": {"inner": "x"}}',
  "not-k8s.enc.yaml": "foo: bar\n",
};

let provider: KeyProvider;
const files = new Map<string, Uint8Array>();

beforeAll(async () => {
  const identity = await generateAgeIdentity({});
  provider = createAgeProvider({ identities: (await parseAgeIdentities(identity.fileText, "test")).identities });
  const keyGroups = [[{ type: "age", fields: TreeMap.from({ recipient: identity.recipient }) }]];
  for (const [path, text] of Object.entries(PLAIN)) {
    files.set(path, await encrypt(text, { format: formatFromPath(path), keyGroups, providers: [provider] }));
  }
});

/** Decrypts from memory; records every path asked for. */
function memoryIo(asked: string[] = []): GeneratorIo {
  return {
    async decrypt(path: string, formats: { format: FormatName; outputFormat: FormatName }) {
      asked.push(path);
      const bytes = files.get(path);
      if (bytes === undefined) throw new Error(`no such test file ${path}`);
      return decrypt(bytes, { ...formats, providers: [provider] });
    },
  };
}

function resourceList(functionConfig: unknown, items: unknown[] = []): ResourceList {
  return parseResourceList(JSON.stringify({ apiVersion: "config.kubernetes.io/v1", kind: "ResourceList", items, functionConfig }));
}

const generator = (spec: Record<string, unknown>) => ({ apiVersion: "coffer.dev/v1alpha1", kind: "CofferGenerator", metadata: { name: "g" }, ...spec });

async function codeOf(run: () => Promise<unknown>): Promise<string | undefined> {
  try {
    await run();
  } catch (error) {
    return isCofferError(error) ? error.code : "NOT_A_COFFER_ERROR";
  }
  return undefined;
}

const fromBase64 = (value: unknown) => Buffer.from(String(value), "base64").toString("utf8");

describe("the CofferGenerator ResourceList function", () => {
  it("passes the input items through and appends the decrypted manifests, then the built Secrets", async () => {
    const config = generator({
      files: ["secret.enc.yaml"],
      secrets: [{ name: "app", envs: ["app.enc.env"], files: ["cert.enc.pem", "ca.crt=cert.enc.pem"] }],
    });
    const passthrough = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "untouched" }, data: { a: "b" } };
    const out = await runResourceList(resourceList(config, [passthrough]), memoryIo());

    expect(out.apiVersion).toBe("config.kubernetes.io/v1");
    expect(out.kind).toBe("ResourceList");
    expect(out.results).toBeUndefined();
    expect(out.items.map((item) => `${String(item.kind)}/${String((item.metadata as { name: string }).name)}`)).toEqual([
      "ConfigMap/untouched",
      "Secret/db",
      "ConfigMap/flags",
      "Secret/app",
    ]);
    expect(out.items[0]).toEqual(passthrough);
    expect(out.items[1]).toMatchObject({ stringData: { password: "hunter2-from-yaml" } });
    expect(out.items[2]).toMatchObject({ data: { mode: "on" } });
    const secret = out.items[3]!;
    expect(secret).toMatchObject({ apiVersion: "v1", type: "Opaque", metadata: { name: "app" } });
    const data = secret.data as Record<string, string>;
    expect(Object.keys(data)).toEqual(["API_TOKEN", "EMPTY", "ca.crt", "cert.pem"]); // sorted; .enc dropped from the default key
    expect(fromBase64(data.API_TOKEN)).toBe("tok-from-dotenv");
    expect(fromBase64(data.EMPTY)).toBe("");
    expect(fromBase64(data["cert.pem"])).toBe(PLAIN["cert.enc.pem"]);
    expect(data["ca.crt"]).toBe(data["cert.pem"]);
    // Stable names unless a hash suffix is asked for: no kustomize annotation by default.
    expect((secret.metadata as Record<string, unknown>).annotations).toBeUndefined();
  });

  it("asks kustomize for a name hash and a generator behavior only through its annotations", async () => {
    const config = generator({
      secrets: [{ name: "app", namespace: "shop", type: "kubernetes.io/tls", envs: ["app.enc.env"], behavior: "merge", options: { nameSuffixHash: true, labels: { team: "a" }, annotations: { note: "n" } } }],
    });
    const [secret] = (await runResourceList(resourceList(config), memoryIo())).items;
    expect(secret).toMatchObject({
      type: "kubernetes.io/tls",
      metadata: {
        name: "app",
        namespace: "shop",
        labels: { team: "a" },
        annotations: { note: "n", "kustomize.config.k8s.io/needs-hash": "true", "kustomize.config.k8s.io/behavior": "merge" },
      },
    });
  });

  it("accepts the older v1alpha1 ResourceList and answers in the same version", async () => {
    const input = parseResourceList(`apiVersion: config.kubernetes.io/v1alpha1\nkind: ResourceList\nfunctionConfig:\n  apiVersion: coffer.dev/v1alpha1\n  kind: CofferGenerator\n  metadata: {name: g}\n  files: [secret.enc.yaml]\n`);
    const out = await runResourceList(input, memoryIo());
    expect(out.apiVersion).toBe("config.kubernetes.io/v1alpha1");
    expect(out.items).toHaveLength(2);
  });

  it("names default Secret keys after the file without its .enc part", () => {
    expect(defaultKeyFor("certs/cert.enc.pem")).toBe("cert.pem");
    expect(defaultKeyFor("tls.key.enc")).toBe("tls.key");
    expect(defaultKeyFor("ca.pem")).toBe("ca.pem");
    expect(defaultKeyFor("encore.enc.txt")).toBe("encore.txt");
  });

  it.each([
    ["no functionConfig", undefined],
    ["another kind", { ...generator({ files: ["secret.enc.yaml"] }), kind: "SecretGenerator" }],
    ["no metadata.name", { ...generator({ files: ["secret.enc.yaml"] }), metadata: {} }],
    ["nothing to generate", generator({})],
    ["files not a list", generator({ files: "secret.enc.yaml" })],
    ["a Secret without inputs", generator({ secrets: [{ name: "app" }] })],
    ["a Secret with an invalid name", generator({ secrets: [{ name: "App_1", envs: ["app.enc.env"] }] })],
    ["an invalid key", generator({ secrets: [{ name: "app", files: ["bad key=cert.enc.pem"] }] })],
    ["an unknown behavior", generator({ secrets: [{ name: "app", envs: ["app.enc.env"], behavior: "upsert" }] })],
    ["a non-boolean hash option", generator({ secrets: [{ name: "app", envs: ["app.enc.env"], options: { nameSuffixHash: "yes" } }] })],
    ["the same Secret twice", generator({ secrets: [{ name: "app", envs: ["app.enc.env"] }, { name: "app", files: ["cert.enc.pem"] }] })],
    ["a key given twice", generator({ secrets: [{ name: "app", files: ["k=cert.enc.pem", "k=cert.enc.pem"] }] })],
    ["a dotenv file under files:", generator({ files: ["app.enc.env"] })],
  ])("refuses %s with GENERATOR_INVALID before decrypting anything it should not", async (_name, config) => {
    const asked: string[] = [];
    expect(await codeOf(() => runResourceList(resourceList(config), memoryIo(asked)))).toBe("GENERATOR_INVALID");
    if (_name !== "a key given twice") expect(asked).toEqual([]);
  });

  it.each([
    ["a nested value in envs", generator({ secrets: [{ name: "app", envs: ["nested.enc.json"] }] })],
    ["a manifest document that is not a Kubernetes object", generator({ files: ["not-k8s.enc.yaml"] })],
  ])("refuses %s with FORMAT_INVALID", async (_name, config) => {
    expect(await codeOf(() => runResourceList(resourceList(config), memoryIo()))).toBe("FORMAT_INVALID");
  });

  it.each([
    ["not YAML", "{ [", "FORMAT_INVALID"],
    ["not a ResourceList", "apiVersion: v1\nkind: List\nitems: []\n", "GENERATOR_INVALID"],
    ["items not a list", "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems: 3\n", "GENERATOR_INVALID"],
    ["a scalar", "42\n", "GENERATOR_INVALID"],
  ])("refuses an input that is %s", async (_name, text, code) => {
    expect(await codeOf(async () => parseResourceList(text))).toBe(code);
  });

  it("answers a failure with the input items and one error result carrying the code, never a value", async () => {
    const input = resourceList(generator({ files: ["secret.enc.yaml"] }), [{ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "x" } }]);
    const failingIo: GeneratorIo = {
      decrypt: async (path, formats) => {
        const plain = await memoryIo().decrypt(path, formats);
        expect(new TextDecoder().decode(plain)).toContain("hunter2-from-yaml");
        throw new CofferError("MAC_MISMATCH", `${path}: the file's contents do not match its MAC`);
      },
    };
    let error: unknown;
    try {
      await runResourceList(input, failingIo);
    } catch (caught) {
      error = caught;
    }
    const failed = failedResourceList(input, error);
    expect(failed.items).toEqual(input.items);
    expect(failed.results).toHaveLength(1);
    expect(failed.results![0]).toMatchObject({ severity: "error", tags: { "coffer.dev/code": "MAC_MISMATCH" } });
    expect(failed.results![0]!.message).toMatch(/\[MAC_MISMATCH\]$/);
    expect(serializeResourceList(failed)).not.toContain("hunter2");
    // An unexpected error is reported as INTERNAL, without its (possibly value-bearing) message.
    const internal = failedResourceList(undefined, new Error("value hunter2 leaked"));
    expect(internal.results![0]!.tags).toEqual({ "coffer.dev/code": "INTERNAL" });
    expect(JSON.stringify(internal)).not.toContain("hunter2");
  });

  it("serializes as JSON, so YAML 1.1 readers keep strings like 'on' as strings", async () => {
    const out = await runResourceList(resourceList(generator({ files: ["secret.enc.yaml"] })), memoryIo());
    const text = serializeResourceList(out);
    expect(JSON.parse(text)).toEqual(out);
    expect(text).toContain('"mode": "on"');
    const stream = serializeObjects(out.items);
    expect(stream.split("---\n").filter(Boolean).map((doc) => JSON.parse(doc) as unknown)).toEqual(out.items);
  });
});
