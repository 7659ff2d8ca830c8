/**
 * An INI reader with go-ini (gopkg.in/ini.v1) semantics as sops uses it (spec §8.4): `[section]`
 * headers, `key = value` or `key: value`, keys before any header in `DEFAULT`, non-unique sections,
 * `"""…"""` and backtick quoting (possibly spanning lines), inline `#`/`;` comments, `\`
 * continuation lines, and comment lines collected until the next key or section.
 */
import { CofferError } from "../errors.js";

/** One key of a section; `comment` is go-ini's raw comment text (with its `;`/`#`). */
export interface IniKey {
  name: string;
  value: string;
  comment: string;
}

/** One section occurrence. `implicit` marks the headerless `DEFAULT` section at the top. */
export interface IniSection {
  name: string;
  comment: string;
  keys: IniKey[];
  implicit: boolean;
}

/** The name go-ini gives to keys that appear before any section header. */
export const DEFAULT_SECTION = "DEFAULT";

/**
 * Parses INI text into its sections, in file order. Throws `FORMAT_INVALID` with a line number
 * (never the line's content) for an unclosed section, an empty section name, a line without a
 * `=`/`:` delimiter or an unterminated quoted value.
 */
export function parseIni(text: string): IniSection[] {
  return new IniParser(text.startsWith("\ufeff") ? text.slice(1) : text).parse();
}

class IniParser {
  private pos = 0;
  private line = 0;
  private comment = "";

  constructor(private readonly src: string) {}

  parse(): IniSection[] {
    let section: IniSection = { name: DEFAULT_SECTION, comment: "", keys: [], implicit: true };
    const sections = [section];
    let autoIncrement = 1;
    while (this.pos < this.src.length) {
      const line = this.readLine().trimStart();
      if (line.length === 0) continue;
      if (line[0] === "#" || line[0] === ";") {
        this.comment += line;
        continue;
      }
      if (line[0] === "[") {
        const close = line.lastIndexOf("]");
        if (close === -1) this.fail("unclosed section header");
        const name = line.slice(1, close);
        if (name.length === 0) this.fail("empty section name");
        const inline = firstCommentChar(line, close + 1);
        if (inline !== -1) this.comment += line.slice(inline);
        section = { name, comment: this.comment.trim(), keys: [], implicit: false };
        sections.push(section);
        this.comment = "";
        autoIncrement = 1;
        continue;
      }
      const parsedKey = this.readKeyName(line);
      let name = parsedKey.name;
      if (name === "-") {
        // go-ini's auto-increment key: `- = v` lines become #1, #2, ... per section.
        name = `#${autoIncrement}`;
        autoIncrement += 1;
      }
      const value = this.readValue(line.slice(parsedKey.offset));
      const existing = section.keys.find((key) => key.name === name);
      // go-ini without shadows: a repeated key overwrites the value (and comment) in place.
      const key = existing ?? { name, value, comment: "" };
      if (existing === undefined) section.keys.push(key);
      key.value = value;
      key.comment = this.comment.trim();
      this.comment = "";
    }
    return sections;
  }

  /** The next line including its `\n` (absent on the last line). */
  private readLine(): string {
    const end = this.src.indexOf("\n", this.pos);
    const stop = end === -1 ? this.src.length : end + 1;
    const line = this.src.slice(this.pos, stop);
    this.pos = stop;
    this.line += 1;
    return line;
  }

  private readKeyName(line: string): { name: string; offset: number } {
    let quote = "";
    if (line[0] === '"') quote = line.length > 6 && line.startsWith('"""') ? '"""' : '"';
    else if (line[0] === "`") quote = "`";
    if (quote !== "") {
      const close = line.indexOf(quote, quote.length);
      if (close === -1) this.fail("missing closing key quote");
      const delimiter = firstDelimiter(line, close + quote.length);
      if (delimiter === -1) this.fail("expected '=' or ':' after the key");
      return { name: line.slice(quote.length, close).trim(), offset: delimiter + 1 };
    }
    const delimiter = firstDelimiter(line, 0);
    if (delimiter === -1) this.fail("expected '=' or ':' after the key");
    return { name: line.slice(0, delimiter).trim(), offset: delimiter + 1 };
  }

  private readValue(input: string): string {
    let line = input.trimStart();
    if (line.length === 0) return "";
    let quote = "";
    if (line.length > 3 && line.startsWith('"""')) quote = '"""';
    else if (line[0] === "`") quote = "`";
    if (quote !== "") {
      const rest = line.slice(quote.length);
      const close = rest.lastIndexOf(quote);
      if (close === -1) return this.readMultiline(rest, quote);
      return rest.slice(0, close);
    }
    line = line.trim();
    if (line.endsWith("\\")) return this.readContinuation(line.slice(0, -1));
    const inline = firstCommentChar(line, 0);
    if (inline !== -1) {
      this.comment += line.slice(inline);
      line = line.slice(0, inline).trim();
    }
    if (hasSurroundingQuote(line, "'") || hasSurroundingQuote(line, '"')) line = line.slice(1, -1);
    return line;
  }

  private readMultiline(first: string, quote: string): string {
    const startLine = this.line;
    let value = first;
    for (;;) {
      if (this.pos >= this.src.length) this.fail("unterminated quoted value", startLine);
      const next = this.readLine();
      const close = next.lastIndexOf(quote);
      if (close !== -1) {
        value += next.slice(0, close);
        const inline = firstCommentChar(next, close);
        if (inline !== -1) this.comment += next.slice(inline).trim();
        return value;
      }
      value += next;
    }
  }

  private readContinuation(first: string): string {
    let value = first;
    while (this.pos < this.src.length) {
      const next = this.readLine().trim();
      if (next.length === 0) break;
      value += next;
      if (!value.endsWith("\\")) break;
      value = value.slice(0, -1);
    }
    return value;
  }

  private fail(what: string, line = this.line): never {
    throw new CofferError("FORMAT_INVALID", `invalid ini at line ${line}: ${what}`, {
      hint: "fix the ini syntax on that line",
    });
  }
}

function firstCommentChar(text: string, from: number): number {
  for (let i = from; i < text.length; i += 1) if (text[i] === "#" || text[i] === ";") return i;
  return -1;
}

function firstDelimiter(text: string, from: number): number {
  for (let i = from; i < text.length; i += 1) if (text[i] === "=" || text[i] === ":") return i;
  return -1;
}

/** go-ini `hasSurroundedQuote`: first and last characters are the quote and no other one exists. */
function hasSurroundingQuote(text: string, quote: string): boolean {
  return text.length >= 2 && text[0] === quote && text.endsWith(quote) && text.indexOf(quote, 1) === text.length - 1;
}
