import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { CofferError, isCofferError } from "../../../src/errors.js";
import { DataKeyUnavailableError, generateDataKey, unwrapDataKey, wrapDataKey } from "../../../src/core/data-key.js";
import { TreeMap } from "../../../src/core/tree.js";
import type { KeyProvider, KeyStanza } from "../../../src/provider.js";
import { providersByType } from "../../../src/provider.js";

/** A fake provider doing real AES-GCM with a secret per recipient; unknown recipients → null. */
function fakeProvider(type: string, secrets: Map<string, Buffer>, calls: string[] = []): KeyProvider {
  return {
    type,
    async wrap(dataKey, key) {
      const secret = secrets.get(key.fields.get("recipient") as string)!;
      const iv = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", secret, iv);
      const sealed = Buffer.concat([iv, cipher.update(dataKey), cipher.final(), cipher.getAuthTag()]);
      const fields = new TreeMap([...key.fields.entries(), { key: "enc", value: sealed.toString("base64") }]);
      return { type, fields };
    },
    async unwrap(stanza) {
      const recipient = stanza.fields.get("recipient") as string;
      calls.push(`${type}:${recipient}`);
      const secret = secrets.get(recipient);
      if (!secret) return null;
      const sealed = Buffer.from(stanza.fields.get("enc") as string, "base64");
      const decipher = createDecipheriv("aes-256-gcm", secret, sealed.subarray(0, 12));
      decipher.setAuthTag(sealed.subarray(sealed.length - 16));
      return new Uint8Array(Buffer.concat([decipher.update(sealed.subarray(12, sealed.length - 16)), decipher.final()]));
    },
  };
}

const template = (type: string, recipient: string): KeyStanza => ({ type, fields: TreeMap.from({ recipient }) });

describe("wrapDataKey / unwrapDataKey", () => {
  const secrets = new Map(["a", "b", "c", "p"].map((r) => [r, randomBytes(32)]));

  it("wraps one group with the whole key and unwraps it", async () => {
    const dataKey = generateDataKey();
    const resolve = providersByType([fakeProvider("age", secrets)]);
    const groups = await wrapDataKey(dataKey, [[template("age", "a"), template("age", "b")]], { resolve });
    expect(groups[0]!.every((s) => typeof s.fields.get("enc") === "string")).toBe(true);
    expect(await unwrapDataKey({ keyGroups: groups }, { resolve })).toEqual(dataKey);
  });

  it("splits across three groups and unwraps with every 2-of-3 subset of identities", async () => {
    const dataKey = generateDataKey();
    const groups = await wrapDataKey(dataKey, [[template("age", "a")], [template("age", "b")], [template("age", "c")]], {
      threshold: 2,
      resolve: providersByType([fakeProvider("age", secrets)]),
    });
    for (const pair of [["a", "b"], ["a", "c"], ["b", "c"]]) {
      const subset = new Map(pair.map((r) => [r, secrets.get(r)!]));
      const resolve = providersByType([fakeProvider("age", subset)]);
      expect(await unwrapDataKey({ keyGroups: groups, shamirThreshold: 2 }, { resolve })).toEqual(dataKey);
    }
    const one = providersByType([fakeProvider("age", new Map([["a", secrets.get("a")!]]))]);
    await expect(unwrapDataKey({ keyGroups: groups, shamirThreshold: 2 }, { resolve: one })).rejects.toMatchObject({
      code: "NO_MATCHING_KEY",
    });
  });

  it("tries age, then pgp, then the rest in group order; skips missing providers; moves on after errors", async () => {
    const dataKey = generateDataKey();
    const calls: string[] = [];
    const failing: KeyProvider = {
      type: "kms",
      wrap: async () => {
        throw new Error("unused");
      },
      unwrap: async (stanza) => {
        calls.push(`kms:${stanza.fields.get("recipient") as string}`);
        throw new CofferError("PROVIDER_UNAVAILABLE", "kms endpoint timed out");
      },
    };
    const pgp = fakeProvider("pgp", secrets, calls);
    const wrapped = await wrapDataKey(dataKey, [[template("pgp", "p")]], { resolve: providersByType([pgp]) });
    const group: KeyStanza[] = [
      { type: "kms", fields: TreeMap.from({ recipient: "k1", enc: "x" }) },
      { type: "azure_kv", fields: TreeMap.from({ vault_url: "https://v", name: "n", enc: "x" }) },
      { type: "age", fields: TreeMap.from({ recipient: "zzz", enc: "x" }) },
      wrapped[0]![0]!,
    ];
    const resolve = providersByType([failing, pgp, fakeProvider("age", new Map(), calls)]);
    expect(await unwrapDataKey({ keyGroups: [group] }, { resolve })).toEqual(dataKey);
    expect(calls).toEqual(["age:zzz", "pgp:p"]);

    calls.length = 0;
    expect(await unwrapDataKey({ keyGroups: [group] }, { resolve, order: ["kms", "pgp"] })).toEqual(dataKey);
    expect(calls).toEqual(["kms:k1", "pgp:p"]);
  });

  it("reports every attempt without enc when nothing unwraps", async () => {
    const group: KeyStanza[] = [
      { type: "kms", fields: TreeMap.from({ arn: "arn:aws:kms:eu-west-1:1:key/abc", enc: "SECRET-ENC" }) },
      { type: "azure_kv", fields: TreeMap.from({ vault_url: "https://v.vault.azure.net", name: "k", enc: "SECRET-ENC" }) },
      { type: "age", fields: TreeMap.from({ recipient: "age1nobody", enc: "SECRET-ENC" }) },
    ];
    const kms: KeyProvider = {
      type: "kms",
      wrap: async () => {
        throw new Error("unused");
      },
      unwrap: async () => {
        throw new CofferError("PROVIDER_DENIED", "access denied by kms");
      },
    };
    const resolve = providersByType([kms, fakeProvider("age", new Map())]);
    let error: unknown;
    try {
      await unwrapDataKey({ keyGroups: [group] }, { resolve });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DataKeyUnavailableError);
    const err = error as DataKeyUnavailableError;
    expect(err.code).toBe("NO_MATCHING_KEY");
    expect(err.hint).toBeTruthy();
    expect(err.message).not.toContain("SECRET-ENC");
    expect(err.message).toContain("age1nobody");
    expect(err.message).toContain("arn:aws:kms:eu-west-1:1:key/abc");
    expect(err.attempts.map((a) => [a.type, a.outcome, a.code])).toEqual([
      ["age", "no-identity", undefined],
      ["kms", "failed", "PROVIDER_DENIED"],
      ["azure_kv", "no-provider", undefined],
    ]);
  });

  it("refuses to wrap for no keys or an unknown provider", async () => {
    const resolve = providersByType([]);
    await expect(wrapDataKey(generateDataKey(), [], { resolve })).rejects.toMatchObject({ code: "NO_RECIPIENTS" });
    const err = await wrapDataKey(generateDataKey(), [[template("age", "a")]], { resolve }).catch((e: unknown) => e);
    expect(isCofferError(err, "PROVIDER_UNAVAILABLE")).toBe(true);
  });
});
