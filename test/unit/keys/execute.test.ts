import { describe, expect, it } from "vitest";
import { encryptTree } from "../../../src/api.js";
import { unwrapDataKey } from "../../../src/core/data-key.js";
import { decryptTreeFile } from "../../../src/core/envelope.js";
import { metadataFromTree, metadataToTree } from "../../../src/core/metadata.js";
import { TreeMap } from "../../../src/core/tree.js";
import type { TreeFile } from "../../../src/core/tree.js";
import type { KeyProvider, KeyStanza } from "../../../src/provider.js";
import { providersByType } from "../../../src/provider.js";
import { planKeyUpdate, planRotation, rotateFile, updateFileKeys } from "../../../src/keys/index.js";
import { createAgeProvider, generateAgeIdentity, parseAgeIdentities } from "../../../providers/age/index.js";

async function ageKeyPair(): Promise<{ recipient: string; provider: KeyProvider }> {
  const generated = await generateAgeIdentity();
  const { identities } = await parseAgeIdentities(generated.identity, "test");
  return { recipient: generated.recipient, provider: createAgeProvider({ identities }) };
}

const age = (recipient: string): KeyStanza => ({ type: "age", fields: TreeMap.from({ recipient }) });
const azure = (): KeyStanza => ({
  type: "azure_kv",
  fields: TreeMap.from({ vault_url: "https://v.vault.azure.net", name: "k", version: "1", created_at: "2024-01-01T00:00:00Z", enc: "opaque" }),
});
const plain = (): TreeFile => ({ documents: [TreeMap.from({ password: "hunter2", port: 5432n })] });
const wrapper = createAgeProvider();
/** Counts provider calls, to prove kept keys are not re-wrapped. */
function counting(provider: KeyProvider): KeyProvider & { wraps: number } {
  const counted = {
    type: provider.type,
    wraps: 0,
    wrap: async (key: Uint8Array, stanza: KeyStanza) => {
      counted.wraps++;
      return provider.wrap(key, stanza);
    },
    unwrap: (stanza: KeyStanza) => provider.unwrap(stanza),
  };
  return counted;
}

describe("updateFileKeys", () => {
  it("adds a recipient with the same data key, keeps the other stanzas verbatim, and leaves the mac alone", async () => {
    const a = await ageKeyPair();
    const b = await ageKeyPair();
    const file = await encryptTree(plain(), { format: "yaml", keyGroups: [[age(a.recipient)]], providers: [wrapper] });
    const before = metadataFromTree(file.metadata!);
    const withAzure = { ...before, keyGroups: [[...before.keyGroups[0]!, azure()]] };
    const plan = planKeyUpdate(withAzure, { keyGroups: [[age(a.recipient), age(b.recipient), azure()]] });
    const provider = counting(a.provider);
    const updated = await updateFileKeys({ documents: file.documents, metadata: metadataToTree(withAzure) }, plan, { resolve: providersByType([provider]) });
    const after = metadataFromTree(updated.metadata!);
    expect(provider.wraps).toBe(1);
    expect(after.mac).toBe(before.mac);
    expect(after.lastModified).toBe(before.lastModified);
    expect(updated.documents).toBe(file.documents);
    const kept = after.keyGroups[0]!.find((s) => s.fields.get("recipient") === a.recipient)!;
    expect(kept.fields.get("enc")).toBe(before.keyGroups[0]![0]!.fields.get("enc"));
    expect(after.keyGroups[0]!.find((s) => s.type === "azure_kv")!.fields.get("enc")).toBe("opaque");
    const oldKey = await unwrapDataKey(before, { resolve: providersByType([a.provider]) });
    const newKey = await unwrapDataKey(after, { resolve: providersByType([b.provider]) });
    expect(Buffer.from(newKey).equals(Buffer.from(oldKey))).toBe(true);
  });

  it("removes a recipient without any provider call", async () => {
    const a = await ageKeyPair();
    const b = await ageKeyPair();
    const file = await encryptTree(plain(), { format: "yaml", keyGroups: [[age(a.recipient), age(b.recipient)]], providers: [wrapper] });
    const plan = planKeyUpdate(metadataFromTree(file.metadata!), { keyGroups: [[age(a.recipient)]] });
    const updated = await updateFileKeys(file, plan, { resolve: async () => undefined });
    const after = metadataFromTree(updated.metadata!);
    expect(after.keyGroups[0]!.map((s) => s.fields.get("recipient"))).toEqual([a.recipient]);
    await expect(unwrapDataKey(after, { resolve: providersByType([b.provider]) })).rejects.toMatchObject({ code: "NO_MATCHING_KEY" });
  });

  it("adds a key to one shamir group from that group's share, and the file opens with it", async () => {
    const [a, b, c] = [await ageKeyPair(), await ageKeyPair(), await ageKeyPair()];
    const file = await encryptTree(plain(), { format: "yaml", keyGroups: [[age(a.recipient)], [age(b.recipient)]], shamirThreshold: 2, providers: [wrapper] });
    const before = metadataFromTree(file.metadata!);
    const plan = planKeyUpdate(before, { keyGroups: [[age(a.recipient)], [age(b.recipient), age(c.recipient)]], shamirThreshold: 2 });
    expect(plan.reshare).toBe(false);
    const updated = await updateFileKeys(file, plan, { resolve: providersByType([b.provider]) });
    const after = metadataFromTree(updated.metadata!);
    expect(after.keyGroups[0]![0]!.fields.get("enc")).toBe(before.keyGroups[0]![0]!.fields.get("enc"));
    const decrypted = decryptTreeFile(updated, { dataKey: await unwrapDataKey(after, { resolve: async (type) => (type === "age" ? multi([a.provider, c.provider]) : undefined) }) });
    expect(decrypted.documents[0]!.get("password")).toBe("hunter2");
  });

  it("re-splits every group when the threshold changes", async () => {
    const [a, b, c] = [await ageKeyPair(), await ageKeyPair(), await ageKeyPair()];
    const groups = [[age(a.recipient)], [age(b.recipient)], [age(c.recipient)]];
    const file = await encryptTree(plain(), { format: "yaml", keyGroups: groups, shamirThreshold: 3, providers: [wrapper] });
    const plan = planKeyUpdate(metadataFromTree(file.metadata!), { keyGroups: groups, shamirThreshold: 2 });
    const updated = await updateFileKeys(file, plan, { resolve: async () => multi([a.provider, b.provider, c.provider]) });
    const after = metadataFromTree(updated.metadata!);
    expect(after.shamirThreshold).toBe(2);
    const key = await unwrapDataKey(after, { resolve: async () => multi([a.provider, c.provider]) });
    expect(decryptTreeFile(updated, { dataKey: key }).documents[0]!.get("port")).toBe(5432n);
  });

  it("fails with PROVIDER_UNAVAILABLE when a re-split would need a key type without a provider", async () => {
    const a = await ageKeyPair();
    const file = await encryptTree(plain(), { format: "yaml", keyGroups: [[age(a.recipient)]], providers: [wrapper] });
    const before = metadataFromTree(file.metadata!);
    const plan = planKeyUpdate({ ...before, keyGroups: [[...before.keyGroups[0]!, azure()]] }, { keyGroups: [[age(a.recipient)], [azure()]] });
    const withAzure = { documents: file.documents, metadata: metadataToTree({ ...before, keyGroups: [[...before.keyGroups[0]!, azure()]] }) };
    await expect(updateFileKeys(withAzure, plan, { resolve: providersByType([a.provider]) })).rejects.toMatchObject({ code: "PROVIDER_UNAVAILABLE" });
  });
});

/** One age provider trying several providers' identities. */
function multi(providers: KeyProvider[]): KeyProvider {
  return {
    type: "age",
    wrap: (key, stanza) => wrapper.wrap(key, stanza),
    unwrap: async (stanza) => {
      for (const provider of providers) {
        const key = await provider.unwrap(stanza);
        if (key !== null) return key;
      }
      return null;
    },
  };
}

describe("rotateFile", () => {
  it("draws a new data key, re-encrypts every value and verifies with the new mac", async () => {
    const a = await ageKeyPair();
    const b = await ageKeyPair();
    const file = await encryptTree(plain(), { format: "yaml", keyGroups: [[age(a.recipient)]], providers: [wrapper] });
    const plan = planRotation(metadataFromTree(file.metadata!), { add: [age(b.recipient)], remove: [age(a.recipient)] });
    const rotated = await rotateFile(file, plan, { resolve: providersByType([a.provider]), now: new Date("2030-01-02T03:04:05Z") });
    const after = metadataFromTree(rotated.metadata!);
    expect(after.lastModified).toBe("2030-01-02T03:04:05Z");
    expect(after.keyGroups[0]!.map((s) => s.fields.get("recipient"))).toEqual([b.recipient]);
    expect(rotated.documents[0]!.get("password")).not.toBe(file.documents[0]!.get("password"));
    const newKey = await unwrapDataKey(after, { resolve: providersByType([b.provider]) });
    const oldKey = await unwrapDataKey(metadataFromTree(file.metadata!), { resolve: providersByType([a.provider]) });
    expect(Buffer.from(newKey).equals(Buffer.from(oldKey))).toBe(false);
    expect(decryptTreeFile(rotated, { dataKey: newKey }).documents[0]!.get("password")).toBe("hunter2");
  });

  it("refuses to rotate a file with a stanza it cannot re-wrap", async () => {
    const a = await ageKeyPair();
    const file = await encryptTree(plain(), { format: "yaml", keyGroups: [[age(a.recipient)]], providers: [wrapper] });
    const before = metadataFromTree(file.metadata!);
    const metadata = { ...before, keyGroups: [[...before.keyGroups[0]!, azure()]] };
    const plan = planRotation(metadata);
    await expect(rotateFile({ documents: file.documents, metadata: metadataToTree(metadata) }, plan, { resolve: providersByType([a.provider]) })).rejects.toMatchObject({
      code: "PROVIDER_UNAVAILABLE",
    });
  });
});
