import { describe, expect, it } from "vitest";
import { TreeMap } from "../../../src/core/tree.js";
import { flattenMetadata, unflattenMetadata } from "../../../src/formats/flatten.js";
import { errorCodeOf as codeOf } from "../../helpers/errors.js";


describe("flattened metadata", () => {
  const metadata = TreeMap.from({
    key_groups: [
      TreeMap.from({ pgp: [TreeMap.from({ fp: "A" }), TreeMap.from({ fp: "B" })] }),
      TreeMap.from({ kms: [TreeMap.from({ arn: "arn:x", context: TreeMap.from({ Env: "prod", "a__b": "c" }) })] }),
    ],
    lastmodified: "2024-01-01T00:00:00Z",
    mac_only_encrypted: false,
    shamir_threshold: 2n,
  });

  it("names nested fields with __list_N and __map_K", () => {
    expect(flattenMetadata(metadata)).toEqual([
      ["key_groups__list_0__map_pgp__list_0__map_fp", "A"],
      ["key_groups__list_0__map_pgp__list_1__map_fp", "B"],
      ["key_groups__list_1__map_kms__list_0__map_arn", "arn:x"],
      ["key_groups__list_1__map_kms__list_0__map_context__map_Env", "prod"],
      ["key_groups__list_1__map_kms__list_0__map_context__map_a__b", "c"],
      ["lastmodified", "2024-01-01T00:00:00Z"],
      ["mac_only_encrypted", "false"],
      ["shamir_threshold", "2"],
    ]);
  });

  it("round trips, restoring the typed fields", () => {
    expect(unflattenMetadata(flattenMetadata(metadata))).toEqual(metadata);
  });

  it("accepts lines in any order and keeps first-appearance order of keys", () => {
    const back = unflattenMetadata([
      ["version", "3.5.0"],
      ["pgp__list_1__map_fp", "B"],
      ["pgp__list_0__map_fp", "A"],
    ]);
    expect(back.entries().map((e) => e.key)).toEqual(["version", "pgp"]);
    expect((back.get("pgp") as TreeMap[]).map((m) => m.get("fp"))).toEqual(["A", "B"]);
  });

  it("escapes and unescapes newlines", () => {
    expect(flattenMetadata(TreeMap.from({ enc: "a\nb" }))).toEqual([["enc", "a\\nb"]]);
    expect(unflattenMetadata([["enc", "a\\nb"]]).get("enc")).toBe("a\nb");
  });

  it("never writes empty lists, empty maps or nulls", () => {
    expect(flattenMetadata(TreeMap.from({ kms: [], age: null, ctx: new TreeMap(), v: "1" }))).toEqual([["v", "1"]]);
  });

  it("accepts an integral float shamir_threshold from very old files", () => {
    expect(unflattenMetadata([["shamir_threshold", "2.000000"]]).get("shamir_threshold")).toBe(2n);
    expect(unflattenMetadata([["shamir_threshold", "3"]]).get("shamir_threshold")).toBe(3n);
    expect(codeOf(() => unflattenMetadata([["shamir_threshold", "2.5"]]))).toBe("METADATA_INVALID");
    expect(codeOf(() => unflattenMetadata([["shamir_threshold", "two"]]))).toBe("METADATA_INVALID");
  });

  it("parses mac_only_encrypted like Go ParseBool", () => {
    expect(unflattenMetadata([["mac_only_encrypted", "True"]]).get("mac_only_encrypted")).toBe(true);
    expect(codeOf(() => unflattenMetadata([["mac_only_encrypted", "yes"]]))).toBe("METADATA_INVALID");
  });

  it.each([
    [[["age__list_1__map_enc", "x"]]],
    [[["age__list_0__map_enc", "x"], ["age__list_2__map_enc", "y"]]],
    [[["age", "x"], ["age__list_0__map_enc", "y"]]],
    [[["age__list_0__map_enc", "y"], ["age", "x"]]],
    [[["age__list_0__map_enc", "x"], ["age__map_k", "y"]]],
    [[["age__list_x__map_enc", "x"]]],
  ] as Array<[Array<[string, string]>]>)("rejects inconsistent keys %j with METADATA_INVALID", (pairs) => {
    expect(codeOf(() => unflattenMetadata(pairs))).toBe("METADATA_INVALID");
  });
});
