import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Comment, TreeMap } from "../../src/core/tree.js";
import type { TreeValue } from "../../src/core/tree.js";
import { dotenvStore } from "../../src/formats/dotenv.js";
import { flattenMetadata, unflattenMetadata } from "../../src/formats/flatten.js";
import { jsonStore } from "../../src/formats/json.js";

const INT64 = fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });
// Integral floats come back as ints (JSON cannot tell 7.0 from 7), so floats here are fractional.
const FRACTIONAL = fc.double({ noNaN: true, noDefaultInfinity: true }).filter((v) => !Number.isInteger(v));
const KEY = fc.string({ unit: "grapheme", maxLength: 8 });
const TEXT = fc.string({ unit: "grapheme", maxLength: 20 });

const { jsonValue } = fc.letrec((tie) => ({
  jsonValue: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    TEXT,
    INT64,
    FRACTIONAL,
    fc.boolean(),
    fc.constant(null),
    tie("jsonMap"),
    tie("jsonList"),
  ) as fc.Arbitrary<TreeValue>,
  jsonMap: fc
    .array(fc.record({ key: KEY, value: tie("jsonValue") as fc.Arbitrary<TreeValue> }), { maxLength: 5 })
    .map((entries) => new TreeMap(entries)),
  jsonList: fc.array(tie("jsonValue") as fc.Arbitrary<TreeValue>, { maxLength: 4 }),
}));

const jsonDocument = fc
  .array(fc.record({ key: KEY.filter((k) => k !== "sops"), value: jsonValue }), { maxLength: 6 })
  .map((entries) => new TreeMap(entries));

describe("json store properties", () => {
  it("parse(emit(doc)) = doc for any indent, keeping order and duplicate keys", () => {
    fc.assert(
      fc.property(jsonDocument, fc.integer({ min: -1, max: 8 }), (doc, indent) => {
        const bytes = jsonStore.emitPlain({ documents: [doc] }, { indent });
        expect(jsonStore.loadPlain(bytes).documents[0]).toEqual(doc);
      }),
      { numRuns: 300 },
    );
  });

  it("every finite double survives emit -> parse, and emit(parse(x)) is a fixed point", () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (value) => {
        const once = jsonStore.emitPlain({ documents: [TreeMap.from({ v: value })] });
        const back = jsonStore.loadPlain(once).documents[0]!.get("v");
        // Integral floats (and -0, written "-0") read back as ints, like sops 3.13.2.
        expect(Number(back)).toBe(value === 0 ? 0 : value);
        const twice = jsonStore.emitPlain(jsonStore.loadPlain(once));
        const thrice = jsonStore.emitPlain(jsonStore.loadPlain(twice));
        expect(Buffer.from(thrice).toString()).toBe(Buffer.from(twice).toString());
      }),
      { numRuns: 500 },
    );
  });
});

// dotenv keys cannot contain '=' or a newline, cannot be empty-line-like or start with '#', and
// sops_ is reserved; a literal backslash-n in a value is (by design) read back as a newline.
const DOTENV_KEY = fc
  .string({ unit: "grapheme", minLength: 1, maxLength: 10 })
  .filter((k) => !k.includes("=") && !k.includes("\n") && !k.startsWith("#") && !k.startsWith("sops_"));
const DOTENV_VALUE = fc.string({ unit: "grapheme", maxLength: 20 }).filter((v) => !v.includes("\\n"));
const DOTENV_COMMENT = fc.string({ unit: "grapheme", maxLength: 20 }).filter((c) => !c.includes("\n"));

const dotenvDocument = fc
  .array(fc.oneof(fc.record({ key: DOTENV_KEY, value: DOTENV_VALUE }), DOTENV_COMMENT.map((text) => new Comment(text))), { maxLength: 8 })
  .map((items) => new TreeMap(items));

describe("dotenv store properties", () => {
  it("parse(emit(doc)) = doc, comments and order included", () => {
    fc.assert(
      fc.property(dotenvDocument, (doc) => {
        expect(dotenvStore.loadPlain(dotenvStore.emitPlain({ documents: [doc] })).documents[0]).toEqual(doc);
      }),
      { numRuns: 300 },
    );
  });

  it("metadata survives emitEncrypted -> loadEncrypted", () => {
    const FIELD = fc.stringMatching(/^[a-z][a-z0-9]{0,6}$/);
    const VALUE = fc.string({ unit: "grapheme", minLength: 1, maxLength: 30 }).filter((v) => !v.includes("\\n"));
    const entry = fc.dictionary(FIELD, VALUE, { minKeys: 1, maxKeys: 3 }).map((record) => TreeMap.from(record));
    const metadata = fc
      .record({ age: fc.array(entry, { minLength: 1, maxLength: 3 }), lastmodified: VALUE, version: VALUE })
      .map((record) => TreeMap.from(record));
    fc.assert(
      fc.property(dotenvDocument, metadata, (doc, meta) => {
        const file = dotenvStore.loadEncrypted(dotenvStore.emitEncrypted({ documents: [doc], metadata: meta }));
        expect(file.metadata).toEqual(meta);
        expect(file.documents[0]).toEqual(doc);
        expect(unflattenMetadata(flattenMetadata(meta))).toEqual(meta);
      }),
      { numRuns: 200 },
    );
  });
});
