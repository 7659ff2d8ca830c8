import { describe, expect, it } from "vitest";
import { Comment, Time, TreeMap } from "../../../src/core/tree.js";
import type { TreeValue } from "../../../src/core/tree.js";
import { isCofferError } from "../../../src/errors.js";
import { formatJsonFloat, quoteJsonString } from "../../../src/formats/json-emit.js";
import { MAX_JSON_DEPTH, parseJsonTree } from "../../../src/formats/json-parse.js";
import { jsonStore } from "../../../src/formats/json.js";
import { errorCodeOf as codeOf } from "../../helpers/errors.js";

const load = (text: string) => jsonStore.loadPlain(Buffer.from(text, "utf8"));
const emit = (document: TreeMap, indent?: number) =>
  Buffer.from(jsonStore.emitPlain({ documents: [document] }, { indent })).toString("utf8");


describe("json parsing", () => {
  it("keeps key order, including integer-like keys, and duplicate keys", () => {
    const doc = load('{"b": 1, "10": 2, "1": 3, "b": 4}').documents[0]!;
    expect(doc.items.map((item) => (item instanceof Comment ? "#" : `${item.key}=${String(item.value)}`))).toEqual([
      "b=1",
      "10=2",
      "1=3",
      "b=4",
    ]);
  });

  it("types numbers like sops 3.13.2: int64 integers as bigint, others as float", () => {
    const doc = load(
      '{"a": 7, "b": -9223372036854775808, "c": 9223372036854775807, "d": 9223372036854775808, "e": 1.0, "f": 1e2, "g": -0, "h": 3.14}',
    ).documents[0]!;
    expect(doc.get("a")).toBe(7n);
    expect(doc.get("b")).toBe(-(2n ** 63n));
    expect(doc.get("c")).toBe(2n ** 63n - 1n);
    expect(doc.get("d")).toBe(9223372036854775808);
    expect(doc.get("e")).toBe(1);
    expect(typeof doc.get("e")).toBe("number");
    expect(doc.get("f")).toBe(100);
    expect(doc.get("g")).toBe(0n);
    expect(doc.get("h")).toBe(3.14);
  });

  it("reads strings, escapes, booleans, null and nested arrays", () => {
    const doc = load('{"s": "a\\n\\u00e9\\ud83d\\ude00\\/", "t": true, "f": false, "n": null, "l": [[1, ["x"]], [], {}]}').documents[0]!;
    expect(doc.get("s")).toBe("a\né😀/");
    expect(doc.get("t")).toBe(true);
    expect(doc.get("f")).toBe(false);
    expect(doc.get("n")).toBeNull();
    const list = doc.get("l") as TreeValue[];
    expect(list[0]).toEqual([1n, ["x"]]);
    expect(list[1]).toEqual([]);
    expect(list[2]).toBeInstanceOf(TreeMap);
  });

  it("turns lone surrogate escapes into U+FFFD like Go", () => {
    expect(parseJsonTree('"\\ud800x"')).toBe("\ufffdx");
  });

  it("separates the sops object as metadata", () => {
    const file = load('{"a": "x", "sops": {"version": "3.13.2", "shamir_threshold": 2}}');
    expect(file.documents[0]!.has("sops")).toBe(false);
    expect(file.metadata?.get("version")).toBe("3.13.2");
    expect(file.metadata?.get("shamir_threshold")).toBe(2n);
    expect(load('{"a": 1}').metadata).toBeUndefined();
    expect(codeOf(() => load('{"sops": "nope"}'))).toBe("METADATA_INVALID");
  });

  it.each([
    ["[1, 2]", 1, 1],
    ['"str"', 1, 1],
    ["", 1, 1],
    ['{\n  "a": 1,\n}', 3, 1],
    ['{"a": 01}', 1, 8],
    ['{"a": "x\ty"}', 1, 9],
    ['{"a" 1}', 1, 6],
    ['{"a": tru}', 1, 7],
    ['{"a": 1} x', 1, 10],
    ['{"a": "\\x"}', 1, 8],
    ['{"a": 1e999}', 1, 7],
    ['{"a": "unterminated', 1, 7],
  ])("rejects %j as FORMAT_INVALID at line %i, column %i", (text, line, column) => {
    let caught: unknown;
    try {
      load(text);
    } catch (error) {
      caught = error;
    }
    expect(isCofferError(caught, "FORMAT_INVALID")).toBe(true);
    expect((caught as Error).message).toContain(`line ${line}, column ${column}`);
  });

  it("never echoes the offending content in the error", () => {
    let message = "";
    try {
      load('{"password": hunter2}');
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).not.toContain("hunter2");
    expect(message).not.toBe("");
  });

  it("refuses absurd nesting without overflowing the stack", () => {
    const deep = `{"a": ${"[".repeat(100_000)}${"]".repeat(100_000)}}`;
    expect(codeOf(() => load(deep))).toBe("FORMAT_INVALID");
    const ok = `{"a": ${"[".repeat(MAX_JSON_DEPTH - 1)}${"]".repeat(MAX_JSON_DEPTH - 1)}}`;
    expect(codeOf(() => load(ok))).toBeUndefined();
  });
});

describe("json emitting", () => {
  it("indents with tabs by default, N spaces otherwise, and ends with a newline", () => {
    const doc = TreeMap.from({ a: "x", b: TreeMap.from({ c: [1n, true, null] }), d: [], e: new TreeMap() });
    expect(emit(doc)).toBe('{\n\t"a": "x",\n\t"b": {\n\t\t"c": [\n\t\t\t1,\n\t\t\ttrue,\n\t\t\tnull\n\t\t]\n\t},\n\t"d": [],\n\t"e": {}\n}\n');
    expect(emit(TreeMap.from({ a: [1n] }), 2)).toBe('{\n  "a": [\n    1\n  ]\n}\n');
    expect(emit(TreeMap.from({ a: [1n] }), 0)).toBe('{\n"a": [\n1\n]\n}\n');
    expect(emit(new TreeMap())).toBe("{}\n");
  });

  it("escapes strings like Go encoding/json", () => {
    expect(quoteJsonString('<a href="x">&\u2028\u2029\\\b\f\n\r\t\u0001\u007f')).toBe(
      '"\\u003ca href=\\"x\\"\\u003e\\u0026\\u2028\\u2029\\\\\\b\\f\\n\\r\\t\\u0001\u007f"',
    );
    expect(quoteJsonString("\ud800")).toBe('"\\ufffd"');
    expect(quoteJsonString("😀é")).toBe('"😀é"');
  });

  it("formats floats like Go encoding/json", () => {
    expect(formatJsonFloat(1e21)).toBe("1e+21");
    expect(formatJsonFloat(1.5e-7)).toBe("1.5e-7");
    expect(formatJsonFloat(1e-6)).toBe("0.000001");
    expect(formatJsonFloat(123456789012345680000)).toBe("123456789012345680000");
    expect(formatJsonFloat(3.14)).toBe("3.14");
    expect(formatJsonFloat(1e-300)).toBe("1e-300");
    expect(formatJsonFloat(-0)).toBe("-0");
    expect(codeOf(() => formatJsonFloat(Number.NaN))).toBe("EMIT_FAILED");
    expect(codeOf(() => emit(TreeMap.from({ a: Infinity })))).toBe("EMIT_FAILED");
  });

  it("drops comments, writes times and bytes as strings", () => {
    const doc = new TreeMap([new Comment(" c"), { key: "t", value: new Time("2024-01-01T00:00:00Z") }, { key: "b", value: Uint8Array.of(0x68, 0xff, 0x69) }]);
    expect(emit(doc)).toBe('{\n\t"t": "2024-01-01T00:00:00Z",\n\t"b": "h\\ufffdi"\n}\n');
  });

  it("appends the metadata as the last key", () => {
    const out = Buffer.from(jsonStore.emitEncrypted({ documents: [TreeMap.from({ a: "x" })], metadata: TreeMap.from({ version: "3.13.2" }) })).toString();
    expect(out).toBe('{\n\t"a": "x",\n\t"sops": {\n\t\t"version": "3.13.2"\n\t}\n}\n');
    expect(codeOf(() => jsonStore.emitEncrypted({ documents: [new TreeMap()] }))).toBe("EMIT_FAILED");
  });

  it("refuses to squeeze several documents into one file", () => {
    expect(codeOf(() => jsonStore.emitPlain({ documents: [new TreeMap(), new TreeMap()] }))).toBe("EMIT_FAILED");
  });

  it("emits single values without a trailing newline", () => {
    expect(Buffer.from(jsonStore.emitValue(1234n)).toString()).toBe("1234");
    expect(Buffer.from(jsonStore.emitValue("a<b")).toString()).toBe('"a\\u003cb"');
    expect(Buffer.from(jsonStore.emitValue(TreeMap.from({ a: 1n }))).toString()).toBe('{\n\t"a": 1\n}');
  });
});
