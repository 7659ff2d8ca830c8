/**
 * Translates the Go RE2 patterns found in crypt rules into JavaScript RegExps. Both engines agree on
 * the common syntax; this handles the differences that show up in real configs (leading inline
 * flags, `(?P<name>…)`, `\A`/`\z`, POSIX classes, `\Q…\E`) and rejects what cannot be translated
 * faithfully rather than guessing.
 */
import { CofferError } from "../errors.js";
import type { ErrorCode } from "../errors.js";

const POSIX_CLASSES: Readonly<Record<string, string>> = {
  alnum: "0-9A-Za-z",
  alpha: "A-Za-z",
  ascii: "\\x00-\\x7F",
  blank: "\\t ",
  cntrl: "\\x00-\\x1F\\x7F",
  digit: "0-9",
  graph: "!-~",
  lower: "a-z",
  print: " -~",
  punct: "!-\\/:-@\\[-`{-~",
  space: "\\t\\n\\v\\f\\r ",
  upper: "A-Z",
  word: "0-9A-Za-z_",
  xdigit: "0-9A-Fa-f",
};

function escapeLiteral(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/-]/g, "\\$&");
}

/**
 * Compiles a Go RE2 pattern as a JavaScript RegExp with the same search semantics.
 * Throws a CofferError with `code` (CONFIG_INVALID for .sops.yaml, METADATA_INVALID for files)
 * when the pattern is invalid or uses RE2 syntax that has no faithful JavaScript equivalent.
 */
export function compileRe2(pattern: string, code: ErrorCode = "METADATA_INVALID"): RegExp {
  const fail = (why: string, cause?: unknown): CofferError =>
    new CofferError(code, `unsupported or invalid regular expression: ${why}`, {
      hint: "crypt-rule regexes use Go RE2 syntax; use plain groups, classes and anchors",
      cause,
    });
  let flags = "";
  let source = pattern;
  const leading = /^\(\?([imsU]+)\)/.exec(source);
  if (leading) {
    if (leading[1]!.includes("U")) throw fail("the (?U) flag is not supported");
    flags = [...new Set(leading[1]!)].join("");
    source = source.slice(leading[0].length);
  }
  let out = "";
  let inClass = false;
  let needsUnicode = false;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i]!;
    if (ch === "\\") {
      const next = source[i + 1];
      if (next === undefined) throw fail("trailing backslash");
      if (next === "Q") {
        const end = source.indexOf("\\E", i + 2);
        const literal = source.slice(i + 2, end === -1 ? source.length : end);
        out += escapeLiteral(literal);
        i = end === -1 ? source.length : end + 1;
        continue;
      }
      if (!inClass && next === "A") {
        if (flags.includes("m")) throw fail("\\A with the m flag");
        out += "^";
      } else if (!inClass && next === "z") {
        if (flags.includes("m")) throw fail("\\z with the m flag");
        out += "$";
      } else if (/[1-9]/.test(next) || next === "k" || next === "Z" || next === "C" || next === "G") {
        throw fail(`\\${next} is not RE2 syntax`);
      } else if (next === "p" || next === "P") {
        needsUnicode = true;
        if (source[i + 2] === "{") {
          const end = source.indexOf("}", i + 3);
          if (end === -1) throw fail("unterminated \\p{...}");
          out += `\\${next}{${source.slice(i + 3, end)}}`;
          i = end;
          continue;
        }
        const name = source[i + 2];
        if (name === undefined) throw fail("incomplete \\p");
        out += `\\${next}{${name}}`;
        i += 2;
        continue;
      } else if (next === "x" && source[i + 2] === "{") {
        const end = source.indexOf("}", i + 3);
        if (end === -1) throw fail("unterminated \\x{...}");
        const codePoint = Number.parseInt(source.slice(i + 3, end), 16);
        if (!Number.isInteger(codePoint) || codePoint > 0x10ffff) throw fail("bad \\x{...} escape");
        out += escapeLiteral(String.fromCodePoint(codePoint));
        i = end;
        continue;
      } else {
        out += ch + next;
      }
      i++;
      continue;
    }
    if (inClass) {
      if (ch === "[" && source[i + 1] === ":") {
        const end = source.indexOf(":]", i + 2);
        const negated = source[i + 2] === "^";
        const name = end === -1 ? "" : source.slice(i + (negated ? 3 : 2), end);
        const expansion = POSIX_CLASSES[name];
        if (expansion === undefined || negated) throw fail(`unsupported POSIX class [:${name}:]`);
        out += expansion;
        i = end + 1;
        continue;
      }
      if (ch === "]") inClass = false;
      out += ch === "[" ? "\\[" : ch;
      continue;
    }
    if (ch === "[") {
      inClass = true;
      out += ch;
      if (source[i + 1] === "^") {
        out += "^";
        i++;
      }
      // A `]` right after `[` or `[^` is a literal in RE2.
      if (source[i + 1] === "]") {
        out += "\\]";
        i++;
      }
      continue;
    }
    if (ch === "(" && source[i + 1] === "?") {
      const rest = source.slice(i + 2);
      if (rest.startsWith("P<")) {
        out += "(?<";
        i += 3;
        continue;
      }
      if (rest.startsWith(":") || (rest.startsWith("<") && !rest.startsWith("<=") && !rest.startsWith("<!"))) {
        out += "(?";
        i += 1;
        continue;
      }
      throw fail("inline flags, look-around and other (?...) groups are not supported here");
    }
    out += ch;
  }
  if (inClass) throw fail("unterminated character class");
  if (needsUnicode) flags += "u";
  try {
    return new RegExp(out, flags);
  } catch (cause) {
    throw fail("the pattern does not compile", cause);
  }
}
