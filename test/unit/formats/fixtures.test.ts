import { describe, expect, it } from "vitest";
import { TreeMap } from "../../../src/core/tree.js";
import { flattenMetadata, unflattenMetadata } from "../../../src/formats/flatten.js";
import { formatFromPath, storeFor } from "../../../src/formats/index.js";
import { commentAads, expectedFor, fixture, fixturesWithExpectations, structureDiffs } from "./fixture-helpers.js";

const nonYaml = fixturesWithExpectations().filter((path) => formatFromPath(path) !== "yaml");

describe("real sops fixtures load with loadEncrypted", () => {
  it("covers every json, dotenv, ini and binary fixture", () => {
    const formats = new Set(nonYaml.map((path) => formatFromPath(path)));
    expect([...formats].sort()).toEqual(["binary", "dotenv", "ini", "json"]);
    expect(nonYaml.length).toBeGreaterThanOrEqual(10);
  });

  for (const path of nonYaml) {
    it(`${path}: tree matches the expected documents and comments`, async () => {
      const store = await storeFor(formatFromPath(path));
      const file = store.loadEncrypted(fixture(path));
      const expected = expectedFor(path);
      expect(file.documents).toHaveLength(expected.documents.length);
      file.documents.forEach((document, i) => expect(structureDiffs(document, expected.documents[i])).toEqual([]));
      const aads = file.documents.flatMap((document) => commentAads(document));
      expect(aads.sort()).toEqual(expected.comments.map((c) => c.aad).sort());
      expect(file.metadata).toBeInstanceOf(TreeMap);
      expect(typeof file.metadata?.get("lastmodified")).toBe("string");
      expect(String(file.metadata?.get("mac"))).toMatch(/^ENC\[AES256_GCM,/);
      expect(file.metadata?.has("sops")).toBe(false);
    });
  }
});

/** The `sops_*` / `[sops]` pairs exactly as they appear in a flat-format file, `\n` escapes kept. */
function flatLinesOf(path: string): Map<string, string> {
  const text = fixture(path).toString("utf8");
  const pairs = new Map<string, string>();
  if (path.endsWith(".env")) {
    for (const line of text.split("\n")) {
      if (line.startsWith("sops_")) pairs.set(line.slice(5, line.indexOf("=")), line.slice(line.indexOf("=") + 1));
    }
  } else {
    const section = text.slice(text.indexOf("[sops]\n") + 7);
    for (const line of section.split("\n")) {
      const eq = line.indexOf(" = ");
      if (eq !== -1) pairs.set(line.slice(0, eq).trim(), line.slice(eq + 3));
    }
  }
  return pairs;
}

describe("flattened metadata round trips on the dotenv and ini fixtures", () => {
  const flat = nonYaml.filter((path) => ["dotenv", "ini"].includes(formatFromPath(path)));

  for (const path of flat) {
    it(`${path}: unflatten -> flatten -> unflatten is stable`, async () => {
      const store = await storeFor(formatFromPath(path));
      const metadata = store.loadEncrypted(fixture(path)).metadata!;
      const pairs = flattenMetadata(metadata);
      expect(unflattenMetadata(pairs)).toEqual(metadata);
      expect(flattenMetadata(unflattenMetadata(pairs))).toEqual(pairs);
      if (!path.endsWith("format-2.enc.ini")) {
        // Every line of the file comes back with the same (escaped) value.
        expect(new Map(pairs)).toEqual(flatLinesOf(path));
      }
    });
  }

  it("the 3.13.1 triple-quoted variant reads like the \\n-escaped one", async () => {
    const store = await storeFor("ini");
    const original = fixture("getsops/format-2.enc.ini").toString("utf8");
    const escaped = original.replace(/"""([\s\S]*?)"""/g, (_, body: string) => body.replaceAll("\n", "\\n"));
    expect(escaped).not.toEqual(original);
    const fromQuoted = store.loadEncrypted(Buffer.from(original));
    const fromEscaped = store.loadEncrypted(Buffer.from(escaped));
    expect(fromQuoted.metadata).toEqual(fromEscaped.metadata);
    expect(fromQuoted.documents).toEqual(fromEscaped.documents);
    const enc = (fromQuoted.metadata?.get("pgp") as TreeMap[])[0]!.get("enc") as string;
    expect(enc.startsWith("-----BEGIN PGP MESSAGE-----\n\n")).toBe(true);
    expect(enc.endsWith("\n-----END PGP MESSAGE-----")).toBe(true);
    // Re-emitting writes the 3.13.2 layout: `\n` escapes instead of the triple-quoted block.
    expect(Buffer.from(store.emitEncrypted(fromQuoted)).toString("utf8")).toBe(escaped);
  });
});

describe("re-emitting reproduces the files sops wrote", () => {
  const exact: Array<[string, number | undefined]> = [
    ["getsops/format.enc.json", undefined], // 3.13.1, tab indent, trailing newline
    ["sops-age/secret.enc.json", 2], // 3.9.2 re-indented to two spaces upstream, trailing newline
    ["getsops/format.enc.env", undefined],
    ["sops-age/secret.enc.env", undefined],
    ["flux/envs_env.env", undefined],
    ["getsops/format.enc.ini", undefined], // 3.13.2: structural metadata order, no final blank line
  ];
  for (const [path, indent] of exact) {
    it(`${path} byte for byte`, async () => {
      const store = await storeFor(formatFromPath(path));
      const bytes = fixture(path);
      expect(Buffer.from(store.emitEncrypted(store.loadEncrypted(bytes), { indent })).toString("utf8")).toBe(bytes.toString("utf8"));
    });
  }

  // sops <= 3.9 wrote JSON (and the binary store's JSON) without the trailing newline 3.10 added;
  // we always write it, so these match exactly once that newline is accounted for.
  for (const path of ["getsops/example.json", "flux/files_file.txt", "getsops/example.txt"]) {
    it(`${path} byte for byte plus the 3.10+ trailing newline`, async () => {
      const store = await storeFor(formatFromPath(path));
      const bytes = fixture(path);
      expect(bytes.at(-1)).not.toBe(0x0a);
      const out = Buffer.from(store.emitEncrypted(store.loadEncrypted(bytes))).toString("utf8");
      expect(out).toBe(`${bytes.toString("utf8")}\n`);
    });
  }

  it("getsops/example.ini (3.5.0) keeps data, comment placement and alignment", async () => {
    const store = await storeFor("ini");
    const bytes = fixture("getsops/example.ini").toString("utf8");
    const out = Buffer.from(store.emitEncrypted(store.loadEncrypted(Buffer.from(bytes)))).toString("utf8");
    // ini <= 3.12 wrote metadata in random order and a final blank line; the data part is identical.
    const dataPart = (text: string): string => text.slice(0, text.indexOf("[sops]"));
    expect(dataPart(out)).toBe(dataPart(bytes));
    expect(new Set(out.slice(out.indexOf("[sops]")).trim().split("\n"))).toEqual(new Set(bytes.slice(bytes.indexOf("[sops]")).trim().split("\n")));
  });
});
