import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isCofferError } from "../../src/errors.js";
import { decryptTreeFile, encryptTreeFile } from "../../src/core/envelope.js";
import { IvReuseMap } from "../../src/core/iv-reuse.js";
import { Comment, Time, TreeMap } from "../../src/core/tree.js";
import type { TreeFile, TreeList, TreeValue } from "../../src/core/tree.js";

const dataKey = Buffer.alloc(32, 9);
const now = new Date(Date.UTC(2024, 0, 2, 3, 4, 5));
const keyGroups = [[{ type: "age", fields: TreeMap.from({ recipient: "age1x", enc: "e" }) }]];

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

const time = fc
  .date({ min: new Date("1970-01-01T00:00:00Z"), max: new Date("2999-12-31T23:59:59Z"), noInvalidDate: true })
  .map((d) => new Time(d.toISOString().replace(/\.000Z$/, "Z").replace(/(\.\d*?)0+Z$/, "$1Z")));
// Non-UTF-8 bytes stay bytes on decrypt; valid UTF-8 bytes come back as strings, so keep them invalid.
const invalidUtf8 = fc.uint8Array({ minLength: 0, maxLength: 8 }).map((b) => new Uint8Array([0xff, ...b]));

const scalar = fc.oneof(
  fc.string(),
  fc.bigInt({ min: INT64_MIN, max: INT64_MAX }),
  fc.double(),
  fc.boolean(),
  time,
  invalidUtf8,
  fc.constant(null),
);
const key = fc.string({ maxLength: 6 });
const comment = fc.string({ maxLength: 10 }).map((text) => new Comment(text));

const { tree } = fc.letrec<{ tree: TreeValue; map: TreeMap; list: TreeList }>((tie) => ({
  tree: fc.oneof({ depthSize: "small", withCrossShrink: true }, scalar, tie("map"), tie("list")),
  map: fc
    .array(fc.oneof(fc.record({ key, value: tie("tree") }), comment), { maxLength: 5 })
    .map((items) => new TreeMap(items)),
  list: fc.array(fc.oneof(tie("tree"), comment), { maxLength: 4 }),
}));

const document = fc
  .array(fc.oneof(fc.record({ key: key.filter((k) => k !== "sops"), value: tree }), comment), { maxLength: 6 })
  .map((items) => new TreeMap(items));
const file = fc.array(document, { minLength: 1, maxLength: 2 }).map((documents): TreeFile => ({ documents }));

describe("core properties", () => {
  it("decrypt(encrypt(x)) = x for random trees of every value type", () => {
    fc.assert(
      fc.property(file, fc.boolean(), (plain, macOnlyEncrypted) => {
        const encrypted = encryptTreeFile(plain, { dataKey, keyGroups, now, macOnlyEncrypted });
        expect(decryptTreeFile(encrypted, { dataKey }).documents).toEqual(plain.documents);
      }),
      { numRuns: 150 },
    );
  });

  it("re-encrypting an unchanged tree with the same key and IVs is byte-identical", () => {
    fc.assert(
      fc.property(file, (plain) => {
        const first = encryptTreeFile(plain, { dataKey, keyGroups, now });
        const ivs = new IvReuseMap();
        const decrypted = decryptTreeFile(first, { dataKey, collectIvs: ivs });
        const second = encryptTreeFile(decrypted, { dataKey, keyGroups, now, ivFor: ivs.source() });
        expect(second.documents).toEqual(first.documents);
      }),
      { numRuns: 100 },
    );
  });

  it("re-encrypting with the same IV source for values and MAC reproduces the metadata too", () => {
    fc.assert(
      fc.property(file, fc.uint8Array({ minLength: 32, maxLength: 32 }), (plain, seed) => {
        const ivFor = (aad: string, plaintext: Uint8Array) => {
          // Deterministic per (aad, plaintext): a test-only IV derivation.
          const iv = Buffer.from(seed);
          const bytes = Buffer.concat([Buffer.from(aad), plaintext]);
          for (let i = 0; i < bytes.length; i++) iv[i % 32] = iv[i % 32]! ^ bytes[i]!;
          return iv;
        };
        const a = encryptTreeFile(plain, { dataKey, keyGroups, now, ivFor });
        const b = encryptTreeFile(plain, { dataKey, keyGroups, now, ivFor });
        expect(b).toEqual(a);
      }),
      { numRuns: 50 },
    );
  });

  it("flipping any byte of any ENC data/iv/tag or of the MAC is detected", () => {
    const DETECTED = new Set(["VALUE_DECRYPT_FAILED", "CIPHERTEXT_INVALID", "MAC_MISMATCH", "MAC_DECRYPT_FAILED"]);
    const withSecret = file.map((f) => {
      f.documents[0]!.items.push({ key: "secret", value: "s3cret" });
      return f;
    });
    fc.assert(
      fc.property(withSecret, fc.nat(), fc.nat(), fc.integer({ min: 1, max: 255 }), (plain, pick, offset, mask) => {
        const encrypted = encryptTreeFile(plain, { dataKey, keyGroups, now });
        // Every ENC string holder: map entries and list slots (not comments, which tolerate failure).
        const slots: Array<{ get: () => string; set: (v: string) => void }> = [];
        const collect = (value: TreeValue, set: (v: TreeValue) => void) => {
          if (typeof value === "string" && value.startsWith("ENC[")) slots.push({ get: () => value, set });
          else if (value instanceof TreeMap) for (const item of value.entries()) collect(item.value, (v) => (item.value = v));
          else if (Array.isArray(value))
            value.forEach((v, i) => {
              if (!(v instanceof Comment)) collect(v, (nv) => (value[i] = nv));
            });
        };
        for (const doc of encrypted.documents) collect(doc, () => undefined);
        const meta = encrypted.metadata!;
        slots.push({ get: () => meta.get("mac") as string, set: (v) => meta.set("mac", v) });
        const slot = slots[pick % slots.length]!;
        const enc = slot.get();
        const fields = [...enc.matchAll(/(data|iv|tag):([^,]+)/g)];
        const field = fields[offset % fields.length]!;
        const bytes = Buffer.from(field[2]!, "base64");
        bytes[offset % bytes.length] = bytes[offset % bytes.length]! ^ mask;
        slot.set(enc.replace(`${field[1]}:${field[2]}`, `${field[1]}:${bytes.toString("base64")}`));
        let code: string | undefined;
        try {
          decryptTreeFile(encrypted, { dataKey });
        } catch (e) {
          code = isCofferError(e) ? e.code : "OTHER";
        }
        expect(DETECTED.has(code ?? "none")).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});
