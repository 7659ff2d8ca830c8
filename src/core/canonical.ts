/**
 * Canonical plaintext bytes of tree values (spec §2.2) and the Go parsers that turn decrypted
 * plaintext back into values. The same bytes are encrypted and fed to the MAC, so this module is
 * the single place that decides how a value is serialised.
 */
import { Time } from "./tree.js";
import type { Scalar } from "./tree.js";

/** The `type:` tag of an ENC string. `bytes` is legacy (read only). */
export type ValueType = "str" | "int" | "float" | "bool" | "time" | "comment" | "bytes";

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** The `type:` tag sops writes for a tree value. Raw bytes are written as `str` (spec §2.2). */
export function typeTagOf(value: Scalar): ValueType {
  switch (typeof value) {
    case "string":
      return "str";
    case "bigint":
      return "int";
    case "number":
      return "float";
    case "boolean":
      return "bool";
    default:
      return value instanceof Time ? "time" : "str";
  }
}

/**
 * A finite float as Go `strconv.FormatFloat(v, 'g', -1, 64)` writes it (shortest round-trip
 * digits; exponent form when the exponent is < -4 or >= 6, with at least two exponent digits:
 * `1e+21`, `1.5e-07`), except that an integral value keeps a `.0` (`100.0`, not Go's `100`) so it
 * reads back as a float and keeps its `type:` tag. Stores spell NaN and the infinities themselves.
 */
export function formatGoShortestFloat(value: number): string {
  if (value === 0) return Object.is(value, -0) ? "-0.0" : "0.0";
  const sign = value < 0 ? "-" : "";
  const [mantissa = "", expText = "0"] = Math.abs(value).toExponential().split("e");
  const digits = mantissa.replace(".", "");
  const exp = Number(expText);
  if (exp < -4 || exp >= 6) {
    const frac = digits.length > 1 ? `.${digits.slice(1)}` : "";
    return `${sign}${digits[0]}${frac}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
  }
  if (exp < 0) return `${sign}0.${"0".repeat(-exp - 1)}${digits}`;
  if (digits.length > exp + 1) return `${sign}${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
  return `${sign}${digits}${"0".repeat(exp + 1 - digits.length)}.0`;
}

/**
 * Go `strconv.FormatFloat(v, 'f', -1, 64)`: shortest round-trip digits, always positional.
 * `Number#toString` switches to exponent form at 1e21 and 1e-7, so the decimal point is placed by
 * hand from the digits of `toExponential()` (which also yields the shortest round-trip digits).
 */
export function formatGoFloat(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Infinity) return "+Inf";
  if (value === -Infinity) return "-Inf";
  if (value === 0) return Object.is(value, -0) ? "-0" : "0";
  const sign = value < 0 ? "-" : "";
  const exponential = Math.abs(value).toExponential();
  const ePos = exponential.indexOf("e");
  const digits = exponential.slice(0, ePos).replace(".", "");
  const exponent = Number(exponential.slice(ePos + 1));
  if (exponent >= digits.length - 1) return sign + digits + "0".repeat(exponent - digits.length + 1);
  if (exponent >= 0) return `${sign}${digits.slice(0, exponent + 1)}.${digits.slice(exponent + 1)}`;
  return `${sign}0.${"0".repeat(-exponent - 1)}${digits}`;
}

/** The canonical text of a non-bytes scalar (ints decimal, floats positional, True/False). */
export function canonicalText(value: Exclude<Scalar, Uint8Array>): string {
  switch (typeof value) {
    case "string":
      return value;
    case "bigint":
      return value.toString(10);
    case "number":
      return formatGoFloat(value);
    case "boolean":
      return value ? "True" : "False";
    default:
      return value.text;
  }
}

/** The canonical plaintext bytes of a value, shared by encryption and the MAC (spec §2.2). */
export function canonicalBytes(value: Scalar): Uint8Array {
  if (value instanceof Uint8Array) return value;
  return Buffer.from(canonicalText(value), "utf8");
}

/** Go `strconv.Atoi`: optional sign, decimal digits only, must fit int64. */
export function parseGoInt(text: string): bigint | undefined {
  if (!/^[+-]?[0-9]+$/.test(text)) return undefined;
  const value = BigInt(text);
  return value < INT64_MIN || value > INT64_MAX ? undefined : value;
}

const DECIMAL_FLOAT = /^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;
const HEX_FLOAT = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?[pP]([+-]?[0-9]+)$/;
const SPECIAL_FLOAT = /^([+-]?)(inf|infinity|nan)$/i;

/**
 * Go `strconv.ParseFloat(s, 64)`: decimal with optional exponent, hex floats (`0x1p-2`),
 * `inf`/`infinity`/`nan` in any case with an optional sign. Out-of-range values fail like Go.
 */
export function parseGoFloat(text: string): number | undefined {
  const special = SPECIAL_FLOAT.exec(text);
  if (special) {
    if (special[2]!.toLowerCase() === "nan") return special[1] === "" ? NaN : undefined;
    return special[1] === "-" ? -Infinity : Infinity;
  }
  let value: number;
  if (DECIMAL_FLOAT.test(text)) {
    value = Number(text);
  } else {
    const hex = HEX_FLOAT.exec(text);
    if (!hex) return undefined;
    const intPart = hex[2] ?? "";
    const fracPart = hex[3] ?? "";
    if (intPart === "" && fracPart === "") return undefined;
    const mantissa = Number.parseInt(intPart + fracPart || "0", 16);
    value = mantissa * 2 ** (Number(hex[4]) - 4 * fracPart.length);
    if (hex[1] === "-") value = -value;
  }
  return Number.isFinite(value) ? value : undefined;
}

/** Go `strconv.ParseBool`. */
export function parseGoBool(text: string): boolean | undefined {
  switch (text) {
    case "1":
    case "t":
    case "T":
    case "TRUE":
    case "true":
    case "True":
      return true;
    case "0":
    case "f":
    case "F":
    case "FALSE":
    case "false":
    case "False":
      return false;
    default:
      return undefined;
  }
}

const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

/** The parts of an RFC 3339 timestamp, or undefined when the text is not one. */
interface Rfc3339Parts {
  date: string;
  time: string;
  fraction: string;
  offsetMinutes: number;
  offsetText: string;
}

function parseRfc3339(text: string): Rfc3339Parts | undefined {
  const m = RFC3339.exec(text);
  if (!m) return undefined;
  const [, year, month, day, hour, minute, second, fraction = "", zulu, sign, oh, om] = m;
  if (Number(month) < 1 || Number(month) > 12 || Number(day) < 1 || Number(day) > 31) return undefined;
  if (Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59) return undefined;
  const offsetMinutes = zulu ? 0 : (sign === "-" ? -1 : 1) * (Number(oh) * 60 + Number(om));
  if (!zulu && (Number(oh) > 23 || Number(om) > 59)) return undefined;
  return {
    date: `${year}-${month}-${day}`,
    time: `${hour}:${minute}:${second}`,
    fraction,
    offsetMinutes,
    // Go's `Z07:00` layout writes Z for any zero offset, including +00:00 and -00:00.
    offsetText: offsetMinutes === 0 ? "Z" : `${sign}${oh}:${om}`,
  };
}

/**
 * Go `time.Time.MarshalText` of an RFC 3339 timestamp: nanoseconds with trailing zeros removed,
 * `Z` for a zero offset. Returns undefined when the text is not RFC 3339.
 */
export function canonicalTimeText(text: string): string | undefined {
  const parts = parseRfc3339(text);
  if (!parts) return undefined;
  const nanos = parts.fraction.slice(0, 9).replace(/0+$/, "");
  return `${parts.date}T${parts.time}${nanos ? `.${nanos}` : ""}${parts.offsetText}`;
}

/**
 * Go `t.Format(time.RFC3339)` of a parsed RFC 3339 timestamp: seconds precision (fraction dropped),
 * `Z` for a zero offset, other offsets kept. This is the AAD of the MAC (spec §4.2).
 */
export function canonicalSecondsText(text: string): string | undefined {
  const parts = parseRfc3339(text);
  return parts && `${parts.date}T${parts.time}${parts.offsetText}`;
}

/** `date` as RFC 3339 in UTC, truncated to seconds (`2024-03-25T22:08:10Z`). */
export function formatUtcSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d+Z$/, "Z");
}
