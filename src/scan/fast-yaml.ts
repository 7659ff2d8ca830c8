/**
 * A fast reader for the YAML that Kubernetes manifests actually use: block mappings and
 * sequences, plain / single-quoted / double-quoted one-line scalars, literal and folded block
 * scalars, empty `[]` / `{}`, comments and `---` separators. It gives the same JS values as the
 * `yaml` package (core schema) and, for everything else or anything it is not sure about (flow
 * collections, anchors, aliases, tags, multi-line plain or quoted scalars, complex or non-string
 * keys, tabs, directives, CRLF, duplicate keys...), it gives up: `undefined` means "parse this
 * text with the `yaml` package". Giving up is always correct; a wrong value never is, so every
 * construct not listed above gives up.
 */

/** One YAML document of the text: its value and where its text starts and ends. */
export interface FastDocument {
  value: unknown;
  /** Character offsets of the document's text (from its `---` line, or the text's start). */
  start: number;
  end: number;
  /** The 1-based line on which `start` sits. */
  line: number;
}

/** Thrown inside the reader when it is not sure; never escapes this module. */
const UNSURE = new Error("not sure");

// Control characters, CR, NEL, LS/PS and BOMs: the `yaml` package has opinions about each.
const SUSPICIOUS = /[\u0000-\u0008\u000b-\u001f\u007f\u0085\u2028\u2029\ufeff]/;
/** Characters of a plain key: 1 may start it, 2 may follow ([A-Za-z0-9_./] start, plus ~+@$()- after). */
const KEY_CHAR = new Uint8Array(128);
for (const c of "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_./") KEY_CHAR[c.charCodeAt(0)] = 1;
for (const c of "~+@$()-") KEY_CHAR[c.charCodeAt(0)] = 2;
const MAX_KEY_LENGTH = 1000;

const SPACE = 32;
const HASH = 35;
const DASH = 45;
const TAB = 9;

// The core schema's tests, in its order (yaml/dist/schema/core).
const NULL = /^(?:~|[Nn]ull|NULL)$/;
const TRUE = /^(?:[Tt]rue|TRUE)$/;
const FALSE = /^(?:[Ff]alse|FALSE)$/;
const INT_OCT = /^0o[0-7]+$/;
const INT = /^[-+]?[0-9]+$/;
const INT_HEX = /^0x[0-9a-fA-F]+$/;
const FLOAT_NAN = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const FLOAT_EXP = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/;

/** A plain scalar's value under the core schema (null, booleans, numbers, else the string). */
export function resolvePlain(text: string): unknown {
  const c = text.charCodeAt(0);
  if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) {
    // Letters: only null, true and false (at most 5 characters) are not strings.
    if (text.length > 5) return text;
    if (NULL.test(text)) return null;
    if (TRUE.test(text)) return true;
    if (FALSE.test(text)) return false;
    return text;
  }
  if (c === 126 /* ~ */) return text === "~" ? null : text;
  // Only digits, + - and . can start a number.
  if (!((c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46)) return text;
  if (INT.test(text)) return parseInt(text, 10);
  if (INT_OCT.test(text)) return parseInt(text.substring(2), 8);
  if (INT_HEX.test(text)) return parseInt(text.substring(2), 16);
  if (FLOAT_NAN.test(text)) return text.slice(-3).toLowerCase() === "nan" ? NaN : text[0] === "-" ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  if (FLOAT_EXP.test(text) || FLOAT.test(text)) return parseFloat(text);
  return text;
}

/**
 * Whether resolvePlain could give something other than the text itself: a number (digits, + - .
 * first), `~`, or a letter-led word of at most 5 characters (null, true, false and their spellings).
 */
function mayResolveToNonString(text: string): boolean {
  const c = text.charCodeAt(0);
  if (c === 110 || c === 78 || c === 116 || c === 84 || c === 102 || c === 70) return text.length <= 5; // n N t T f F
  return (c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46 || c === 126;
}

const ESCAPES: Record<string, string> = {
  "0": "\0", a: "\x07", b: "\b", e: "\x1b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v",
  N: "\u0085", _: "\u00a0", L: "\u2028", P: "\u2029", " ": " ", '"': '"', "/": "/", "\\": "\\",
};
const HEX_LENGTH: Record<string, number> = { x: 2, u: 4, U: 8 };
const HEX = /^[0-9a-fA-F]+$/;

function indentOf(line: string): number {
  let n = 0;
  while (line.charCodeAt(n) === SPACE) n++;
  return n;
}

function skipSpaces(line: string, at: number): number {
  while (line.charCodeAt(at) === SPACE) at++;
  return at;
}

/** A `-` item indicator at `at`: followed by a space or the end of the line. */
function isDash(line: string, at: number): boolean {
  return line.charCodeAt(at) === DASH && (at + 1 === line.length || line.charCodeAt(at + 1) === SPACE);
}

/** After a quoted scalar or `[]`/`{}`: only spaces, then the end or a comment. */
function checkTail(line: string, at: number): void {
  const next = skipSpaces(line, at);
  if (next === line.length) return;
  if (next > at && line.charCodeAt(next) === HASH) return;
  throw UNSURE;
}

/** Where the last scalar or key read by the functions below ended (no tuple per value). */
let scanEnd = 0;

/** A one-line double-quoted scalar starting at `at`; scanEnd: after the closing quote. */
function doubleQuoted(line: string, at: number): string {
  const close = line.indexOf('"', at + 1);
  const escape = line.indexOf("\\", at + 1);
  if (close !== -1 && (escape === -1 || escape > close)) {
    scanEnd = close + 1;
    return line.slice(at + 1, close);
  }
  let out = "";
  let from = at + 1;
  for (let k = from; k < line.length; k++) {
    const c = line[k];
    if (c === '"') {
      scanEnd = k + 1;
      return out + line.slice(from, k);
    }
    if (c !== "\\") continue;
    out += line.slice(from, k);
    const next = line[k + 1] ?? "";
    const simple = ESCAPES[next];
    const length = HEX_LENGTH[next];
    if (simple !== undefined) {
      out += simple;
      k += 1;
    } else if (length !== undefined) {
      const code = line.substr(k + 2, length);
      if (code.length !== length || !HEX.test(code)) throw UNSURE;
      const point = parseInt(code, 16);
      if (point > 0x10ffff) throw UNSURE;
      out += String.fromCodePoint(point);
      k += 1 + length;
    } else {
      throw UNSURE; // an invalid escape, or a line continuation
    }
    from = k + 1;
  }
  throw UNSURE; // continues on the next line
}

/** A one-line single-quoted scalar starting at `at`; scanEnd: after the closing quote. */
function singleQuoted(line: string, at: number): string {
  let k = at + 1;
  for (;;) {
    k = line.indexOf("'", k);
    if (k === -1) throw UNSURE;
    if (line[k + 1] !== "'") break;
    k += 2;
  }
  const raw = line.slice(at + 1, k);
  scanEnd = k + 1;
  return raw.includes("''") ? raw.replaceAll("''", "'") : raw;
}

/** A mapping key at `at` followed by `:` and a space or the end; scanEnd: after the colon. */
function keyAt(line: string, at: number): string | undefined {
  let key: string;
  let end: number;
  const c = line[at];
  const quoted = c === '"' || c === "'";
  if (quoted) {
    key = c === '"' ? doubleQuoted(line, at) : singleQuoted(line, at);
    end = scanEnd;
  } else {
    const first = line.charCodeAt(at);
    if (!(first < 128 && KEY_CHAR[first] === 1)) return undefined; // also the end of the line (NaN)
    end = at + 1;
    for (let next = line.charCodeAt(end); next < 128 && KEY_CHAR[next] !== 0; next = line.charCodeAt(++end));
    key = line.slice(at, end);
  }
  if (line.charCodeAt(end) !== 58 /* : */ || (end + 1 < line.length && line.charCodeAt(end + 1) !== SPACE)) return undefined;
  // `1: x`, `true: x`, `~: x` have keys that are not strings (checked only for keys: `- 1` is an item).
  if (!quoted && mayResolveToNonString(key) && typeof resolvePlain(key) !== "string") throw UNSURE;
  if (key === "__proto__" || key.length > MAX_KEY_LENGTH) throw UNSURE;
  scanEnd = end + 1;
  return key;
}

/**
 * A one-line flow sequence of scalars at `at`: `[]`, `["sh", "-c"]`, `[a, 'b', 80]`. Gives up on
 * nested collections, pairs (`[a: b]`), empty or trailing entries, comments and anything multi-line.
 */
function flowSequence(line: string, at: number): unknown[] {
  const items: unknown[] = [];
  let k = skipSpaces(line, at + 1);
  if (line[k] === "]") {
    checkTail(line, k + 1);
    return items;
  }
  for (;;) {
    const c = line[k];
    if (c === '"' || c === "'") {
      items.push(c === '"' ? doubleQuoted(line, k) : singleQuoted(line, k));
      k = skipSpaces(line, scanEnd);
    } else {
      // A plain scalar runs to the next `,` or `]`; anything that could mean more than a scalar gives up.
      let end = k;
      while (end < line.length && line[end] !== "," && line[end] !== "]") end++;
      let last = end;
      while (line.charCodeAt(last - 1) === SPACE) last--;
      const text = line.slice(k, last);
      if (text === "" || !FLOW_PLAIN.test(text)) throw UNSURE;
      items.push(resolvePlain(text));
      k = end;
    }
    const separator = line[k];
    if (separator === "]") {
      checkTail(line, k + 1);
      return items;
    }
    if (separator !== ",") throw UNSURE;
    k = skipSpaces(line, k + 1);
    if (k >= line.length || line[k] === "]" || line[k] === ",") throw UNSURE; // trailing or empty entry
  }
}

/**
 * Plain scalars inside a flow sequence that mean exactly their text: no indicator first, no flow
 * indicators, quotes, `#`, `:` (a pair, or `a:b` ambiguity) or tabs anywhere.
 */
const FLOW_PLAIN = /^[^-?:,[\]{}#&*!|>'"%@`\s][^,[\]{}#:'"\t]*$|^-[^\s,[\]{}#:'"\t][^,[\]{}#:'"\t]*$/;

class Reader {
  private end = 0;
  /** The line after the value a method below last returned (no tuple per value). */
  private next = 0;
  /** The indentation of the line nextContent last returned. */
  private indent = 0;

  /** Whether the text has a tab anywhere (most have none: then no line needs the check). */
  private readonly tabs: boolean;

  constructor(
    private readonly lines: string[],
    text: string,
  ) {
    this.tabs = text.includes("\t");
  }

  hasContent(from: number, to: number): boolean {
    this.end = to;
    return this.nextContent(from) < to;
  }

  /** The values of the lines [from, to) as one document (which has content). */
  document(from: number, to: number): unknown {
    this.end = to;
    const i = this.nextContent(from);
    const value = this.block(i, -1);
    if (this.nextContent(this.next) < to) throw UNSURE;
    return value;
  }

  /** The next line at or after `i` that is neither blank nor a comment. */
  nextContent(i: number): number {
    for (; i < this.end; i++) {
      const line = this.lines[i] as string;
      if (this.tabs && line.includes("\t")) throw UNSURE;
      const indent = indentOf(line);
      if (indent < line.length && line.charCodeAt(indent) !== HASH) {
        this.indent = indent;
        return i;
      }
    }
    return i;
  }

  /** A block collection whose first line `i` is indented more than `parent`. */
  private block(i: number, parent: number): unknown {
    const line = this.lines[i] as string;
    const indent = this.indent;
    if (indent <= parent) throw UNSURE;
    if (isDash(line, indent)) return this.sequence(i, indent);
    if (keyAt(line, indent) === undefined) throw UNSURE; // a scalar document, or a multi-line scalar
    return this.mapping(i, indent);
  }

  private mapping(i: number, col: number): Record<string, unknown> {
    const map: Record<string, unknown> = {};
    let count = 0;
    for (let first = true; ; first = false) {
      if (!first) {
        i = this.nextContent(i);
        if (i >= this.end) break;
        const indent = this.indent;
        if (indent < col) break;
        if (indent > col) throw UNSURE;
      }
      const line = this.lines[i] as string;
      const key = keyAt(line, col);
      if (key === undefined) throw UNSURE;
      const after = scanEnd;
      const at = skipSpaces(line, after);
      let value: unknown;
      if (at === line.length || line.charCodeAt(at) === HASH) {
        value = this.nested(i + 1, col, true);
      } else {
        value = this.inline(line, at, i, col);
      }
      i = this.next;
      map[key] = value;
      count++;
    }
    // A duplicate key (the yaml package reports it) leaves fewer keys than pairs.
    if (Object.keys(map).length !== count) throw UNSURE;
    this.next = i;
    return map;
  }

  /** The value on the lines after `key:` or `-` (a block collection, or null when none follows). */
  private nested(i: number, col: number, inMapping: boolean): unknown {
    const j = this.nextContent(i);
    if (j < this.end) {
      const line = this.lines[j] as string;
      const indent = this.indent;
      if (indent > col) return this.block(j, col);
      if (inMapping && indent === col && isDash(line, col)) return this.sequence(j, col);
    }
    if (!inMapping) throw UNSURE; // an empty sequence item
    this.next = j;
    return null;
  }

  private sequence(i: number, col: number): unknown[] {
    const items: unknown[] = [];
    for (;;) {
      i = this.nextContent(i);
      if (i >= this.end) break;
      const line = this.lines[i] as string;
      const indent = this.indent;
      if (indent < col) break;
      if (indent > col) throw UNSURE;
      if (!isDash(line, col)) break; // the parent decides whether this line belongs to it
      const at = skipSpaces(line, col + 1);
      let value: unknown;
      if (at === line.length || line.charCodeAt(at) === HASH) {
        value = this.nested(i + 1, col, false);
      } else if (isDash(line, at)) {
        throw UNSURE; // `- - x`
      } else if (line[at] !== "|" && line[at] !== ">" && keyAt(line, at) !== undefined) {
        value = this.mapping(i, at);
      } else {
        value = this.inline(line, at, i, col);
      }
      i = this.next;
      items.push(value);
    }
    this.next = i;
    return items;
  }

  /** A value starting at `at` on line `i` (a scalar, a block scalar, `[]` or `{}`). */
  private inline(line: string, at: number, i: number, parent: number): unknown {
    const c = line[at];
    this.next = i + 1;
    switch (c) {
      case '"':
      case "'": {
        const value = c === '"' ? doubleQuoted(line, at) : singleQuoted(line, at);
        checkTail(line, scanEnd);
        return value;
      }
      case "|":
      case ">":
        return this.blockScalar(line, at, i, parent);
      case "[":
        return flowSequence(line, at);
      case "{":
        if (line[at + 1] !== "}") throw UNSURE;
        checkTail(line, at + 2);
        return {};
      case "-":
      case "?":
      case ":":
        if (c !== "-" || at + 1 === line.length || line.charCodeAt(at + 1) === SPACE) throw UNSURE;
        break;
      case "&": case "*": case "!": case "%": case "@": case "`": case ",": case "]": case "}": case "#":
        throw UNSURE;
    }
    const comment = line.indexOf(" #", at);
    let end = comment === -1 ? line.length : comment;
    while (line.charCodeAt(end - 1) === SPACE) end--;
    const text = line.slice(at, end);
    if (text.includes(": ") || text.endsWith(":")) throw UNSURE;
    return resolvePlain(text);
  }

  /** `|`, `|-`, `>`, `>-` at `at` with its content lines (indented more than `parent`). */
  private blockScalar(line: string, at: number, i: number, parent: number): string {
    const folded = line[at] === ">";
    let k = at + 1;
    const strip = line[k] === "-";
    if (strip) k++;
    if (k < line.length) {
      if (line.charCodeAt(k) !== SPACE) throw UNSURE; // `|+`, `|2`, ...
      const rest = skipSpaces(line, k);
      if (rest < line.length && line.charCodeAt(rest) !== HASH) throw UNSURE;
    }
    const parts: string[] = [];
    let indent = -1;
    let longestLeading = 0;
    let j = i + 1;
    for (; j < this.end; j++) {
      const text = this.lines[j] as string;
      const spaces = indentOf(text);
      if (spaces === text.length) {
        // A blank line: more spaces than the content's indentation would be content.
        if (indent === -1) longestLeading = Math.max(longestLeading, spaces);
        else if (spaces > indent) throw UNSURE;
        parts.push("");
        continue;
      }
      if (indent === -1) {
        if (spaces <= parent || longestLeading > spaces) break;
        indent = spaces;
      } else if (spaces < indent) {
        break;
      }
      if (text.charCodeAt(indent) === TAB || (folded && spaces > indent)) throw UNSURE;
      parts.push(text.slice(indent));
    }
    if (indent === -1) throw UNSURE; // empty
    while (parts[parts.length - 1] === "") parts.pop();
    const tail = strip ? "" : "\n";
    this.next = j;
    if (!folded) return parts.join("\n") + tail;
    if (parts[0] === "") throw UNSURE;
    let out = parts[0] as string;
    let breaks = 0;
    for (let p = 1; p < parts.length; p++) {
      const part = parts[p] as string;
      if (part === "") {
        breaks++;
        continue;
      }
      out += breaks === 0 ? ` ${part}` : "\n".repeat(breaks) + part;
      breaks = 0;
    }
    return out + tail;
  }
}

const SEPARATOR = /^--- *$/;

/**
 * The documents of `text` with their values, or undefined when the fast reader is not sure of
 * any of them (then the caller parses the text with the `yaml` package).
 */
export function fastParseDocuments(text: string): FastDocument[] | undefined {
  if (SUSPICIOUS.test(text)) return undefined;
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  const reader = new Reader(lines, text);
  const documents: FastDocument[] = [];
  try {
    let offset = 0;
    let start = 0; // line index of the current document's first line (its `---` if any)
    let startOffset = 0;
    const close = (to: number, endOffset: number) => {
      const introduced = SEPARATOR.test(lines[start] ?? "");
      const from = introduced ? start + 1 : start;
      const hasContent = reader.hasContent(from, to);
      // Comments before the first `---` belong to the next document, not one of their own.
      if (introduced || hasContent) {
        documents.push({ value: hasContent ? reader.document(from, to) : null, start: startOffset, end: endOffset, line: start + 1 });
      }
    };
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i] as string;
      const c = line.charCodeAt(0);
      if (c === 37 /* % */) throw UNSURE;
      if ((c === DASH && line.startsWith("---")) || (c === 46 && line.startsWith("..."))) {
        if (!SEPARATOR.test(line)) throw UNSURE;
        if (i > 0) close(i, offset);
        start = i;
        startOffset = offset;
      }
      offset += line.length + 1;
    }
    close(lines.length, text.length);
  } catch (error) {
    if (error === UNSURE) return undefined;
    throw error;
  }
  return documents;
}
