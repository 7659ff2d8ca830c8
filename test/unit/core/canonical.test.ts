import { describe, expect, it } from "vitest";
import {
  canonicalBytes,
  canonicalSecondsText,
  canonicalTimeText,
  formatGoFloat,
  formatUtcSeconds,
  parseGoBool,
  parseGoFloat,
  parseGoInt,
} from "../../../src/core/canonical.js";
import { Time } from "../../../src/core/tree.js";

describe("formatGoFloat (Go FormatFloat 'f', -1)", () => {
  const cases: Array<[number, string]> = [
    [1234.56789, "1234.56789"],
    [0.5, "0.5"],
    [1e21, "1000000000000000000000"],
    [1.5e-7, "0.00000015"],
    [100, "100"],
    [-0, "-0"],
    [0, "0"],
    [Infinity, "+Inf"],
    [-Infinity, "-Inf"],
    [NaN, "NaN"],
    [-2.5, "-2.5"],
    [123456789012345680000, "123456789012345680000"],
    [5e-324, "0." + "0".repeat(323) + "5"],
    [0.1 + 0.2, "0.30000000000000004"],
  ];
  for (const [value, text] of cases) {
    it(`formats ${String(value)} as ${text.length > 30 ? text.slice(0, 30) + "…" : text}`, () => {
      expect(formatGoFloat(value)).toBe(text);
    });
  }

  it("round-trips through parseGoFloat", () => {
    for (const value of [1234.56789, 1e21, 1.5e-7, 1.7976931348623157e308, 5e-324, -3.25]) {
      expect(parseGoFloat(formatGoFloat(value))).toBe(value);
    }
  });
});

describe("canonicalBytes", () => {
  it("serialises each type", () => {
    const text = (v: Parameters<typeof canonicalBytes>[0]) => Buffer.from(canonicalBytes(v)).toString("utf8");
    expect(text(true)).toBe("True");
    expect(text(false)).toBe("False");
    expect(text(-42n)).toBe("-42");
    expect(text(1.5)).toBe("1.5");
    expect(text(new Time("2024-01-01T00:00:00Z"))).toBe("2024-01-01T00:00:00Z");
    expect(text("café")).toBe("café");
    const raw = new Uint8Array([0xff, 0x00]);
    expect(canonicalBytes(raw)).toBe(raw);
  });
});

describe("Go parsers", () => {
  it("parseGoInt is strconv.Atoi", () => {
    expect(parseGoInt("42")).toBe(42n);
    expect(parseGoInt("-0042")).toBe(-42n);
    expect(parseGoInt("+7")).toBe(7n);
    expect(parseGoInt("9223372036854775807")).toBe(9223372036854775807n);
    expect(parseGoInt("9223372036854775808")).toBeUndefined();
    for (const bad of ["", "1.0", "0x10", "1_000", " 1", "abc"]) expect(parseGoInt(bad)).toBeUndefined();
  });

  it("parseGoFloat is strconv.ParseFloat", () => {
    expect(parseGoFloat("1.5e3")).toBe(1500);
    expect(parseGoFloat(".5")).toBe(0.5);
    expect(parseGoFloat("5.")).toBe(5);
    expect(parseGoFloat("-0")).toBe(-0);
    expect(parseGoFloat("inf")).toBe(Infinity);
    expect(parseGoFloat("+Inf")).toBe(Infinity);
    expect(parseGoFloat("-INFINITY")).toBe(-Infinity);
    expect(parseGoFloat("NaN")).toBeNaN();
    expect(parseGoFloat("nan")).toBeNaN();
    expect(parseGoFloat("0x1p-2")).toBe(0.25);
    expect(parseGoFloat("0x1.8p1")).toBe(3);
    for (const bad of ["", "abc", "1e", "1e400", "+nan", "1.2.3", "infx"]) expect(parseGoFloat(bad)).toBeUndefined();
  });

  it("parseGoBool is strconv.ParseBool", () => {
    for (const t of ["1", "t", "T", "TRUE", "true", "True"]) expect(parseGoBool(t)).toBe(true);
    for (const f of ["0", "f", "F", "FALSE", "false", "False"]) expect(parseGoBool(f)).toBe(false);
    for (const bad of ["yes", "tRUE", "", "2"]) expect(parseGoBool(bad)).toBeUndefined();
  });
});

describe("timestamps", () => {
  it("canonicalTimeText is MarshalText", () => {
    expect(canonicalTimeText("2024-01-01T00:00:00Z")).toBe("2024-01-01T00:00:00Z");
    expect(canonicalTimeText("2024-01-01T00:00:00.500000+00:00")).toBe("2024-01-01T00:00:00.5Z");
    expect(canonicalTimeText("2024-01-01T10:00:00+02:00")).toBe("2024-01-01T10:00:00+02:00");
    expect(canonicalTimeText("2024-13-01T00:00:00Z")).toBeUndefined();
    expect(canonicalTimeText("yesterday")).toBeUndefined();
  });

  it("canonicalSecondsText drops fractions, keeps offsets, Z for zero", () => {
    expect(canonicalSecondsText("2024-03-25T22:08:10.999Z")).toBe("2024-03-25T22:08:10Z");
    expect(canonicalSecondsText("2024-03-25T22:08:10-00:00")).toBe("2024-03-25T22:08:10Z");
    expect(canonicalSecondsText("2024-03-25T22:08:10-05:30")).toBe("2024-03-25T22:08:10-05:30");
  });

  it("formatUtcSeconds truncates to seconds in UTC", () => {
    expect(formatUtcSeconds(new Date(Date.UTC(2024, 2, 25, 22, 8, 10, 987)))).toBe("2024-03-25T22:08:10Z");
  });
});
