/**
 * Scalar typing exactly like go-yaml v3 (`resolve` in resolve.go), not YAML 1.2 core: sops reads
 * YAML through go-yaml, and the type decides the `type:` tag and the MAC bytes (spec §8.1, §15.3.6).
 */
import { Time, type TreeValue } from "../../core/tree.js";
import { parseGoTimestamp } from "./timestamp.js";

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** go-yaml's `resolveMap`: exact spellings only (`yes`, `on`, `tRUE` stay strings). */
const EXACT = new Map<string, TreeValue>([
  ["true", true], ["True", true], ["TRUE", true],
  ["false", false], ["False", false], ["FALSE", false],
  ["", null], ["~", null], ["null", null], ["Null", null], ["NULL", null],
  [".nan", Number.NaN], [".NaN", Number.NaN], [".NAN", Number.NaN],
  [".inf", Infinity], [".Inf", Infinity], [".INF", Infinity],
  ["+.inf", Infinity], ["+.Inf", Infinity], ["+.INF", Infinity],
  ["-.inf", -Infinity], ["-.Inf", -Infinity], ["-.INF", -Infinity],
]);

const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const DOT_FLOAT = /^\.[0-9]+([eE][-+]?[0-9]+)?$/;
const DIGITS: Record<number, RegExp> = {
  2: /^[01]+$/,
  8: /^[0-7]+$/,
  10: /^[0-9]+$/,
  16: /^[0-9a-fA-F]+$/,
};

/** Go `strconv.ParseInt(text, 0, 64)` without underscores; null when Go would fail. */
export function parseGoInt(text: string): bigint | null {
  let rest = text;
  let negative = false;
  if (rest.startsWith("+") || rest.startsWith("-")) {
    negative = rest.startsWith("-");
    rest = rest.slice(1);
  }
  let base = 10;
  let digits = rest;
  const lower = rest.slice(0, 2).toLowerCase();
  if (lower === "0x") [base, digits] = [16, rest.slice(2)];
  else if (lower === "0o") [base, digits] = [8, rest.slice(2)];
  else if (lower === "0b") [base, digits] = [2, rest.slice(2)];
  else if (rest.length > 1 && rest.startsWith("0")) [base, digits] = [8, rest.slice(1)];
  if (!DIGITS[base]!.test(digits)) return null;
  const prefix = base === 16 ? "0x" : base === 8 ? "0o" : base === 2 ? "0b" : "";
  const magnitude = BigInt(`${prefix}${digits}`);
  const value = negative ? -magnitude : magnitude;
  return value < INT64_MIN || value > INT64_MAX ? null : value;
}

/** Go `strconv.ParseFloat` on text already matched by a decimal regex; null on overflow. */
function parseGoFloat(text: string): number | null {
  const value = Number(text);
  return Number.isFinite(value) ? value : null;
}

/**
 * The typed value of a plain (unquoted, untagged) scalar, as go-yaml v3 resolves it.
 * `allowTime` is false under an explicit non-timestamp tag (go-yaml skips the date check then).
 */
export function resolvePlain(text: string, allowTime = true): TreeValue {
  const exact = EXACT.get(text);
  if (exact !== undefined) return exact;
  const first = text.charCodeAt(0);
  if (first === 46 /* . */) {
    if (DOT_FLOAT.test(text)) return parseGoFloat(text) ?? text;
    return text;
  }
  const isDigit = first >= 48 && first <= 57;
  if (!isDigit && first !== 43 /* + */ && first !== 45 /* - */) return text;
  const time = allowTime ? parseGoTimestamp(text) : null;
  if (time !== null) return new Time(time);
  const plain = text.includes("_") ? text.replaceAll("_", "") : text;
  const int = parseGoInt(plain);
  if (int !== null) return int;
  if (YAML_STYLE_FLOAT.test(plain)) return parseGoFloat(plain) ?? text;
  return text;
}

/** Whether a string would come back as a string if written plain (go-yaml `resolve` == !!str). */
export function resolvesToString(text: string): boolean {
  return typeof resolvePlain(text) === "string";
}
