import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { Comment, TreeMap, type MapEntry, type TreeValue } from "../../../../src/core/tree.js";
import { yamlStore } from "../../../../src/formats/yaml/index.js";

const FIXTURES = new URL("../../../../../shared/fixtures/sops/", import.meta.url);
const read = (name: string): Buffer => readFileSync(fileURLToPath(new URL(name, FIXTURES)));

/**
 * Files written by sops >= 3.7 (go-yaml v3) with the indentation they were written with.
 * Excluded on purpose:
 * - getsops/comments.enc.yaml (sops 3.6.1) and getsops/no_mac.yaml (3.3.1): written by the go-yaml
 *   v2 fork of those versions (`-   created_at`, single-quoted timestamps);
 * - rops/*.yaml: re-serialised by serde_yaml (indentless sequences, `''`), not by sops.
 * sops-age/secret.enc.yaml was re-indented to 2 spaces by its repository and still matches
 * go-yaml's 2-space layout, so it is included.
 */
const BYTE_FAITHFUL: Array<[string, number]> = [
  ["getsops/example.yaml", 4],
  ["flux/global_secret.yaml", 2],
  ["flux/algorithms_age.yaml", 2],
  ["flux/algorithms_age-pq.yaml", 2],
  ["sops-age/secret.enc.yaml", 2],
];

const ALL_YAML = [
  ...BYTE_FAITHFUL.map(([name]) => name),
  "getsops/comments.enc.yaml",
  "getsops/no_mac.yaml",
  ...["empty_value", "encrypted_regex", "encrypted_suffix", "example", "mac_only_encrypted", "unencrypted_regex", "unencrypted_suffix"].map(
    (n) => `rops/age_${n}.yaml`,
  ),
];

/** The AAD of every comment (the path of its container), in document order. */
function commentAads(value: TreeValue | Comment, path: string[], out: string[]): void {
  const items = value instanceof TreeMap ? value.items : Array.isArray(value) ? value : [];
  for (const item of items) {
    if (item instanceof Comment) out.push(`${path.join(":")}:`);
    else if (value instanceof TreeMap) {
      const entry = item as MapEntry;
      commentAads(entry.value, [...path, entry.key], out);
    } else commentAads(item as TreeValue, path, out);
  }
}

describe("sops fixtures", () => {
  it.each(BYTE_FAITHFUL)("%s re-emits byte for byte (indent %i)", (name, indent) => {
    const bytes = read(name);
    const file = yamlStore.loadEncrypted(bytes);
    expect(file.metadata).toBeInstanceOf(TreeMap);
    expect(Buffer.from(yamlStore.emitEncrypted(file, { indent })).toString("utf8")).toBe(bytes.toString("utf8"));
  });

  it.each(ALL_YAML)("%s loads with metadata, comments under the expected AADs", (name) => {
    const file = yamlStore.loadEncrypted(read(name));
    const expected = JSON.parse(read(`${name}.expected.json`).toString("utf8")) as {
      documents: unknown[];
      comments: Array<{ aad: string }>;
    };
    expect(file.metadata?.has("mac") || name.endsWith("no_mac.yaml")).toBe(true);
    expect(file.documents.length).toBe(expected.documents.length);
    const aads: string[] = [];
    for (const doc of file.documents) commentAads(doc, [], aads);
    expect(aads).toEqual(expected.comments.map((c) => c.aad));
    // Every re-emitted file reads back to the same tree.
    const again = yamlStore.loadEncrypted(yamlStore.emitEncrypted(file));
    expect(again).toEqual(file);
  });
});
