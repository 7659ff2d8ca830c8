/**
 * An order-preserving JSON parser producing tree values (spec §8.2). `JSON.parse` cannot be used:
 * JS objects move integer-like keys (`"1"`) to the front and drop duplicate keys, and numbers lose
 * int64 precision. The parser is iterative (an explicit stack), so hostile nesting cannot overflow
 * the call stack; nesting deeper than {@link MAX_JSON_DEPTH} is refused.
 */
import { CofferError } from "../errors.js";
import { TreeMap } from "../core/tree.js";
import type { TreeList, TreeValue } from "../core/tree.js";

/**
 * Go's encoding/json allows 10,000 levels; we stop at 1,000 because every later stage (crypt
 * walk, MAC, emitters) recurses, and no real secrets file comes close.
 */
export const MAX_JSON_DEPTH = 1000;

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const NUMBER = /-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/y;

type Frame = { kind: "map"; map: TreeMap; key: string } | { kind: "list"; list: TreeList };

/** Options for {@link parseJsonTree}. */
export interface JsonParseOptions {
  /** Require the top-level value to be an object (every JSON document sops reads). */
  requireObject?: boolean;
}

/**
 * Parses JSON text into a tree value: objects become {@link TreeMap}s (order and duplicate keys
 * kept), integers that fit int64 become bigints, other numbers float64, `null` stays null.
 * Throws `FORMAT_INVALID` with the line and column of the problem (never the offending text).
 */
export function parseJsonTree(text: string, options: JsonParseOptions = {}): TreeValue {
  return new JsonParser(text).parseDocument(options.requireObject ?? false);
}

class JsonParser {
  private pos = 0;

  constructor(private readonly src: string) {}

  parseDocument(requireObject: boolean): TreeValue {
    this.skipWhitespace();
    if (requireObject && this.src[this.pos] !== "{") {
      this.fail(this.pos >= this.src.length ? "the document is empty" : "the top-level value must be an object");
    }
    const value = this.parseValue();
    this.skipWhitespace();
    if (this.pos < this.src.length) this.fail("unexpected content after the top-level value");
    return value;
  }

  private parseValue(): TreeValue {
    const stack: Frame[] = [];
    for (;;) {
      this.skipWhitespace();
      let value: TreeValue;
      const ch = this.src[this.pos];
      if (ch === "{" || ch === "[") {
        if (stack.length >= MAX_JSON_DEPTH) this.fail(`nesting deeper than ${MAX_JSON_DEPTH} levels`);
        this.pos += 1;
        this.skipWhitespace();
        if (ch === "{") {
          if (this.src[this.pos] === "}") {
            this.pos += 1;
            value = new TreeMap();
          } else {
            stack.push({ kind: "map", map: new TreeMap(), key: this.parseKey() });
            continue;
          }
        } else if (this.src[this.pos] === "]") {
          this.pos += 1;
          value = [];
        } else {
          stack.push({ kind: "list", list: [] });
          continue;
        }
      } else {
        value = this.parseScalar();
      }
      // Attach the finished value to its parent, closing every container that ends here.
      for (;;) {
        const top = stack[stack.length - 1];
        if (top === undefined) return value;
        if (top.kind === "map") top.map.items.push({ key: top.key, value });
        else top.list.push(value);
        this.skipWhitespace();
        const next = this.src[this.pos];
        if (next === ",") {
          this.pos += 1;
          if (top.kind === "map") top.key = this.parseKey();
          break;
        }
        const closer = top.kind === "map" ? "}" : "]";
        if (next !== closer) this.fail(next === undefined ? "unexpected end of input" : `expected ',' or '${closer}'`);
        this.pos += 1;
        stack.pop();
        value = top.kind === "map" ? top.map : top.list;
      }
    }
  }

  private parseKey(): string {
    this.skipWhitespace();
    if (this.src[this.pos] !== '"') this.fail("expected a string key");
    const key = this.parseString();
    this.skipWhitespace();
    if (this.src[this.pos] !== ":") this.fail("expected ':' after a key");
    this.pos += 1;
    return key;
  }

  private parseScalar(): TreeValue {
    const ch = this.src[this.pos];
    if (ch === '"') return this.parseString();
    if (ch === "-" || (ch !== undefined && ch >= "0" && ch <= "9")) return this.parseNumber();
    for (const [word, value] of [["true", true], ["false", false], ["null", null]] as const) {
      if (this.src.startsWith(word, this.pos)) {
        this.pos += word.length;
        return value;
      }
    }
    return this.fail(ch === undefined ? "unexpected end of input" : "unexpected character");
  }

  private parseNumber(): bigint | number {
    NUMBER.lastIndex = this.pos;
    const match = NUMBER.exec(this.src);
    if (match === null) return this.fail("malformed number");
    const text = match[0];
    const start = this.pos;
    this.pos += text.length;
    if (match[1] === undefined && match[2] === undefined) {
      // sops 3.13.2+: integers that fit int64 are ints; larger ones fall back to float64.
      const big = BigInt(text);
      if (big >= INT64_MIN && big <= INT64_MAX) return big;
    }
    const value = Number(text);
    if (!Number.isFinite(value)) this.fail("number out of range", start);
    return value;
  }

  private parseString(): string {
    const start = this.pos;
    this.pos += 1; // opening quote
    let out = "";
    let runStart = this.pos;
    for (;;) {
      const code = this.src.charCodeAt(this.pos);
      if (Number.isNaN(code)) this.fail("unterminated string", start);
      if (code === 0x22) {
        out += this.src.slice(runStart, this.pos);
        this.pos += 1;
        return out;
      }
      if (code < 0x20) this.fail("control character in string");
      if (code !== 0x5c) {
        this.pos += 1;
        continue;
      }
      out += this.src.slice(runStart, this.pos);
      out += this.parseEscape();
      runStart = this.pos;
    }
  }

  /** Reads one escape sequence at a backslash. Lone surrogates become U+FFFD, like Go. */
  private parseEscape(): string {
    const ch = this.src[this.pos + 1];
    this.pos += 2;
    switch (ch) {
      case '"':
        return '"';
      case "\\":
        return "\\";
      case "/":
        return "/";
      case "b":
        return "\b";
      case "f":
        return "\f";
      case "n":
        return "\n";
      case "r":
        return "\r";
      case "t":
        return "\t";
      case "u": {
        const high = this.readHex4();
        if (high >= 0xd800 && high <= 0xdbff && this.src.startsWith("\\u", this.pos)) {
          const save = this.pos;
          this.pos += 2;
          const low = this.readHex4();
          if (low >= 0xdc00 && low <= 0xdfff) return String.fromCharCode(high, low);
          this.pos = save;
        }
        if (high >= 0xd800 && high <= 0xdfff) return "\ufffd";
        return String.fromCharCode(high);
      }
      default:
        return this.fail("invalid escape in string", this.pos - 2);
    }
  }

  private readHex4(): number {
    const hex = this.src.slice(this.pos, this.pos + 4);
    if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail("invalid \\u escape in string");
    this.pos += 4;
    return Number.parseInt(hex, 16);
  }

  private skipWhitespace(): void {
    for (;;) {
      const code = this.src.charCodeAt(this.pos);
      if (code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d) this.pos += 1;
      else return;
    }
  }

  private fail(what: string, at = this.pos): never {
    let line = 1;
    let lineStart = 0;
    for (let i = 0; i < at && i < this.src.length; i += 1) {
      if (this.src.charCodeAt(i) === 0x0a) {
        line += 1;
        lineStart = i + 1;
      }
    }
    throw new CofferError("FORMAT_INVALID", `invalid json at line ${line}, column ${at - lineStart + 1}: ${what}`, {
      hint: "fix the json syntax at that position",
    });
  }
}
