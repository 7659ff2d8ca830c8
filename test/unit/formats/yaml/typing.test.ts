import { describe, expect, it } from "vitest";
import { Time, TreeMap, type TreeValue } from "../../../../src/core/tree.js";
import { resolvePlain, parseGoInt } from "../../../../src/formats/yaml/resolve-scalar.js";
import { parseGoTimestamp } from "../../../../src/formats/yaml/timestamp.js";
import { errorCode, loadPlain } from "./helpers.js";

/** Loads `key: <source>` and returns the value. */
function valueOf(source: string): TreeValue | undefined {
  const doc = loadPlain(`v: ${source}\n`).documents[0];
  return doc?.get("v");
}

// Every row of spec §8.1: plain scalars are typed like go-yaml v3, not YAML 1.2 core.
const PLAIN: Array<[string, TreeValue]> = [
  ["true", true], ["True", true], ["TRUE", true],
  ["false", false], ["False", false], ["FALSE", false],
  ["tRUE", "tRUE"], ["yes", "yes"], ["no", "no"], ["on", "on"], ["off", "off"], ["y", "y"], ["n", "n"],
  ["~", null], ["null", null], ["Null", null], ["NULL", null], ["", null], ["nULL", "nULL"],
  [".inf", Infinity], [".Inf", Infinity], [".INF", Infinity], ["+.inf", Infinity], ["+.INF", Infinity],
  ["-.inf", -Infinity], ["-.Inf", -Infinity], [".iNf", ".iNf"],
  [".nan", Number.NaN], [".NaN", Number.NaN], [".NAN", Number.NaN],
  ["0", 0n], ["-0", 0n], ["+12", 12n], ["-12", -12n], ["1_000", 1000n], ["0x1F", 31n], ["0X1f", 31n],
  ["-0x1F", -31n], ["0o17", 15n], ["0777", 511n], ["-0777", -511n], ["0b101", 5n], ["-0b101", -5n],
  ["9223372036854775807", 9223372036854775807n], ["-9223372036854775808", -9223372036854775808n],
  ["9223372036854775808", 9223372036854775808], // beyond int64: go-yaml's float regex applies
  ["0xFFFFFFFFFFFFFFFF", "0xFFFFFFFFFFFFFFFF"],
  ["08", 8], ["09.5", 9.5], ["1.5", 1.5], ["1.", 1], [".5", 0.5], ["-.5", -0.5], ["+1.5e3", 1500], ["1e3", 1000],
  ["1_0.5", 10.5], ["1e400", "1e400"], ["0x", "0x"], ["0b2", "0b2"], ["1.2.3", "1.2.3"], ["-x", "-x"],
  ["12:30", "12:30"], ["<<", "<<"], ["abc", "abc"], ["3.13.2", "3.13.2"],
  ["2024-01-01", new Time("2024-01-01T00:00:00Z")],
  ["2024-1-2", new Time("2024-01-02T00:00:00Z")],
  ["2024-01-01T10:20:30Z", new Time("2024-01-01T10:20:30Z")],
  ["2024-01-01t10:20:30Z", new Time("2024-01-01T10:20:30Z")],
  ["2024-01-01T10:20:30.120000Z", new Time("2024-01-01T10:20:30.12Z")],
  ["2024-01-01T10:20:30.1234567891Z", new Time("2024-01-01T10:20:30.123456789Z")],
  ["2024-01-01T10:20:30+02:00", new Time("2024-01-01T10:20:30+02:00")],
  ["2024-01-01T10:20:30-00:00", new Time("2024-01-01T10:20:30Z")],
  ["2024-01-01 1:2:3.5", new Time("2024-01-01T01:02:03.5Z")],
  ["2024-01-01T10:20:30", "2024-01-01T10:20:30"], // no zone with T: not a go-yaml timestamp
  ["2024-02-30", "2024-02-30"], ["2023-13-01", "2023-13-01"], ["2024-02-29", new Time("2024-02-29T00:00:00Z")],
  ["20240-01-01", "20240-01-01"],
];

describe("plain scalar typing (go-yaml v3)", () => {
  it.each(PLAIN)("%j", (source, expected) => {
    expect(valueOf(source)).toEqual(expected);
    expect(resolvePlain(source)).toEqual(expected);
  });

  it("keeps quoted and block scalars as strings", () => {
    const doc = loadPlain("a: 'true'\nb: \"123\"\nc: |\n    0777\nd: >-\n    null\ne: '2024-01-01'\n").documents[0]!;
    expect(doc.get("a")).toBe("true");
    expect(doc.get("b")).toBe("123");
    expect(doc.get("c")).toBe("0777\n");
    expect(doc.get("d")).toBe("null");
    expect(doc.get("e")).toBe("2024-01-01");
  });
});

describe("explicit tags", () => {
  const TAGGED: Array<[string, TreeValue]> = [
    ["!!str 123", "123"], ["!!str true", "true"], ["!!int 0x10", 16n], ['!!int "12"', 12n], ["!!float 1", 1],
    ["!!float 1.5", 1.5], ["!!bool True", true], ["!!null ~", null], ["!!null", null],
    ["!!timestamp 2024-01-01", new Time("2024-01-01T00:00:00Z")], ['!!timestamp "2024-01-01"', new Time("2024-01-01T00:00:00Z")],
    ["!custom 12", "12"], ["! 12", "12"], ["!!binary aGVsbG8=", new Uint8Array([104, 101, 108, 108, 111])],
  ];
  it.each(TAGGED)("%j", (source, expected) => {
    expect(valueOf(source)).toEqual(expected);
  });

  it("decodes multi-line !!binary blocks", () => {
    expect(valueOf("!!binary |\n    aGVs\n    bG8=\n")).toEqual(new Uint8Array([104, 101, 108, 108, 111]));
  });

  it.each(["!!int abc", "!!int 2024-01-01", "!!bool yes", "!!null x", "!!timestamp 12", "!!float abc", "!!binary a"])(
    "refuses %j with FORMAT_INVALID",
    (source) => {
      expect(errorCode(() => valueOf(source))).toBe("FORMAT_INVALID");
    },
  );
});

describe("Go helpers", () => {
  it("parseGoInt follows strconv.ParseInt base 0", () => {
    expect(parseGoInt("0")).toBe(0n);
    expect(parseGoInt("010")).toBe(8n);
    expect(parseGoInt("09")).toBeNull();
    expect(parseGoInt("0x")).toBeNull();
    expect(parseGoInt("+0b11")).toBe(3n);
    expect(parseGoInt("9223372036854775808")).toBeNull();
  });

  it("parseGoTimestamp canonicalises like time.MarshalText", () => {
    expect(parseGoTimestamp("2024-03-25T22:08:10Z")).toBe("2024-03-25T22:08:10Z");
    expect(parseGoTimestamp("2024-3-5T2:8:1.000Z")).toBe("2024-03-05T02:08:01Z");
    expect(parseGoTimestamp("2024-01-01T00:00:00+05:30")).toBe("2024-01-01T00:00:00+05:30");
    expect(parseGoTimestamp("2024-01-01T24:00:00Z")).toBeNull();
    expect(parseGoTimestamp("2024-01-01T00:00:00+5:30")).toBeNull();
    expect(parseGoTimestamp("1234")).toBeNull();
  });

  it("types keys too: a quoted number is a string key", () => {
    expect(loadPlain('"1": one\n').documents[0]).toEqual(TreeMap.from({ "1": "one" }));
  });
});
