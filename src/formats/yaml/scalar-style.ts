/**
 * How go-yaml v3 writes a string (encoder `stringv` + emitter `analyze_scalar` and
 * `select_scalar_style`): plain when it reads back as the same string, single quotes when plain
 * is not allowed, double quotes for anything that would resolve to another type, YAML 1.1
 * booleans, base-60 floats, or characters that need escapes; literal blocks for multi-line text.
 */
import { resolvesToString } from "./resolve-scalar.js";

/** A scalar on the line of its key or dash, or a literal block (header plus body lines). */
export type RenderedScalar =
  | { kind: "inline"; text: string }
  | { kind: "literal"; tag: string; leadingSpace: boolean; chomp: "" | "-" | "+"; body: string[] };

const OLD_BOOLS = new Set(["y", "Y", "yes", "Yes", "YES", "on", "On", "ON", "n", "N", "no", "No", "NO", "off", "Off", "OFF"]);
const BASE60_FLOAT = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;
/** Strings that are certainly allowed plain (no indicators, spaces or special characters). */
const SAFE_PLAIN = /^[A-Za-z0-9_/][\w.,[\]=+/-]*(?::[\w.,[\]=+/-]+)*$/;

interface Analysis {
  multiline: boolean;
  blockPlain: boolean;
  singleQuoted: boolean;
  block: boolean;
}

const isBreak = (c: number): boolean => c === 0x0a || c === 0x0d || c === 0x85 || c === 0x2028 || c === 0x2029;
const isBlank = (c: number | undefined): boolean => c === 0x20 || c === 0x09;
/** go-yaml `is_printable` (4-byte UTF-8 sequences count as non-printable there). */
const isPrintable = (c: number): boolean =>
  c === 0x0a || (c >= 0x20 && c <= 0x7e) || (c >= 0xa0 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd && c !== 0xfeff);

/** Port of libyaml/go-yaml `yaml_emitter_analyze_scalar` for block context. */
function analyze(value: string): Analysis {
  if (value.length === 0) return { multiline: false, blockPlain: true, singleQuoted: true, block: false };
  let blockIndicators = value.startsWith("---") || value.startsWith("...");
  let special = false;
  let lineBreaks = false;
  let leadingSpace = false;
  let leadingBreak = false;
  let trailingSpace = false;
  let trailingBreak = false;
  let breakSpace = false;
  let spaceBreak = false;
  let previousSpace = false;
  let previousBreak = false;
  let precededByWhitespace = true;
  const points = Array.from(value, (ch) => ch.codePointAt(0)!);
  for (let i = 0; i < points.length; i++) {
    const c = points[i]!;
    const next = points[i + 1];
    const followedByWhitespace = next === undefined || isBlank(next);
    const last = i === points.length - 1;
    if (i === 0) {
      if ("#,[]{}&*!|>'\"%@`".includes(String.fromCodePoint(c))) blockIndicators = true;
      else if ((c === 0x3f || c === 0x3a || c === 0x2d) && followedByWhitespace) blockIndicators = true; // ? : -
    } else if (c === 0x3a && followedByWhitespace) {
      blockIndicators = true;
    } else if (c === 0x23 && precededByWhitespace) {
      blockIndicators = true;
    }
    if (!isPrintable(c)) special = true;
    if (c === 0x20) {
      if (i === 0) leadingSpace = true;
      if (last) trailingSpace = true;
      if (previousBreak) breakSpace = true;
      previousSpace = true;
      previousBreak = false;
    } else if (isBreak(c)) {
      lineBreaks = true;
      if (i === 0) leadingBreak = true;
      if (last) trailingBreak = true;
      if (previousSpace) spaceBreak = true;
      previousSpace = false;
      previousBreak = true;
    } else {
      previousSpace = false;
      previousBreak = false;
    }
    precededByWhitespace = isBlank(c) || isBreak(c) || c === 0;
  }
  let blockPlain = true;
  let singleQuoted = true;
  let block = true;
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) blockPlain = false;
  if (trailingSpace) block = false;
  if (breakSpace) blockPlain = singleQuoted = false;
  if (spaceBreak || special) blockPlain = singleQuoted = block = false;
  if (lineBreaks || blockIndicators) blockPlain = false;
  return { multiline: lineBreaks, blockPlain, singleQuoted, block };
}

/** Whether go-yaml's encoder may write `value` plain at all (before the emitter's own checks). */
function plainCandidate(value: string): boolean {
  if (OLD_BOOLS.has(value)) return false;
  if (/^[-+0-9]/.test(value) && value.includes(":") && BASE60_FLOAT.test(value)) return false;
  return resolvesToString(value);
}

/** A double-quoted scalar with go-yaml's escapes. */
export function doubleQuoted(value: string): string {
  let out = '"';
  for (const ch of value) {
    const c = ch.codePointAt(0)!;
    if (isPrintable(c) && !isBreak(c) && c !== 0x22 && c !== 0x5c) {
      out += ch;
      continue;
    }
    const named = ESCAPES.get(c);
    if (named !== undefined) out += `\\${named}`;
    else if (c <= 0xff) out += `\\x${hex(c, 2)}`;
    else if (c <= 0xffff) out += `\\u${hex(c, 4)}`;
    else out += `\\U${hex(c, 8)}`;
  }
  return `${out}"`;
}

const ESCAPES = new Map<number, string>([
  [0x00, "0"], [0x07, "a"], [0x08, "b"], [0x09, "t"], [0x0a, "n"], [0x0b, "v"], [0x0c, "f"],
  [0x0d, "r"], [0x1b, "e"], [0x22, '"'], [0x5c, "\\"], [0x85, "N"], [0xa0, "_"], [0x2028, "L"], [0x2029, "P"],
]);

const hex = (c: number, width: number): string => c.toString(16).toUpperCase().padStart(width, "0");

const singleQuoted = (value: string): string => `'${value.replaceAll("'", "''")}'`;

/** How a string mapping value or list item is written. */
export function renderStringValue(value: string, tag = ""): RenderedScalar {
  if (tag === "" && SAFE_PLAIN.test(value) && plainCandidate(value)) return { kind: "inline", text: value };
  const facts = analyze(value);
  if (value.includes("\n")) {
    // U+2028/U+2029 are breaks to go-yaml but not to YAML 1.2 readers: quote to keep the value.
    if (facts.block && !/[\u2028\u2029]/.test(value)) return literal(value, tag);
    return { kind: "inline", text: prefixTag(tag, doubleQuoted(value)) };
  }
  if (tag !== "" || plainCandidate(value)) {
    if (facts.blockPlain) return { kind: "inline", text: prefixTag(tag, value) };
    if (facts.singleQuoted) return { kind: "inline", text: prefixTag(tag, singleQuoted(value)) };
  }
  return { kind: "inline", text: prefixTag(tag, doubleQuoted(value)) };
}

/** How a mapping key is written; `complex` keys need the `? key` form (multi-line or > 128 bytes). */
export function renderKey(key: string): { text: string; complex: boolean } {
  if (SAFE_PLAIN.test(key) && key.length <= 128 && plainCandidate(key)) return { text: key, complex: false };
  const facts = analyze(key);
  if (facts.multiline || Buffer.byteLength(key) > 128) return { text: doubleQuoted(key), complex: true };
  if (plainCandidate(key)) {
    if (facts.blockPlain) return { text: key, complex: false };
    if (facts.singleQuoted) return { text: singleQuoted(key), complex: false };
  }
  return { text: doubleQuoted(key), complex: false };
}

const prefixTag = (tag: string, text: string): string => (tag === "" ? text : `${tag} ${text}`);

function literal(value: string, tag: string): RenderedScalar {
  // Chomping as go-yaml picks it: no final break "-", one "", more "+".
  let chomp: "" | "-" | "+" = "-";
  if (value.endsWith("\n")) chomp = value.endsWith("\n\n") || value === "\n" ? "+" : "";
  const content = value.endsWith("\n") ? value.slice(0, -1) : value;
  return { kind: "literal", tag, leadingSpace: value.startsWith(" ") || value.startsWith("\n"), chomp, body: content.split("\n") };
}
