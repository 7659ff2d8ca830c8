/**
 * Scalars with an explicit tag, as go-yaml v3 decodes them: `!!str` and unknown tags keep the
 * text, `!!binary` is base64-decoded, and `!!int`/`!!float`/`!!bool`/`!!null`/`!!timestamp` must
 * resolve to their own type (an `!!int` may also be read as a `!!float`), else decoding fails.
 */
import { Time, type TreeValue } from "../../core/tree.js";
import { resolvePlain } from "./resolve-scalar.js";

const PREFIX = "tag:yaml.org,2002:";
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** The typed value of `text` under `tag`, or an Error (message without the value) on mismatch. */
export function resolveExplicitTag(tag: string, text: string): TreeValue | Error {
  if (!tag.startsWith(PREFIX)) return text; // `!`, `!local`, `!<verbatim>`: go-yaml keeps the text
  const name = tag.slice(PREFIX.length);
  switch (name) {
    case "binary":
      return decodeBinary(text);
    case "int": {
      const value = resolvePlain(text, false);
      return typeof value === "bigint" ? value : mismatch(name);
    }
    case "float": {
      const value = resolvePlain(text, false);
      if (typeof value === "number") return value;
      return typeof value === "bigint" ? Number(value) : mismatch(name);
    }
    case "bool": {
      const value = resolvePlain(text, false);
      return typeof value === "boolean" ? value : mismatch(name);
    }
    case "null":
      return resolvePlain(text, false) === null ? null : mismatch(name);
    case "timestamp": {
      const value = resolvePlain(text, true);
      return value instanceof Time ? value : mismatch(name);
    }
    default:
      return text; // !!str, !!merge and tags go-yaml does not resolve
  }
}

function mismatch(name: string): Error {
  return new Error(`cannot decode a scalar as !!${name}`);
}

/** Go's base64.StdEncoding: strict alphabet and padding, but `\r` and `\n` are skipped. */
function decodeBinary(text: string): Uint8Array | Error {
  const compact = text.replace(/[\r\n]/g, "");
  if (compact.length % 4 !== 0 || !BASE64.test(compact)) return new Error("invalid base64 in a !!binary scalar");
  return new Uint8Array(Buffer.from(compact, "base64"));
}
