import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Comment, Time, TreeMap, type TreeList, type TreeValue } from "../../src/core/tree.js";
import { emitYamlDocuments } from "../../src/formats/yaml/emit.js";
import { parseYamlStream } from "../../src/formats/yaml/parse.js";
import { parseGoTimestamp } from "../../src/formats/yaml/timestamp.js";

/** Strings that stress quoting: type look-alikes, indicators, spaces, breaks, escapes. */
const trickyString = fc.oneof(
  fc.string(),
  fc.string({ unit: "grapheme", maxLength: 12 }),
  fc.constantFrom(
    "", " ", "yes", "n", "No", "123", "0777", "08", "1e3", ".inf", "~", "null", "true", "2024-01-01", "1:20", "<<",
    "#x", "a #b", "a: b", "- x", "? q", "---", "...", "'q'", '"q"', "\\", "tab\there", "a\nb", "a\n", "\n", "a\n\n",
    " lead\nx", "trail \nx", "a\r\nb", "\u0085", "\u2028x\ny", "😀", "café", "\u0000", "ENC[AES256_GCM,data:x,type:str]",
  ),
  fc.array(fc.constantFrom("a", " ", "\n", ":", "#", "-", "'", '"', "1", "\t", "é"), { maxLength: 8 }).map((parts) => parts.join("")),
);

const timeValue = fc
  .tuple(
    fc.date({ min: new Date("0001-01-01T00:00:00Z"), max: new Date("9999-12-31T23:59:59Z"), noInvalidDate: true }),
    fc.constantFrom("Z", "+02:00", "-05:30"),
  )
  .map(([date, zone]) => new Time(parseGoTimestamp(date.toISOString().replace("Z", zone))!));

/** Bytes that are not UTF-8 (UTF-8 bytes are written, and read back, as strings). */
const binaryValue = fc.uint8Array({ maxLength: 80 }).map((bytes) => new Uint8Array([0xff, ...bytes]));

const scalar: fc.Arbitrary<TreeValue> = fc.oneof(
  { arbitrary: trickyString, weight: 5 },
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  timeValue,
  binaryValue,
);

const commentText = fc.string({ unit: "grapheme", maxLength: 10 }).filter((t) => !/[\r\n\u0085\u2028\u2029]/.test(t));

/** Interleaves comments; inline ones only right after an entry or item (where they can be written). */
function withComments<T>(items: T[], comments: Array<[number, string, boolean]>): Array<T | Comment> {
  const out: Array<T | Comment> = [];
  const byPosition = new Map<number, Array<[string, boolean]>>();
  for (const [at, text, inline] of comments) {
    const list = byPosition.get(at % (items.length + 1)) ?? [];
    list.push([text, inline]);
    byPosition.set(at % (items.length + 1), list);
  }
  for (let i = 0; i <= items.length; i++) {
    (byPosition.get(i) ?? []).forEach(([text, inline], n) => out.push(new Comment(text, inline && n === 0 && i > 0)));
    if (i < items.length) out.push(items[i]!);
  }
  return out;
}

const comments = fc.array(fc.tuple(fc.nat(), commentText, fc.boolean()), { maxLength: 3 });

const { tree } = fc.letrec<{ tree: TreeValue; map: TreeMap; list: TreeList }>((tie) => ({
  tree: fc.oneof({ depthSize: "small", withCrossShrink: true }, scalar, tie("map"), tie("list")),
  map: fc
    .tuple(fc.uniqueArray(fc.tuple(trickyString, tie("tree")), { maxLength: 5, selector: ([key]) => key }), comments)
    .map(([entries, notes]) => new TreeMap(withComments(entries.map(([key, value]) => ({ key, value })), notes))),
  list: fc.tuple(fc.array(tie("tree"), { maxLength: 4 }), comments).map(([items, notes]) => withComments(items, notes)),
}));

const rootMap = fc
  .tuple(fc.uniqueArray(fc.tuple(trickyString, tree), { maxLength: 6, selector: ([key]) => key }), comments)
  .map(([entries, notes]) => new TreeMap(withComments(entries.map(([key, value]) => ({ key, value })), notes)));

describe("yaml round trip", () => {
  it("parse(emit(documents)) equals the documents, comments and order included", () => {
    fc.assert(
      fc.property(fc.array(rootMap, { minLength: 1, maxLength: 3 }), fc.integer({ min: 2, max: 9 }), (documents, indent) => {
        const text = emitYamlDocuments(documents, indent);
        expect(parseYamlStream(text)).toEqual(documents);
      }),
      { numRuns: 400 },
    );
  });

  it("emitting is stable: emit(parse(emit(x))) equals emit(x)", () => {
    fc.assert(
      fc.property(rootMap, (doc) => {
        const text = emitYamlDocuments([doc]);
        expect(emitYamlDocuments(parseYamlStream(text))).toBe(text);
      }),
      { numRuns: 200 },
    );
  });
});
