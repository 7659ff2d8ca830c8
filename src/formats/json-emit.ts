/**
 * Writes tree values as JSON the way sops does (spec §8.2): Go `encoding/json` encoding (HTML-safe
 * escapes, Go float format) re-indented by `json.Indent`, i.e. `"key": value`, one indent unit per
 * level, `{}`/`[]` for empty containers. Comments do not exist in JSON and are dropped.
 */
import { formatGoFloat } from "../core/canonical.js";
import { CofferError } from "../errors.js";
import { Comment, Time, TreeMap } from "../core/tree.js";
import type { TreeValue } from "../core/tree.js";

/** The indent unit for an `indent` option: -1 (default) is a tab, N >= 0 is N spaces. */
export function jsonIndentUnit(indent: number | undefined): string {
  return indent === undefined || indent < 0 ? "\t" : " ".repeat(indent);
}

/**
 * Serialises a tree value. With `indent` undefined the output is compact (Go `json.Marshal`);
 * otherwise it is laid out like Go `json.Indent(out, compact, "", indent)`. No trailing newline.
 * Throws `EMIT_FAILED` for NaN and infinities, which JSON cannot represent.
 */
export function emitJsonValue(value: TreeValue, indent?: string): string {
  const out: string[] = [];
  writeValue(out, value, indent, 0);
  return out.join("");
}

function writeValue(out: string[], value: TreeValue, indent: string | undefined, depth: number): void {
  if (value instanceof TreeMap) {
    const entries = value.entries();
    if (entries.length === 0) {
      out.push("{}");
      return;
    }
    out.push("{");
    entries.forEach((entry, i) => {
      if (i > 0) out.push(",");
      newline(out, indent, depth + 1);
      out.push(quoteJsonString(entry.key), indent === undefined ? ":" : ": ");
      writeValue(out, entry.value, indent, depth + 1);
    });
    newline(out, indent, depth);
    out.push("}");
    return;
  }
  if (Array.isArray(value)) {
    const items = value.filter((item): item is TreeValue => !(item instanceof Comment));
    if (items.length === 0) {
      out.push("[]");
      return;
    }
    out.push("[");
    items.forEach((item, i) => {
      if (i > 0) out.push(",");
      newline(out, indent, depth + 1);
      writeValue(out, item, indent, depth + 1);
    });
    newline(out, indent, depth);
    out.push("]");
    return;
  }
  out.push(scalarJson(value));
}

function newline(out: string[], indent: string | undefined, depth: number): void {
  if (indent !== undefined) out.push("\n", indent.repeat(depth));
}

function scalarJson(value: Exclude<TreeValue, TreeMap | Array<unknown>>): string {
  if (value === null) return "null";
  if (typeof value === "string") return quoteJsonString(value);
  if (typeof value === "bigint") return value.toString(10);
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number") return formatJsonFloat(value);
  if (value instanceof Time) return quoteJsonString(value.text);
  return quoteJsonString(decodeUtf8Lossy(value));
}

/**
 * Go `encoding/json` float64 format: positional (`'f'`) for 1e-6 <= |v| < 1e21 and for zero,
 * exponent form otherwise with Go's cleaned exponent (`1e+21`, `1.5e-7`) — which is exactly what
 * `toExponential()` produces for those magnitudes.
 */
export function formatJsonFloat(value: number): string {
  if (!Number.isFinite(value)) {
    throw new CofferError("EMIT_FAILED", "json cannot represent nan or infinite numbers", {
      hint: "use another output format or change the value",
    });
  }
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 1e-6 || abs >= 1e21)) return value.toExponential();
  return formatGoFloat(value);
}

const HEX = "0123456789abcdef";

/**
 * Quotes a string like Go `encoding/json` with HTML escaping: `<`, `>`, `&`, U+2028 and U+2029
 * as `\u00XX`-style escapes, `\b \f \n \r \t` short forms, other control characters as `\u00XX`,
 * and lone surrogates (invalid UTF-8 in Go's eyes) as `\ufffd`.
 */
export function quoteJsonString(text: string): string {
  let out = '"';
  let runStart = 0;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    let escape: string | undefined;
    if (code < 0x20 || code === 0x22 || code === 0x5c || code === 0x3c || code === 0x3e || code === 0x26) {
      escape = shortEscape(code) ?? `\\u00${HEX[code >> 4]}${HEX[code & 15]}`;
    } else if (code === 0x2028 || code === 0x2029) {
      escape = `\\u${code.toString(16)}`;
    } else if (code >= 0xd800 && code <= 0xdfff) {
      const next = text.charCodeAt(i + 1);
      if (code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        i += 1;
        continue;
      }
      escape = "\\ufffd";
    }
    if (escape !== undefined) {
      out += text.slice(runStart, i) + escape;
      runStart = i + 1;
    }
  }
  return out + text.slice(runStart) + '"';
}

function shortEscape(code: number): string | undefined {
  switch (code) {
    case 0x22:
      return '\\"';
    case 0x5c:
      return "\\\\";
    case 0x08:
      return "\\b";
    case 0x0c:
      return "\\f";
    case 0x0a:
      return "\\n";
    case 0x0d:
      return "\\r";
    case 0x09:
      return "\\t";
    default:
      return undefined;
  }
}

/**
 * Decodes UTF-8 bytes, turning every invalid byte into a lone surrogate (U+DFFF) so that
 * {@link quoteJsonString} writes `\ufffd` for it, byte by byte, as Go does for invalid UTF-8.
 */
export function decodeUtf8Lossy(bytes: Uint8Array): string {
  const fast = tryDecodeUtf8(bytes);
  if (fast !== undefined) return fast;
  let out = "";
  let i = 0;
  while (i < bytes.length) {
    const b0 = bytes[i]!;
    const len = b0 < 0x80 ? 1 : b0 >= 0xc2 && b0 <= 0xdf ? 2 : b0 >= 0xe0 && b0 <= 0xef ? 3 : b0 >= 0xf0 && b0 <= 0xf4 ? 4 : 0;
    const chunk = len === 0 ? undefined : tryDecodeUtf8(bytes.subarray(i, i + len));
    if (chunk !== undefined && i + len <= bytes.length) {
      out += chunk;
      i += len;
    } else {
      out += "\udfff";
      i += 1;
    }
  }
  return out;
}

const strictDecoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

function tryDecodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return strictDecoder.decode(bytes);
  } catch {
    return undefined;
  }
}
