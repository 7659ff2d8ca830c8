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

// The functions below read the text in place: a line is [start, end) of `text` (end at its "\n"),
// so no line is ever cut out as a string of its own. Past `end`, charCodeAt reads the next line,
// so every loop and test is bounded by `end` explicitly.

function skipSpaces(text: string, at: number, end: number): number {
  while (at < end && text.charCodeAt(at) === SPACE) at++;
  return at;
}

/** A `-` item indicator at `at`: followed by a space or the end of the line. */
function isDash(text: string, at: number, end: number): boolean {
  return at < end && text.charCodeAt(at) === DASH && (at + 1 === end || text.charCodeAt(at + 1) === SPACE);
}

/** After a quoted scalar or `[]`/`{}`: only spaces, then the end or a comment. */
function checkTail(text: string, at: number, end: number): void {
  const next = skipSpaces(text, at, end);
  if (next === end) return;
  if (next > at && text.charCodeAt(next) === HASH) return;
  throw UNSURE;
}

/** Where the last scalar or key read by the functions below ended (no tuple per value). */
let scanEnd = 0;

/** A one-line double-quoted scalar starting at `at`; scanEnd: after the closing quote. */
function doubleQuoted(text: string, at: number, end: number): string {
  const close = text.indexOf('"', at + 1);
  if (close !== -1 && close < end) {
    const raw = text.slice(at + 1, close);
    if (!raw.includes("\\")) {
      scanEnd = close + 1;
      return raw;
    }
  }
  let out = "";
  let from = at + 1;
  for (let k = from; k < end; k++) {
    const c = text.charCodeAt(k);
    if (c === 34 /* " */) {
      scanEnd = k + 1;
      return out + text.slice(from, k);
    }
    if (c !== 92 /* \ */) continue;
    out += text.slice(from, k);
    const next = k + 1 < end ? text.charAt(k + 1) : "";
    const simple = ESCAPES[next];
    const length = HEX_LENGTH[next];
    if (simple !== undefined) {
      out += simple;
      k += 1;
    } else if (length !== undefined) {
      if (k + 2 + length > end) throw UNSURE;
      const code = text.substr(k + 2, length);
      if (!HEX.test(code)) throw UNSURE;
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
function singleQuoted(text: string, at: number, end: number): string {
  let k = at + 1;
  for (;;) {
    k = text.indexOf("'", k);
    if (k === -1 || k >= end) throw UNSURE;
    if (k + 1 >= end || text.charCodeAt(k + 1) !== 39) break;
    k += 2;
  }
  const raw = text.slice(at + 1, k);
  scanEnd = k + 1;
  return raw.includes("''") ? raw.replaceAll("''", "'") : raw;
}

/** A mapping key at `at` followed by `:` and a space or the end; scanEnd: after the colon. */
function keyAt(text: string, at: number, end: number): string | undefined {
  if (at >= end) return undefined;
  let key: string;
  let after: number;
  const c = text.charCodeAt(at);
  const quoted = c === 34 || c === 39;
  if (quoted) {
    key = c === 34 ? doubleQuoted(text, at, end) : singleQuoted(text, at, end);
    after = scanEnd;
  } else {
    if (!(c < 128 && KEY_CHAR[c] === 1)) return undefined;
    after = at + 1;
    while (after < end) {
      const next = text.charCodeAt(after);
      if (next >= 128 || KEY_CHAR[next] === 0) break;
      after++;
    }
    if (after === end || text.charCodeAt(after) !== 58 /* : */) return undefined;
    key = text.slice(at, after);
  }
  if (after >= end || text.charCodeAt(after) !== 58 /* : */ || (after + 1 < end && text.charCodeAt(after + 1) !== SPACE)) return undefined;
  // `1: x`, `true: x`, `~: x` have keys that are not strings (checked only for keys: `- 1` is an item).
  if (!quoted && mayResolveToNonString(key) && typeof resolvePlain(key) !== "string") throw UNSURE;
  if (key === "__proto__" || key.length > MAX_KEY_LENGTH) throw UNSURE;
  scanEnd = after + 1;
  return key;
}

/**
 * A one-line flow sequence of scalars at `at`: `[]`, `["sh", "-c"]`, `[a, 'b', 80]`. Gives up on
 * nested collections, pairs (`[a: b]`), empty or trailing entries, comments and anything multi-line.
 */
function flowSequence(text: string, at: number, end: number): unknown[] {
  const items: unknown[] = [];
  let k = skipSpaces(text, at + 1, end);
  if (k < end && text.charCodeAt(k) === 93 /* ] */) {
    checkTail(text, k + 1, end);
    return items;
  }
  for (;;) {
    if (k >= end) throw UNSURE;
    const c = text.charCodeAt(k);
    if (c === 34 || c === 39) {
      items.push(c === 34 ? doubleQuoted(text, k, end) : singleQuoted(text, k, end));
      k = skipSpaces(text, scanEnd, end);
    } else {
      // A plain scalar runs to the next `,` or `]`; anything that could mean more than a scalar gives up.
      let stop = k;
      while (stop < end && text.charCodeAt(stop) !== 44 /* , */ && text.charCodeAt(stop) !== 93 /* ] */) stop++;
      let last = stop;
      while (last > k && text.charCodeAt(last - 1) === SPACE) last--;
      const item = text.slice(k, last);
      if (item === "" || !FLOW_PLAIN.test(item)) throw UNSURE;
      items.push(resolvePlain(item));
      k = stop;
    }
    if (k >= end) throw UNSURE;
    const separator = text.charCodeAt(k);
    if (separator === 93 /* ] */) {
      checkTail(text, k + 1, end);
      return items;
    }
    if (separator !== 44 /* , */) throw UNSURE;
    k = skipSpaces(text, k + 1, end);
    if (k >= end || text.charCodeAt(k) === 93 || text.charCodeAt(k) === 44) throw UNSURE; // trailing or empty entry
  }
}

/**
 * Plain scalars inside a flow sequence that mean exactly their text: no indicator first, no flow
 * indicators, quotes, `#`, `:` (a pair, or `a:b` ambiguity) or tabs anywhere.
 */
const FLOW_PLAIN = /^[^-?:,[\]{}#&*!|>'"%@`\s][^,[\]{}#:'"\t]*$|^-[^\s,[\]{}#:'"\t][^,[\]{}#:'"\t]*$/;

/** Line starts of a text, grown as needed and reused (one reader runs at a time on a thread). */
let lineStarts = new Int32Array(1024);
const MAX_KEPT_LINES = 1 << 20;

/**
 * Fills lineStarts with where each line of text[from, to) begins, plus a sentinel one past the last
 * line (so line i always ends at lineStarts[i + 1] - 1); returns the number of lines.
 */
function indexLines(text: string, from = 0, to = text.length): number {
  let lines = 0;
  for (let at = from; at < to; ) {
    // Room for this start and the sentinel.
    if (lines + 2 > lineStarts.length) {
      const grown = new Int32Array(lineStarts.length * 2);
      grown.set(lineStarts);
      lineStarts = grown;
    }
    lineStarts[lines++] = at;
    const newline = text.indexOf("\n", at);
    at = newline === -1 || newline >= to ? to + 1 : newline + 1;
  }
  lineStarts[lines] = to === from || text.charCodeAt(to - 1) === 10 /* \n */ ? to : to + 1;
  return lines;
}

/** After a read: one huge file must not pin its line index for the rest of the run. */
function releaseLineIndex(): void {
  if (lineStarts.length > MAX_KEPT_LINES) lineStarts = new Int32Array(1024);
}

/** A collection the line walk (Reader.locate) is inside: its kind, its column, and its lines [line, end). */
interface Block {
  kind: "map" | "seq";
  col: number;
  line: number;
  end: number;
}

class Reader {
  private end = 0;
  /** The line after the value a method below last returned (no tuple per value). */
  private next = 0;
  /** The indentation of the line nextContent last returned. */
  private indent = 0;

  /** Whether the text has a tab anywhere (most have none: then no line needs the check). */
  private readonly tabs: boolean;

  /** `starts[i]`: where line i begins; line i ends one character before `starts[i + 1]`. */
  constructor(
    private readonly text: string,
    private readonly starts: Int32Array,
  ) {
    this.tabs = text.includes("\t");
  }

  private lineEnd(i: number): number {
    return this.starts[i + 1]! - 1;
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

  /** The next line at or after `i` that is neither blank nor a comment; this.indent: its indentation. */
  nextContent(i: number): number {
    const text = this.text;
    for (; i < this.end; i++) {
      const start = this.starts[i]!;
      const end = this.lineEnd(i);
      if (this.tabs && text.slice(start, end).includes("\t")) throw UNSURE;
      const at = skipSpaces(text, start, end);
      if (at < end && text.charCodeAt(at) !== HASH) {
        this.indent = at - start;
        return i;
      }
    }
    return i;
  }

  /** The indentation of line i. */
  private indentAt(i: number): number {
    return skipSpaces(this.text, this.starts[i]!, this.lineEnd(i)) - this.starts[i]!;
  }

  /**
   * The line (index) the `yaml` package gives for `path` in the document on lines [from, to): the
   * line of its deepest key or sequence item that exists. Undefined when not sure.
   */
  locate(from: number, to: number, path: readonly (string | number)[]): number | undefined {
    const text = this.text;
    const starts = this.starts;
    this.end = to;
    /** The next content line at or after i, or `end` when there is none before it. */
    const content = (i: number, end: number) => Math.min(this.nextContent(i), end);
    const dashAt = (i: number, col: number) => isDash(text, starts[i]! + col, this.lineEnd(i));
    /** Where the lines of a node that starts on line `first`, inside a parent at column `parent`, end. */
    const blockEnd = (first: number, parent: number, end: number, sameColumnDashes: boolean) => {
      for (let i = content(first + 1, end); i < end; i = content(i + 1, end)) {
        const indent = this.indentAt(i);
        if (indent < parent || (indent === parent && !(sameColumnDashes && dashAt(i, indent)))) return i;
      }
      return end;
    };
    /** The collection that starts on content line i, at its indentation. */
    const collectionAt = (i: number, end: number, parent: number, sameColumnDashes: boolean): Block => {
      const col = this.indentAt(i);
      return { kind: dashAt(i, col) ? "seq" : "map", col, line: i, end: blockEnd(i, parent, end, sameColumnDashes) };
    };

    const first = from < to && SEPARATOR.test(text.slice(starts[from]!, this.lineEnd(from))) ? from + 1 : from;
    const root = content(first, to);
    if (root >= to) return undefined;
    let line = root;
    let node: Block | undefined = collectionAt(root, to, -1, false);
    for (const segment of path) {
      if (node === undefined) break;
      if (node.kind === "map") {
        const wanted = String(segment);
        let found = -1;
        for (let i = node.line; i < node.end; i = content(i + 1, node.end)) {
          if (i !== node.line && this.indentAt(i) !== node.col) continue;
          if (keyAt(text, starts[i]! + node.col, this.lineEnd(i)) === wanted) {
            found = i;
            break;
          }
        }
        if (found === -1) break;
        line = found;
        const at = skipSpaces(text, scanEnd, this.lineEnd(found));
        if (at < this.lineEnd(found) && text.charCodeAt(at) !== HASH) {
          node = undefined; // a value on the key's line: a scalar, a block scalar, [] or {}
          continue;
        }
        const next = content(found + 1, node.end);
        const indent = next < node.end ? this.indentAt(next) : -1;
        if (indent > node.col) node = collectionAt(next, node.end, node.col, false);
        else if (indent === node.col && dashAt(next, indent)) node = collectionAt(next, node.end, node.col, true);
        else node = undefined; // null
      } else {
        if (typeof segment !== "number") break;
        let index = 0;
        let item = -1;
        for (let i = node.line; i < node.end; i = content(i + 1, node.end)) {
          if (this.indentAt(i) !== node.col || !dashAt(i, node.col)) continue;
          if (index++ === segment) {
            item = i;
            break;
          }
        }
        if (item === -1) {
          node = undefined; // no such item: the line stays the sequence's
          continue;
        }
        const itemEnd = blockEnd(item, node.col, node.end, false);
        const at = skipSpaces(text, starts[item]! + node.col + 1, this.lineEnd(item));
        if (at < this.lineEnd(item) && text.charCodeAt(at) !== HASH) {
          line = item;
          const c = text.charCodeAt(at);
          const isMap = c !== 124 /* | */ && c !== 62 /* > */ && keyAt(text, at, this.lineEnd(item)) !== undefined;
          node = isMap ? { kind: "map", col: at - starts[item]!, line: item, end: itemEnd } : undefined;
        } else {
          const next = content(item + 1, itemEnd);
          if (next >= itemEnd) return undefined; // an empty item: not something the fast reader reads
          line = next;
          node = collectionAt(next, itemEnd, node.col, false);
        }
      }
    }
    return line;
  }

  /** A block collection whose first line `i` is indented more than `parent`. */
  private block(i: number, parent: number): unknown {
    const indent = this.indent;
    if (indent <= parent) throw UNSURE;
    const at = this.starts[i]! + indent;
    const end = this.lineEnd(i);
    if (isDash(this.text, at, end)) return this.sequence(i, indent);
    if (keyAt(this.text, at, end) === undefined) throw UNSURE; // a scalar document, or a multi-line scalar
    return this.mapping(i, indent);
  }

  /** A mapping whose keys sit at column `col`, the first on line `i`. */
  private mapping(i: number, col: number): Record<string, unknown> {
    const text = this.text;
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
      const end = this.lineEnd(i);
      const key = keyAt(text, this.starts[i]! + col, end);
      if (key === undefined) throw UNSURE;
      const at = skipSpaces(text, scanEnd, end);
      map[key] = at === end || text.charCodeAt(at) === HASH ? this.nested(i + 1, col, true) : this.inline(at, end, i, col);
      i = this.next;
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
      const indent = this.indent;
      if (indent > col) return this.block(j, col);
      if (inMapping && indent === col && isDash(this.text, this.starts[j]! + col, this.lineEnd(j))) return this.sequence(j, col);
    }
    if (!inMapping) throw UNSURE; // an empty sequence item
    this.next = j;
    return null;
  }

  /** A sequence whose `-` indicators sit at column `col`, the first on line `i`. */
  private sequence(i: number, col: number): unknown[] {
    const text = this.text;
    const items: unknown[] = [];
    for (;;) {
      i = this.nextContent(i);
      if (i >= this.end) break;
      const indent = this.indent;
      if (indent < col) break;
      if (indent > col) throw UNSURE;
      const start = this.starts[i]!;
      const end = this.lineEnd(i);
      if (!isDash(text, start + col, end)) break; // the parent decides whether this line belongs to it
      const at = skipSpaces(text, start + col + 1, end);
      let value: unknown;
      if (at === end || text.charCodeAt(at) === HASH) {
        value = this.nested(i + 1, col, false);
      } else if (isDash(text, at, end)) {
        throw UNSURE; // `- - x`
      } else if (text.charCodeAt(at) !== 124 /* | */ && text.charCodeAt(at) !== 62 /* > */ && keyAt(text, at, end) !== undefined) {
        value = this.mapping(i, at - start);
      } else {
        value = this.inline(at, end, i, col);
      }
      i = this.next;
      items.push(value);
    }
    this.next = i;
    return items;
  }

  /** A value starting at `at` on line `i` (which ends at `end`): a scalar, a block scalar, `[]` or `{}`. */
  private inline(at: number, end: number, i: number, parent: number): unknown {
    const text = this.text;
    const c = text.charCodeAt(at);
    this.next = i + 1;
    switch (c) {
      case 34: // "
      case 39: {
        // '
        const value = c === 34 ? doubleQuoted(text, at, end) : singleQuoted(text, at, end);
        checkTail(text, scanEnd, end);
        return value;
      }
      case 124: // |
      case 62: // >
        return this.blockScalar(at, end, i, parent);
      case 91: // [
        return flowSequence(text, at, end);
      case 123: // {
        if (at + 1 >= end || text.charCodeAt(at + 1) !== 125 /* } */) throw UNSURE;
        checkTail(text, at + 2, end);
        return {};
      case 45: // -
      case 63: // ?
      case 58: // :
        if (c !== 45 || at + 1 === end || text.charCodeAt(at + 1) === SPACE) throw UNSURE;
        break;
      case 38: // &
      case 42: // *
      case 33: // !
      case 37: // %
      case 64: // @
      case 96: // `
      case 44: // ,
      case 93: // ]
      case 125: // }
      case 35: // #
        throw UNSURE;
    }
    let value = text.slice(at, end);
    const comment = value.indexOf(" #");
    let length = comment === -1 ? value.length : comment;
    while (value.charCodeAt(length - 1) === SPACE) length--;
    if (length < value.length) value = value.slice(0, length);
    if (value.includes(": ") || value.endsWith(":")) throw UNSURE;
    return resolvePlain(value);
  }

  /** `|`, `|-`, `>`, `>-` at `at` with its content lines (indented more than `parent`). */
  private blockScalar(at: number, end: number, i: number, parent: number): string {
    const text = this.text;
    const folded = text.charCodeAt(at) === 62;
    let k = at + 1;
    const strip = k < end && text.charCodeAt(k) === DASH;
    if (strip) k++;
    if (k < end) {
      if (text.charCodeAt(k) !== SPACE) throw UNSURE; // `|+`, `|2`, ...
      const rest = skipSpaces(text, k, end);
      if (rest < end && text.charCodeAt(rest) !== HASH) throw UNSURE;
    }
    const parts: string[] = [];
    let indent = -1;
    let longestLeading = 0;
    let j = i + 1;
    for (; j < this.end; j++) {
      const start = this.starts[j]!;
      const lineEnd = this.lineEnd(j);
      const spaces = skipSpaces(text, start, lineEnd) - start;
      if (start + spaces === lineEnd) {
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
      if (text.charCodeAt(start + indent) === TAB || (folded && spaces > indent)) throw UNSURE;
      parts.push(text.slice(start + indent, lineEnd));
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
  const lines = indexLines(text);
  const starts = lineStarts;
  const reader = new Reader(text, starts);
  const documents: FastDocument[] = [];
  const separator = (i: number) => SEPARATOR.test(text.slice(starts[i]!, starts[i + 1]! - 1));
  try {
    let start = 0; // line index of the current document's first line (its `---` if any)
    const close = (to: number) => {
      const introduced = start < lines && separator(start);
      const from = introduced ? start + 1 : start;
      const hasContent = reader.hasContent(from, to);
      // Comments before the first `---` belong to the next document, not one of their own.
      if (introduced || hasContent) {
        documents.push({ value: hasContent ? reader.document(from, to) : null, start: starts[start]!, end: to < lines ? starts[to]! : text.length, line: start + 1 });
      }
    };
    for (let i = 0; i < lines; i++) {
      const at = starts[i]!;
      const c = text.charCodeAt(at);
      if (c === 37 /* % */) throw UNSURE;
      if ((c === DASH && text.startsWith("---", at)) || (c === 46 && text.startsWith("...", at))) {
        if (!separator(i)) throw UNSURE;
        if (i > 0) close(i);
        start = i;
      }
    }
    close(lines);
  } catch (error) {
    if (error === UNSURE) return undefined;
    throw error;
  } finally {
    releaseLineIndex();
  }
  return documents;
}

/**
 * Where the `yaml` package puts paths in a document the fast reader read (the line of a path's
 * deepest key or sequence item that exists), found by walking the document's lines by indentation
 * instead of parsing it again. The document's lines are indexed once, for every path asked. Lines
 * are 1-based, in the whole text; undefined when not sure (the caller then asks the yaml package).
 */
export function fastLineLocator(text: string, document: FastDocument): (path: readonly (string | number)[]) => number | undefined {
  const lines = indexLines(text, document.start, document.end);
  const reader = new Reader(text, lineStarts.slice(0, lines + 1));
  releaseLineIndex();
  return (path) => {
    try {
      const line = reader.locate(0, lines, path);
      return line === undefined ? undefined : line + document.line;
    } catch (error) {
      if (error === UNSURE) return undefined;
      throw error;
    }
  };
}
