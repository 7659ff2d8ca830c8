/** Access to the real sops files in ../shared/fixtures/sops (read in place, never copied). */
import { readdirSync, readFileSync, existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { Comment, Time, TreeMap, type TreeValue } from "../../src/core/tree.js";

export const FIXTURES_DIR = fileURLToPath(new URL("../../../shared/fixtures/sops/", import.meta.url));

export interface FixtureExpectation {
  mac_ok: boolean;
  has_mac: boolean;
  data_key_hex: string;
  documents: unknown[];
  comments: Array<{ kind: string; aad: string; text: string }>;
}

export interface Fixture {
  name: string; // e.g. "flux/algorithms_age.yaml"
  path: string;
  bytes: Buffer;
  expected: FixtureExpectation;
}

/** Every encrypted fixture (a file with a sibling .expected.json). */
export function listFixtures(): Fixture[] {
  const fixtures: Fixture[] = [];
  for (const folder of readdirSync(FIXTURES_DIR, { withFileTypes: true })) {
    if (!folder.isDirectory()) continue;
    for (const file of readdirSync(join(FIXTURES_DIR, folder.name)).sort()) {
      const expectedPath = join(FIXTURES_DIR, folder.name, `${file}.expected.json`);
      if (file.endsWith(".expected.json") || !existsSync(expectedPath)) continue;
      const path = join(FIXTURES_DIR, folder.name, file);
      fixtures.push({
        name: `${folder.name}/${file}`,
        path,
        bytes: readFileSync(path),
        expected: JSON.parse(readFileSync(expectedPath, "utf8")) as FixtureExpectation,
      });
    }
  }
  return fixtures;
}

/** The age identity files published with the fixtures, concatenated. */
export function fixtureAgeKeys(): string {
  return ["flux/keys_age.txt", "flux/keys_age-global.txt", "flux/keys_age-pq.txt", "rops/key.txt", "sops-age/key.txt"]
    .map((name) => readFileSync(join(FIXTURES_DIR, name), "utf8"))
    .join("\n");
}

/** A plaintext tree as the JSON the fixtures' expected files use (comments dropped). */
export function treeToJson(value: TreeValue): unknown {
  if (value instanceof TreeMap) {
    const out: Record<string, unknown> = {};
    for (const entry of value.entries()) out[entry.key] = treeToJson(entry.value);
    return out;
  }
  if (Array.isArray(value)) return value.filter((item) => !(item instanceof Comment)).map((item) => treeToJson(item as TreeValue));
  if (typeof value === "bigint") return Number(value);
  if (value instanceof Time) return value.text;
  if (value instanceof Uint8Array) return Buffer.from(value).toString("utf8");
  return value;
}

/** Every comment of a tree with the text it decrypted to, in walk order. */
export function collectComments(value: TreeValue | Comment, out: string[] = []): string[] {
  if (value instanceof Comment) out.push(value.text);
  else if (value instanceof TreeMap) for (const item of value.items) collectComments(item instanceof Comment ? item : item.value, out);
  else if (Array.isArray(value)) for (const item of value) collectComments(item, out);
  return out;
}
