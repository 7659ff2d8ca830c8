import { describe, expect, it } from "vitest";
import { Comment, Time, TreeMap, type TreeValue } from "../../../../src/core/tree.js";
import { yamlStore } from "../../../../src/formats/yaml/index.js";
import { formatYamlFloat } from "../../../../src/formats/yaml/format-float.js";
import { emitPlain, errorCode, loadPlain } from "./helpers.js";

const line = (value: TreeValue): string => emitPlain({ documents: [TreeMap.from({ k: value })] });

// go-yaml v3 quoting: quote what would resolve to another type, YAML 1.1 booleans and base-60
// floats; single quotes when plain is not allowed; double quotes when escapes are needed.
const QUOTING: Array<[string, string]> = [
  ["plain", "k: plain\n"],
  ["two words", "k: two words\n"],
  ["", 'k: ""\n'],
  ["123", 'k: "123"\n'],
  ["0777", 'k: "0777"\n'],
  ["1.5", 'k: "1.5"\n'],
  ["1e3", 'k: "1e3"\n'],
  ["true", 'k: "true"\n'],
  ["null", 'k: "null"\n'],
  ["~", 'k: "~"\n'],
  [".inf", 'k: ".inf"\n'],
  ["2024-01-01", 'k: "2024-01-01"\n'],
  ["2024-03-25T22:08:10Z", 'k: "2024-03-25T22:08:10Z"\n'],
  ["yes", 'k: "yes"\n'],
  ["n", 'k: "n"\n'],
  ["Off", 'k: "Off"\n'],
  ["1:20", 'k: "1:20"\n'],
  ["3.13.2", "k: 3.13.2\n"],
  ["3.10", 'k: "3.10"\n'],
  ["a: b", "k: 'a: b'\n"],
  ["#hash", "k: '#hash'\n"],
  ["a #b", "k: 'a #b'\n"],
  ["a#b", "k: a#b\n"],
  ["- x", "k: '- x'\n"],
  ["it's", "k: it's\n"],
  ["'q", "k: '''q'\n"],
  [" lead", "k: ' lead'\n"],
  ["trail ", "k: 'trail '\n"],
  ["tab\there", 'k: "tab\\there"\n'],
  ["emoji 😀", 'k: "emoji \\U0001F600"\n'],
  ["café", "k: café\n"],
  ["a\u0085b", 'k: "a\\Nb"\n'],
  ["ENC[AES256_GCM,data:abc=,iv:x/y+z=,tag:t==,type:str]", "k: ENC[AES256_GCM,data:abc=,iv:x/y+z=,tag:t==,type:str]\n"],
  ["^(data|stringData)$", "k: ^(data|stringData)$\n"],
  ["x".repeat(300), `k: ${"x".repeat(300)}\n`],
  [`${"word ".repeat(40)}end`, `k: ${"word ".repeat(40)}end\n`],
  ["<<", "k: <<\n"],
];

describe("string quoting", () => {
  it.each(QUOTING)("%j", (value, expected) => {
    expect(line(value)).toBe(expected);
    expect(loadPlain(expected).documents[0]!.get("k")).toBe(value);
  });

  it("quotes keys the same way", () => {
    const keys = ["n", "", "a: b", "123", "plain"];
    const text = emitPlain({ documents: [new TreeMap(keys.map((key, i) => ({ key, value: BigInt(i + 1) })))] });
    expect(text).toBe('"n": 1\n"": 2\n\'a: b\': 3\n"123": 4\nplain: 5\n');
  });

  it("writes long and multi-line keys in the explicit `? key` form", () => {
    const doc = TreeMap.from({ ["k".repeat(129)]: 1n, "two\nlines": "v" });
    const text = emitPlain({ documents: [doc] });
    expect(text).toContain(`? ${"k".repeat(129)}`.replace("? k", '? "k'));
    expect(loadPlain(text).documents[0]).toEqual(doc);
  });
});

describe("literal blocks", () => {
  it.each([
    ["a\nb", "k: |-\n    a\n    b\n"],
    ["a\nb\n", "k: |\n    a\n    b\n"],
    ["a\nb\n\n", "k: |+\n    a\n    b\n\n"],
    ["a\n\nb", "k: |-\n    a\n\n    b\n"],
    ["  indented\nx", "k: |4-\n      indented\n    x\n"],
  ])("%j", (value, expected) => {
    expect(line(value)).toBe(expected);
    expect(loadPlain(expected).documents[0]!.get("k")).toBe(value);
  });

  it("double-quotes multi-line text a literal block cannot hold", () => {
    expect(line("a \nb")).toBe('k: "a \\nb"\n');
    expect(line("a\r\nb")).toBe('k: "a\\r\\nb"\n');
  });
});

describe("other scalars", () => {
  it.each([
    [1.5, "1.5"], [100, "100.0"], [-0, "-0.0"], [1e21, "1e+21"], [1.5e-7, "1.5e-07"], [123456, "123456.0"],
    [1234567, "1.234567e+06"], [0.0001, "0.0001"], [0.00001, "1e-05"], [Infinity, ".inf"], [-Infinity, "-.inf"], [Number.NaN, ".nan"],
  ])("float %p as %j", (value, expected) => {
    expect(formatYamlFloat(value)).toBe(expected);
    expect(loadPlain(`k: ${expected}\n`).documents[0]!.get("k")).toEqual(value);
  });

  it("writes ints, bools, null, timestamps, empty containers", () => {
    const doc = TreeMap.from({ i: -9223372036854775808n, b: false, nil: null, t: new Time("2024-01-01T00:00:00Z"), m: new TreeMap(), l: [] });
    const text = emitPlain({ documents: [doc] });
    expect(text).toBe("i: -9223372036854775808\nb: false\nnil: null\nt: 2024-01-01T00:00:00Z\nm: {}\nl: []\n");
    expect(loadPlain(text).documents[0]).toEqual(doc);
  });

  it("writes UTF-8 bytes as a string and other bytes as !!binary", () => {
    expect(line(new TextEncoder().encode("hi"))).toBe("k: hi\n");
    expect(line(new Uint8Array([0xff, 0xfe]))).toBe("k: !!binary //4=\n");
    const long = new Uint8Array(60).fill(0xff);
    const text = line(long);
    expect(text.startsWith("k: !!binary |\n    ")).toBe(true);
    expect(loadPlain(text).documents[0]!.get("k")).toEqual(long);
  });

  it("refuses a Time that is not a timestamp", () => {
    expect(errorCode(() => line(new Time("yesterday")))).toBe("EMIT_FAILED");
  });

  it("emitValue writes one value and a newline", () => {
    const text = (v: TreeValue): string => new TextDecoder().decode(yamlStore.emitValue(v));
    expect(text(42n)).toBe("42\n");
    expect(text(true)).toBe("true\n");
    expect(text("yes")).toBe('"yes"\n');
    expect(text(["a", 1n])).toBe("- a\n- 1\n");
  });
});

describe("layout", () => {
  const doc = new TreeMap([
    new Comment(" head"),
    { key: "map", value: TreeMap.from({ a: 1n, nested: TreeMap.from({ b: "x" }) }) },
    { key: "list", value: ["a", TreeMap.from({ k: "v", deep: TreeMap.from({ z: 1n }), txt: "l1\nl2" }), ["x", "z"]] },
    { key: "s", value: "v" },
    new Comment(" after s", true),
  ]);

  it("indents like go-yaml v3 with indent 4 (compact items indented from the dash)", () => {
    expect(emitPlain({ documents: [doc] })).toBe(
      [
        "# head",
        "map:",
        "    a: 1",
        "    nested:",
        "        b: x",
        "list:",
        "    - a",
        "    - k: v",
        "      deep:",
        "        z: 1",
        "      txt: |-",
        "        l1",
        "        l2",
        "    - - x",
        "      - z",
        "s: v # after s",
        "",
      ].join("\n"),
    );
  });

  it("honours indent 2 and round-trips with every indent from 2 to 9", () => {
    expect(emitPlain({ documents: [doc] }, 2)).toContain("list:\n  - a\n  - k: v\n    deep:\n      z: 1\n");
    for (let indent = 2; indent <= 9; indent++) {
      expect(loadPlain(emitPlain({ documents: [doc] }, indent)).documents[0]).toEqual(doc);
    }
    expect(errorCode(() => emitPlain({ documents: [doc] }, 1))).toBe("USAGE");
  });

  it("separates documents with --- and appends sops last in every document", () => {
    const metadata = TreeMap.from({ lastmodified: "2024-01-01T00:00:00Z", version: "3.13.2" });
    const documents = [TreeMap.from({ a: 1n, sops: "stale" }), TreeMap.from({ b: 2n })];
    const text = new TextDecoder().decode(yamlStore.emitEncrypted({ documents, metadata }));
    const block = 'sops:\n    lastmodified: "2024-01-01T00:00:00Z"\n    version: 3.13.2\n';
    expect(text).toBe(`a: 1\n${block}---\nb: 2\n${block}`);
    expect(documents[0]!.get("sops")).toBe("stale"); // the input is not mutated
    expect(errorCode(() => yamlStore.emitEncrypted({ documents }))).toBe("EMIT_FAILED");
  });
});
