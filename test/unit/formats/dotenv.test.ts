import { describe, expect, it } from "vitest";
import { Comment, Time, TreeMap } from "../../../src/core/tree.js";
import { isCofferError } from "../../../src/errors.js";
import { dotenvStore, formatGoG } from "../../../src/formats/dotenv.js";

const load = (text: string) => dotenvStore.loadPlain(Buffer.from(text, "utf8"));
const text = (bytes: Uint8Array) => Buffer.from(bytes).toString("utf8");

function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe("dotenv parsing", () => {
  it("takes keys verbatim up to the first '=' (a trailing space stays part of the key)", () => {
    const doc = load("foo = bar\nA=b=c\nQ=\"quoted\"\nE=\n").documents[0]!;
    expect(doc.entries()).toEqual([
      { key: "foo ", value: " bar" },
      { key: "A", value: "b=c" },
      { key: "Q", value: '"quoted"' },
      { key: "E", value: "" },
    ]);
  });

  it("keeps comments as items, skips empty lines, unescapes only \\n, keeps \\r", () => {
    const doc = load("# top\n\nK=line1\\nline2\r\n  # not a comment=x\n#\n").documents[0]!;
    expect(doc.items[0]).toEqual(new Comment(" top"));
    expect(doc.items[1]).toEqual({ key: "K", value: "line1\nline2\r" });
    expect(doc.items[2]).toEqual({ key: "  # not a comment", value: "x" });
    expect(doc.items[3]).toEqual(new Comment(""));
    expect(doc.items).toHaveLength(4);
  });

  it("rejects a line without '=' with its line number and without its content", () => {
    const error = caught(() => load("A=1\n\nsecret-without-equals\n"));
    expect(isCofferError(error, "FORMAT_INVALID")).toBe(true);
    expect((error as Error).message).toContain("line 3");
    expect((error as Error).message).not.toContain("secret-without-equals");
  });

  it("reports sops_ keys in a plain file as metadata, even when they are not valid flattened metadata", () => {
    expect(load("A=1\nsops_version=3.13.2\n").metadata?.get("version")).toBe("3.13.2");
    expect(load("A=1\nsops_kms__list_3__map_arn=x\n").metadata).toBeInstanceOf(TreeMap);
    expect(load("A=1\n").metadata).toBeUndefined();
  });

  it("loadEncrypted unflattens metadata and rejects broken lists", () => {
    const file = dotenvStore.loadEncrypted(Buffer.from("A=1\nsops_age__list_0__map_enc=x\\ny\nsops_mac_only_encrypted=true\n"));
    expect((file.metadata?.get("age") as TreeMap[])[0]!.get("enc")).toBe("x\ny");
    expect(file.metadata?.get("mac_only_encrypted")).toBe(true);
    expect(file.documents[0]!.entries().map((e) => e.key)).toEqual(["A"]);
    const error = caught(() => dotenvStore.loadEncrypted(Buffer.from("sops_age__list_1__map_enc=x\n")));
    expect(isCofferError(error, "METADATA_INVALID")).toBe(true);
  });
});

describe("dotenv emitting", () => {
  it("writes KEY=VALUE lines, escaped newlines, #comments and stringified scalars", () => {
    const doc = new TreeMap([
      new Comment(" hello"),
      { key: "S", value: "a\nb" },
      { key: "B", value: true },
      { key: "I", value: -42n },
      { key: "F", value: 7 },
      { key: "G", value: 1.5 },
      { key: "T", value: new Time("2024-01-01T00:00:00Z") },
      { key: "R", value: Uint8Array.of(0xff, 0x0a, 0x41) },
    ]);
    const out = Buffer.from(dotenvStore.emitPlain({ documents: [doc] }));
    expect(out.equals(Buffer.concat([Buffer.from("# hello\nS=a\\nb\nB=true\nI=-42\nF=7.0\nG=1.5\nT=2024-01-01T00:00:00Z\nR="), Buffer.from([0xff]), Buffer.from("\\nA\n")]))).toBe(true);
  });

  it("formats floats like Go %g with a forced .0", () => {
    expect(formatGoG(7)).toBe("7.0");
    expect(formatGoG(0.5)).toBe("0.5");
    expect(formatGoG(123456)).toBe("123456.0");
    expect(formatGoG(1234567)).toBe("1.234567e+06");
    expect(formatGoG(1e21)).toBe("1e+21");
    expect(formatGoG(0.0001)).toBe("0.0001");
    expect(formatGoG(0.00001)).toBe("1e-05");
    expect(formatGoG(-2.5e-10)).toBe("-2.5e-10");
  });

  it("refuses nested maps and lists", () => {
    for (const value of [TreeMap.from({ a: "b" }), ["x"]]) {
      const error = caught(() => dotenvStore.emitPlain({ documents: [TreeMap.from({ K: value })] }));
      expect(isCofferError(error, "EMIT_FAILED")).toBe(true);
    }
  });

  it("appends flattened metadata in structural order and never writes empty lists", () => {
    const metadata = TreeMap.from({
      age: [TreeMap.from({ enc: "-----BEGIN-----\nabc\n-----END-----", recipient: "age1x" })],
      kms: [],
      lastmodified: "2024-01-01T00:00:00Z",
      shamir_threshold: 2n,
      mac_only_encrypted: true,
    });
    const out = text(dotenvStore.emitEncrypted({ documents: [TreeMap.from({ A: "ENC[x]" })], metadata }));
    expect(out).toBe(
      "A=ENC[x]\nsops_age__list_0__map_enc=-----BEGIN-----\\nabc\\n-----END-----\nsops_age__list_0__map_recipient=age1x\n" +
        "sops_lastmodified=2024-01-01T00:00:00Z\nsops_shamir_threshold=2\nsops_mac_only_encrypted=true\n",
    );
    const back = dotenvStore.loadEncrypted(Buffer.from(out));
    expect(back.metadata?.get("shamir_threshold")).toBe(2n);
    expect(back.metadata?.has("kms")).toBe(false);
  });

  it("round trips a document with comments and awkward keys", () => {
    const doc = new TreeMap([{ key: "foo ", value: " bar" }, new Comment("c"), { key: "X", value: "a=b\nc\r" }]);
    expect(load(text(dotenvStore.emitPlain({ documents: [doc] }))).documents[0]).toEqual(doc);
  });
});
