/**
 * An INI writer reproducing go-ini's `WriteTo` with its default pretty format (spec §8.4):
 * `key = value` with keys padded to the longest key of the section, comments written before the
 * section header or key they belong to as `; text`, a blank line between sections, and go-ini
 * value quoting (`"""` for newlines/backticks, backticks for `#`/`;`, `"` for outer blanks).
 */
import type { IniSection } from "./ini-parse.js";
import { DEFAULT_SECTION } from "./ini-parse.js";

/** Serialises sections; a first section named `DEFAULT` is written without a header. */
export function emitIni(sections: readonly IniSection[]): string {
  let out = "";
  sections.forEach((section, index) => {
    const headerless = index === 0 && section.name === DEFAULT_SECTION;
    if (headerless && section.keys.length === 0 && section.comment === "") return;
    out += commentLines(section.comment, false);
    if (!headerless) out += `[${section.name}]\n`;
    const names = section.keys.map((key) => quoteKey(key.name));
    const width = Math.max(0, ...names.map((name) => Buffer.byteLength(name, "utf8")));
    section.keys.forEach((key, i) => {
      const name = names[i]!;
      out += commentLines(key.comment, true);
      out += `${name}${" ".repeat(width - Buffer.byteLength(name, "utf8"))} = ${quoteValue(key.value)}\n`;
    });
    if (index < sections.length - 1) out += "\n";
  });
  return out;
}

/** Comment text back to lines: a line without its own `;`/`#` gets `; ` (go-ini). */
function commentLines(comment: string, trimLines: boolean): string {
  if (comment === "") return "";
  return comment
    .split("\n")
    .map((line) => {
      if (line === "") return ";\n";
      if (line[0] !== "#" && line[0] !== ";") return `; ${trimLines ? line.trim() : line}\n`;
      return `${line[0]} ${line.slice(1).trim()}\n`;
    })
    .join("");
}

function quoteKey(name: string): string {
  if (name.includes('"') || name.includes("=") || name.includes(":")) return `\`${name}\``;
  if (name.includes("`")) return `"""${name}"""`;
  return name;
}

function quoteValue(value: string): string {
  if (value.includes("\n") || value.includes("`")) return `"""${value}"""`;
  if (value.includes("#") || value.includes(";")) return `\`${value}\``;
  if (value.trim() !== value) return `"${value}"`;
  return value;
}
