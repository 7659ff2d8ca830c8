/**
 * Tree documents -> YAML text in go-yaml v3's layout (what sops writes, spec §8.1): block style,
 * indentation rounded up to multiples of the indent, sequences indented under their key, compact
 * `- key: v` items whose deeper content is indented from the dash, `---` between documents, no
 * line folding, comments at their position. Built as one array of lines joined once.
 */
import { CofferError } from "../../errors.js";
import { Comment, Time, TreeMap, type TreeList, type TreeValue } from "../../core/tree.js";
import { formatYamlFloat } from "./format-float.js";
import { renderKey, renderStringValue, type RenderedScalar } from "./scalar-style.js";
import { resolvePlain } from "./resolve-scalar.js";

const utf8 = new TextDecoder("utf-8", { fatal: true });
const spaces = (n: number): string => " ".repeat(n);

/** The YAML text of `documents` (empty when there are none). */
export function emitYamlDocuments(documents: readonly TreeMap[], indent = 4): string {
  if (!Number.isInteger(indent) || indent < 2 || indent > 9) {
    throw new CofferError("USAGE", "yaml indentation must be between 2 and 9 spaces");
  }
  const emitter = new Emitter(indent);
  documents.forEach((doc, index) => {
    if (index > 0) emitter.out.push("---");
    emitter.root(doc);
  });
  return emitter.out.length === 0 ? "" : `${emitter.out.join("\n")}\n`;
}

/** One value as a YAML document body (for `--extract`), ending with a newline. */
export function emitYamlValue(value: TreeValue, indent = 4): string {
  const emitter = new Emitter(indent);
  if (value instanceof TreeMap) emitter.root(value);
  else if (Array.isArray(value)) {
    if (hasEntries(value)) emitter.seq(value, 0, null);
    else emitter.out.push("[]");
  } else emitter.scalarLines("", 0, value, "", indent);
  return `${emitter.out.join("\n")}\n`;
}

const hasEntries = (value: TreeMap | TreeList): boolean =>
  value instanceof TreeMap ? value.items.some((i) => !(i instanceof Comment)) : value.some((i) => !(i instanceof Comment));

const firstIsComment = (value: TreeMap | TreeList): boolean =>
  (value instanceof TreeMap ? value.items[0] : value[0]) instanceof Comment;

class Emitter {
  readonly out: string[] = [];

  constructor(private readonly best: number) {}

  /** go-yaml's indent step: the next multiple of the indent strictly beyond `column`. */
  private deeper(column: number): number {
    return this.best * Math.floor((column + this.best) / this.best);
  }

  root(doc: TreeMap): void {
    if (hasEntries(doc)) this.map(doc, 0, null);
    else this.emptyWithComments(doc, 0);
  }

  private commentLines(comment: Comment, column: number): void {
    for (const line of comment.text.split("\n")) this.out.push(`${spaces(column)}#${line}`);
  }

  private emptyWithComments(value: TreeMap | TreeList, column: number): void {
    const items = value instanceof TreeMap ? value.items : value;
    for (const item of items) if (item instanceof Comment) this.commentLines(item, column);
    this.out.push(`${spaces(column)}${value instanceof TreeMap ? "{}" : "[]"}`);
  }

  /** A trailing `#comment` for the item at `index` when the next item is an inline comment. */
  private trailing(items: ReadonlyArray<unknown>, index: number): string {
    const next = items[index + 1];
    return next instanceof Comment && next.inline && !next.text.includes("\n") ? ` #${next.text}` : "";
  }

  private map(map: TreeMap, column: number, lead: string | null): void {
    const items = map.items;
    for (let i = 0; i < items.length; i++) {
      const item = items[i]!;
      if (item instanceof Comment) {
        this.commentLines(item, column);
        continue;
      }
      const prefix = lead !== null && i === 0 ? lead : spaces(column);
      const trailing = this.trailing(items, i);
      if (trailing !== "") i++;
      const key = item.key === "<<" ? { text: "!!merge <<", complex: false } : renderKey(item.key);
      let head = `${prefix}${key.text}:`;
      if (key.complex) {
        this.out.push(`${prefix}? ${key.text}`);
        head = `${spaces(column)}:`;
      }
      this.value(head, column, item.value, trailing);
    }
  }

  /** A mapping value after `head` (`key:`), for a key at `column`. */
  private value(head: string, column: number, value: TreeValue, trailing: string): void {
    const child = this.deeper(column);
    if (value instanceof TreeMap || Array.isArray(value)) {
      if (!hasEntries(value)) {
        if (firstIsComment(value)) {
          this.out.push(head + trailing);
          this.emptyWithComments(value, child);
        } else {
          this.out.push(`${head} ${value instanceof TreeMap ? "{}" : "[]"}${trailing}`);
        }
        return;
      }
      this.out.push(head + trailing);
      if (value instanceof TreeMap) this.map(value, child, null);
      else this.seq(value, child, null);
      return;
    }
    this.scalarLines(`${head} `, column, value, trailing, child);
  }

  seq(list: TreeList, column: number, lead: string | null): void {
    for (let i = 0; i < list.length; i++) {
      const item = list[i]!;
      if (item instanceof Comment) {
        this.commentLines(item, column);
        continue;
      }
      const prefix = lead !== null && i === 0 ? lead : spaces(column);
      const trailing = this.trailing(list, i);
      if (trailing !== "") i++;
      const inner = column + 2; // go-yaml: content of an item starts after "- "
      if (item instanceof TreeMap || Array.isArray(item)) {
        if (!hasEntries(item)) {
          if (firstIsComment(item)) {
            this.out.push(`${prefix}-${trailing}`);
            this.emptyWithComments(item, inner);
          } else {
            this.out.push(`${prefix}- ${item instanceof TreeMap ? "{}" : "[]"}${trailing}`);
          }
          continue;
        }
        // Compact `- key: v` unless a comment has to sit on the dash line or open the item.
        const compact = trailing === "" && !firstIsComment(item);
        if (!compact) this.out.push(`${prefix}-${trailing}`);
        const innerLead = compact ? `${prefix}- ` : null;
        if (item instanceof TreeMap) this.map(item, inner, innerLead);
        else this.seq(item, inner, innerLead);
        continue;
      }
      this.scalarLines(`${prefix}- `, column, item, trailing, inner);
    }
  }

  /**
   * A scalar after `head`; literal blocks put their body at `bodyColumn`, with an explicit
   * indentation indicator relative to `parentColumn` when the text starts with a space or break.
   */
  scalarLines(head: string, parentColumn: number, value: Exclude<TreeValue, TreeMap | TreeList>, trailing: string, bodyColumn: number): void {
    const rendered = renderScalar(value);
    if (rendered.kind === "inline") {
      this.out.push(head + rendered.text + trailing);
      return;
    }
    const hint = rendered.leadingSpace ? String(bodyColumn - parentColumn) : "";
    const tag = rendered.tag === "" ? "" : `${rendered.tag} `;
    this.out.push(`${head}${tag}|${hint}${rendered.chomp}${trailing}`);
    const pad = spaces(bodyColumn);
    for (const line of rendered.body) this.out.push(line === "" ? "" : pad + line);
  }
}

/** The written form of a scalar value. */
export function renderScalar(value: Exclude<TreeValue, TreeMap | TreeList>): RenderedScalar {
  if (value === null) return { kind: "inline", text: "null" };
  if (typeof value === "string") return renderStringValue(value);
  if (typeof value === "bigint") return { kind: "inline", text: value.toString() };
  if (typeof value === "number") return { kind: "inline", text: formatYamlFloat(value) };
  if (typeof value === "boolean") return { kind: "inline", text: value ? "true" : "false" };
  if (value instanceof Time) {
    if (!(resolvePlain(value.text) instanceof Time)) {
      throw new CofferError("EMIT_FAILED", "a timestamp value is not valid rfc 3339 text");
    }
    return { kind: "inline", text: value.text };
  }
  return renderBytes(value);
}

/** Raw bytes: a string when they are UTF-8, else `!!binary` base64 (70-column lines like go-yaml). */
function renderBytes(bytes: Uint8Array): RenderedScalar {
  try {
    return renderStringValue(utf8.decode(bytes));
  } catch {
    const b64 = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
    if (b64.length < 70) return renderStringValue(b64, "!!binary");
    const lines: string[] = [];
    for (let i = 0; i < b64.length; i += 70) lines.push(b64.slice(i, i + 70));
    return { kind: "literal", tag: "!!binary", leadingSpace: false, chomp: "", body: lines };
  }
}
