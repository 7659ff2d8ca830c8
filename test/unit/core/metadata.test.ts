import { describe, expect, it } from "vitest";
import { isCofferError } from "../../../src/errors.js";
import { metadataFromTree, metadataToTree } from "../../../src/core/metadata.js";
import type { Metadata } from "../../../src/core/metadata.js";
import { Time, TreeMap } from "../../../src/core/tree.js";
import type { TreeValue } from "../../../src/core/tree.js";

const ageStanza = (recipient: string, enc = "ENC-" + recipient) => TreeMap.from({ recipient, enc });

function keys(map: TreeValue | undefined): string[] {
  return (map as TreeMap).entries().map((e) => e.key);
}

describe("metadataFromTree", () => {
  it("reads the flat layout, an unknown azure_kv stanza and unknown fields", () => {
    const azure = TreeMap.from({ vault_url: "https://v.vault.azure.net", name: "k", version: "1", created_at: "2020-01-01T00:00:00Z", enc: "xyz" });
    const sops = new TreeMap([
      { key: "kms", value: [] },
      { key: "azure_kv", value: [azure] },
      { key: "age", value: [ageStanza("age1a")] },
      { key: "lastmodified", value: "2024-03-25T22:08:10Z" },
      { key: "mac", value: "ENC[...]" },
      { key: "encrypted_regex", value: "^data$" },
      { key: "future_field", value: TreeMap.from({ x: 1n }) },
      { key: "version", value: "3.9.0" },
    ]);
    const meta = metadataFromTree(sops);
    expect(meta.keyGroups).toHaveLength(1);
    expect(meta.keyGroups[0]!.map((s) => s.type)).toEqual(["azure_kv", "age"]);
    expect(meta.cryptRule).toEqual({ kind: "encrypted_regex", value: "^data$" });
    expect(meta.unknown.map((e) => e.key)).toEqual(["future_field"]);
    expect(meta.macOnlyEncrypted).toBe(false);
    expect(meta.version).toBe("3.9.0");

    const written = metadataToTree(meta);
    expect(keys(written)).toEqual(["age", "azure_kv", "encrypted_regex", "future_field", "lastmodified", "mac", "version"]);
    const azureOut = (written.get("azure_kv") as TreeMap[])[0]!;
    expect(azureOut.entries().map((e) => e.key)).toEqual(["created_at", "enc", "name", "vault_url", "version"]);
    expect(azureOut.get("enc")).toBe("xyz");
    expect((written.get("age") as TreeMap[])[0]!.entries().map((e) => e.key)).toEqual(["enc", "recipient"]);
    // Round trip is stable.
    const reread = metadataFromTree(written);
    expect(reread.keyGroups[0]!.map((st) => st.type)).toEqual(["azure_kv", "age"]);
    expect(reread.cryptRule).toEqual(meta.cryptRule);
    expect(reread.unknown).toEqual(meta.unknown);
    expect(metadataToTree(metadataFromTree(written))).toEqual(written);
  });

  it("prefers non-empty flat lists over key_groups", () => {
    const sops = new TreeMap([
      { key: "age", value: [ageStanza("age1flat")] },
      { key: "key_groups", value: [TreeMap.from({ age: [ageStanza("age1g")] })] },
      { key: "lastmodified", value: "2024-01-01T00:00:00Z" },
    ]);
    const meta = metadataFromTree(sops);
    expect(meta.keyGroups.map((g) => g.map((s) => s.fields.get("recipient")))).toEqual([["age1flat"]]);
  });

  it("reads key_groups with a threshold, and writes them back as key_groups", () => {
    const sops = new TreeMap([
      { key: "kms", value: null },
      {
        key: "key_groups",
        value: [
          TreeMap.from({ age: [ageStanza("age1a")], hc_vault: [] }),
          TreeMap.from({ pgp: [TreeMap.from({ fp: "ABCD", enc: "e", created_at: "2020-01-01T00:00:00Z" })], age: null }),
          TreeMap.from({ age: [ageStanza("age1c")], newtype: [TreeMap.from({ id: "n1", enc: "e" })] }),
        ],
      },
      { key: "shamir_threshold", value: 2n },
      { key: "lastmodified", value: "2024-01-01T00:00:00Z" },
      { key: "mac", value: "m" },
      { key: "mac_only_encrypted", value: true },
    ]);
    const meta = metadataFromTree(sops);
    expect(meta.keyGroups.map((g) => g.map((s) => s.type))).toEqual([["age"], ["pgp"], ["age", "newtype"]]);
    expect(meta.shamirThreshold).toBe(2);
    expect(meta.macOnlyEncrypted).toBe(true);
    expect(meta.cryptRule).toBeUndefined();
    const written = metadataToTree(meta);
    expect(keys(written)).toEqual(["key_groups", "lastmodified", "mac", "mac_only_encrypted", "shamir_threshold", "version"]);
    expect(written.get("shamir_threshold")).toBe(2n);
    expect(written.get("version")).toBe("3.13.2");
    const groups = written.get("key_groups") as TreeMap[];
    expect(groups.map((g) => keys(g))).toEqual([["age"], ["pgp"], ["age", "newtype"]]);
  });

  it("accepts flattened string forms and unquoted timestamps", () => {
    const meta = metadataFromTree(
      TreeMap.from({
        lastmodified: new Time("2023-12-25T10:31:01Z"),
        shamir_threshold: "2",
        mac_only_encrypted: "false",
      }),
    );
    expect(meta.lastModified).toBe("2023-12-25T10:31:01Z");
    expect(meta.shamirThreshold).toBe(2);
    expect(meta.macOnlyEncrypted).toBe(false);
  });

  it("rejects two crypt rules and malformed shapes", () => {
    const code = (map: TreeMap) => {
      try {
        metadataFromTree(map);
      } catch (e) {
        return isCofferError(e) ? e.code : "OTHER";
      }
      return undefined;
    };
    expect(code(TreeMap.from({ encrypted_regex: "a", unencrypted_suffix: "_u" }))).toBe("CRYPT_RULE_CONFLICT");
    expect(code(TreeMap.from({ age: "not a list" }))).toBe("METADATA_INVALID");
    expect(code(TreeMap.from({ age: ["string entry"] }))).toBe("METADATA_INVALID");
    expect(code(TreeMap.from({ shamir_threshold: "two" }))).toBe("METADATA_INVALID");
  });
});

describe("metadataToTree", () => {
  it("omits empty groups' lists and writes mac_only_encrypted only when true", () => {
    const meta: Metadata = {
      keyGroups: [[{ type: "age", fields: ageStanza("age1x") }]],
      lastModified: "2024-01-01T00:00:00Z",
      mac: "m",
      cryptRule: { kind: "unencrypted_suffix", value: "_unencrypted" },
      macOnlyEncrypted: false,
      version: "",
      unknown: [],
    };
    expect(keys(metadataToTree(meta))).toEqual(["age", "lastmodified", "mac", "unencrypted_suffix", "version"]);
  });
});
