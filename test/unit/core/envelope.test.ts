import { describe, expect, it } from "vitest";
import { decryptTreeFile, encryptTreeFile } from "../../../src/core/envelope.js";
import type { CoreWarning } from "../../../src/core/envelope.js";
import { IvReuseMap } from "../../../src/core/iv-reuse.js";
import { metadataFromTree } from "../../../src/core/metadata.js";
import { Comment, Time, TreeMap } from "../../../src/core/tree.js";
import type { TreeFile } from "../../../src/core/tree.js";
import { decryptValue, encryptValue, parseEncValue } from "../../../src/core/value-cipher.js";
import { errorCodeOf as code } from "../../helpers/errors.js";

const dataKey = Buffer.alloc(32, 3);
const now = new Date(Date.UTC(2024, 2, 25, 22, 8, 10, 500));
const keyGroups = [[{ type: "age", fields: TreeMap.from({ recipient: "age1x", enc: "armored" }) }]];

function sample(): TreeFile {
  return {
    documents: [
      new TreeMap([
        new Comment(" top"),
        { key: "db", value: TreeMap.from({ password: "hunter2", port: 5432n }) },
        { key: "list", value: ["a", new Comment(" in list"), TreeMap.from({ k: 1.5 }), ["nested"]] },
        { key: "plain_unencrypted", value: "visible" },
        { key: "empty", value: "" },
        { key: "nothing", value: null },
        { key: "when", value: new Time("2024-01-01T00:00:00Z") },
        { key: "flag", value: true },
        { key: "blank", value: new TreeMap() },
      ]),
    ],
  };
}


describe("encryptTreeFile", () => {
  const encrypted = encryptTreeFile(sample(), { dataKey, keyGroups, now });
  const doc = encrypted.documents[0]!;

  it("uses map keys joined by ':' as AAD, list indices never, containers for comments", () => {
    const db = doc.get("db") as TreeMap;
    expect(decryptValue(db.get("password") as string, { dataKey, aad: "db:password:" })).toBe("hunter2");
    expect(decryptValue(db.get("port") as string, { dataKey, aad: "db:port:" })).toBe(5432n);
    const list = doc.get("list") as Array<unknown>;
    expect(decryptValue(list[0] as string, { dataKey, aad: "list:" })).toBe("a");
    expect(decryptValue((list[1] as Comment).text, { dataKey, aad: "list:" })).toBe(" in list");
    expect(decryptValue((list[2] as TreeMap).get("k") as string, { dataKey, aad: "list:k:" })).toBe(1.5);
    expect(decryptValue((list[3] as string[])[0]!, { dataKey, aad: "list:" })).toBe("nested");
    expect(decryptValue((doc.items[0] as Comment).text, { dataKey, aad: ":" })).toBe(" top");
  });

  it("leaves _unencrypted, empty, null and empty containers alone", () => {
    expect(doc.get("plain_unencrypted")).toBe("visible");
    expect(doc.get("empty")).toBe("");
    expect(doc.get("nothing")).toBeNull();
    expect(doc.get("blank")).toEqual(new TreeMap());
    expect(parseEncValue(doc.get("when") as string).type).toBe("time");
  });

  it("writes 3.13 metadata with lastmodified truncated to seconds", () => {
    const meta = metadataFromTree(encrypted.metadata!);
    expect(meta.lastModified).toBe("2024-03-25T22:08:10Z");
    expect(meta.cryptRule).toEqual({ kind: "unencrypted_suffix", value: "_unencrypted" });
    expect(meta.version).toBe("3.13.2");
    expect(encrypted.metadata!.entries().map((e) => e.key)).toEqual(["age", "lastmodified", "mac", "unencrypted_suffix", "version"]);
  });

  it("does not mutate its input and refuses already encrypted files", () => {
    const input = sample();
    encryptTreeFile(input, { dataKey, keyGroups, now });
    expect((input.documents[0]!.get("db") as TreeMap).get("password")).toBe("hunter2");
    expect(code(() => encryptTreeFile(encrypted, { dataKey, keyGroups, now }))).toBe("ALREADY_ENCRYPTED");
    const withSops = { documents: [TreeMap.from({ a: "1", sops: TreeMap.from({}) })] };
    expect(code(() => encryptTreeFile(withSops, { dataKey, keyGroups, now }))).toBe("ALREADY_ENCRYPTED");
    expect(code(() => encryptTreeFile({ documents: [] }, { dataKey, keyGroups, now }))).toBe("NO_DOCUMENTS");
  });

  it("writes no crypt rule when asked (binary store)", () => {
    const out = encryptTreeFile({ documents: [TreeMap.from({ data: "bytes" })] }, { dataKey, keyGroups, now, cryptRule: null });
    expect(out.metadata!.has("unencrypted_suffix")).toBe(false);
    expect(decryptTreeFile(out, { dataKey }).documents[0]!.get("data")).toBe("bytes");
  });
});

describe("decryptTreeFile", () => {
  it("round-trips the sample and verifies the MAC", () => {
    const encrypted = encryptTreeFile(sample(), { dataKey, keyGroups, now });
    const plain = decryptTreeFile(encrypted, { dataKey });
    expect(plain.metadata).toBeUndefined();
    expect(plain.documents).toEqual(sample().documents);
  });

  it("detects a changed unencrypted value (MAC_MISMATCH) unless ignoreMac", () => {
    const encrypted = encryptTreeFile(sample(), { dataKey, keyGroups, now });
    encrypted.documents[0]!.set("plain_unencrypted", "changed");
    expect(code(() => decryptTreeFile(encrypted, { dataKey }))).toBe("MAC_MISMATCH");
    expect(decryptTreeFile(encrypted, { dataKey, ignoreMac: true }).documents[0]!.get("plain_unencrypted")).toBe("changed");
  });

  it("mac_only_encrypted ignores unencrypted values in the MAC", () => {
    const encrypted = encryptTreeFile(sample(), { dataKey, keyGroups, now, macOnlyEncrypted: true });
    expect(encrypted.metadata!.get("mac_only_encrypted")).toBe(true);
    encrypted.documents[0]!.set("plain_unencrypted", "changed");
    expect(decryptTreeFile(encrypted, { dataKey }).documents[0]!.get("plain_unencrypted")).toBe("changed");
  });

  it("reports MAC_MISSING, MAC_DECRYPT_FAILED, NOT_ENCRYPTED, VALUE_DECRYPT_FAILED", () => {
    const base = () => encryptTreeFile(sample(), { dataKey, keyGroups, now });
    const noMac = base();
    noMac.metadata!.set("mac", "");
    expect(code(() => decryptTreeFile(noMac, { dataKey }))).toBe("MAC_MISSING");
    const moved = base();
    moved.metadata!.set("lastmodified", "2024-03-25T22:08:11Z");
    expect(code(() => decryptTreeFile(moved, { dataKey }))).toBe("MAC_DECRYPT_FAILED");
    expect(code(() => decryptTreeFile({ documents: [] }, { dataKey }))).toBe("NOT_ENCRYPTED");
    const swapped = base();
    const db = swapped.documents[0]!.get("db") as TreeMap;
    db.set("password", encryptValue("other", { dataKey, aad: "db:port:" }));
    expect(code(() => decryptTreeFile(swapped, { dataKey }))).toBe("VALUE_DECRYPT_FAILED");
    const cleartext = base();
    (cleartext.documents[0]!.get("db") as TreeMap).set("password", "not encrypted");
    expect(code(() => decryptTreeFile(cleartext, { dataKey }))).toBe("CIPHERTEXT_INVALID");
  });

  it("keeps undecryptable comments as plain text and reports them through onWarning", () => {
    const encrypted = encryptTreeFile(sample(), { dataKey, keyGroups, now });
    encrypted.documents[0]!.items[0] = new Comment(" an old clear comment");
    const warnings: CoreWarning[] = [];
    const plain = decryptTreeFile(encrypted, { dataKey, onWarning: (w) => warnings.push(w) });
    expect((plain.documents[0]!.items[0] as Comment).text).toBe(" an old clear comment");
    expect(warnings.map((w) => [w.code, w.aad])).toEqual([["COMMENT_NOT_DECRYPTED", ":"]]);
  });

  it("applies encrypted_comment_regex with the comment stack", () => {
    const file: TreeFile = {
      documents: [
        new TreeMap([
          { key: "clear", value: "c" },
          new Comment(" sops:enc"),
          new Comment(" secret note"),
          { key: "secret", value: "s" },
          { key: "after", value: "a" },
          new Comment(" sops:enc"),
          { key: "parent", value: TreeMap.from({ child: "x" }) },
        ]),
      ],
    };
    const rule = { kind: "encrypted_comment_regex" as const, value: "sops:enc" };
    const out = encryptTreeFile(file, { dataKey, keyGroups, now, cryptRule: rule });
    const items = out.documents[0]!.items;
    const shown = items.map((item) => (item instanceof Comment ? item.text : item.value instanceof TreeMap ? item.value.get("child") : item.value));
    expect(shown[0]).toBe("c");
    expect(shown[1]).toBe(" sops:enc");
    expect(String(shown[2])).toMatch(/^ENC\[.*type:comment\]$/);
    expect(String(shown[3])).toMatch(/^ENC\[/);
    expect(shown[4]).toBe("a");
    expect(String(shown[6])).toMatch(/^ENC\[/);
    expect(out.metadata!.get("encrypted_comment_regex")).toBe("sops:enc");
    expect(decryptTreeFile(out, { dataKey }).documents).toEqual(file.documents);
  });
});

describe("IV reuse", () => {
  it("re-encrypting a decrypted file with its IVs is byte-identical for values", () => {
    const first = encryptTreeFile(sample(), { dataKey, keyGroups, now });
    const ivs = new IvReuseMap();
    const plain = decryptTreeFile(first, { dataKey, collectIvs: ivs });
    const second = encryptTreeFile(plain, { dataKey, keyGroups, now, ivFor: ivs.source() });
    expect(second.documents).toEqual(first.documents);
    // A changed value gets a fresh IV; the others keep theirs.
    (plain.documents[0]!.get("db") as TreeMap).set("password", "new");
    const third = encryptTreeFile(plain, { dataKey, keyGroups, now, ivFor: ivs.source() });
    const db1 = first.documents[0]!.get("db") as TreeMap;
    const db3 = third.documents[0]!.get("db") as TreeMap;
    expect(db3.get("port")).toBe(db1.get("port"));
    expect(parseEncValue(db3.get("password") as string).iv).not.toEqual(parseEncValue(db1.get("password") as string).iv);
  });
});

describe("scale", () => {
  // Speed is measured in bench/ (npm run bench), never asserted here: timings flake under load.
  it("round-trips 50,000 values", () => {
    const items = Array.from({ length: 50_000 }, (_, i) => ({ key: `key${i}`, value: `value-${i}` }));
    const file: TreeFile = { documents: [new TreeMap([{ key: "data", value: new TreeMap(items) }])] };
    const encrypted = encryptTreeFile(file, { dataKey, keyGroups, now });
    const plain = decryptTreeFile(encrypted, { dataKey });
    const data = plain.documents[0]!.get("data") as TreeMap;
    expect(data.entries()).toHaveLength(50_000);
    expect(data.get("key0")).toBe("value-0");
    expect(data.get("key49999")).toBe("value-49999");
  });
});
