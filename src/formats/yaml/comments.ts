/**
 * Comment lines as the YAML lexer saw them. The `yaml` document layer merges and re-homes
 * comments by its own rules; sops needs each comment line at its position, owned by the mapping
 * or list whose items it is indented with (spec §2.4), so we take them from the CST instead.
 */
import type { CST } from "yaml";

/** One `#` comment from the source. */
export interface RawComment {
  offset: number;
  /** Everything after `#` (leading space included). */
  text: string;
  /** Column of the `#`. */
  column: number;
  /** Content precedes the comment on its line (`key: v # c`). */
  inline: boolean;
}

type Tokenish = CST.Token | CST.SourceToken | undefined | null;

/** What the CST tells us beyond the document layer: comments and block-sequence dash offsets. */
export interface Trivia {
  comments: RawComment[];
  /** Offsets of every `-` item indicator of block sequences, ascending. */
  dashes: number[];
}

/** Appends every comment token under `token` (any CST token) to `out`, in source order. */
export function collectComments(token: Tokenish, text: string, out: Trivia): void {
  if (token === undefined || token === null) return;
  switch (token.type) {
    case "comment":
      out.comments.push(describe(token.offset, token.source, text));
      return;
    case "document":
      visitAll(token.start, text, out);
      collectComments(token.value, text, out);
      visitAll(token.end, text, out);
      return;
    case "doc-end":
      visitAll(token.end, text, out);
      return;
    case "block-map":
    case "block-seq":
    case "flow-collection":
      if (token.type === "flow-collection") visitAll(token.start === undefined ? [] : [token.start], text, out);
      for (const item of token.items) {
        if (token.type === "block-seq") {
          for (const start of item.start) if (start.type === "seq-item-ind") out.dashes.push(start.offset);
        }
        visitAll(item.start, text, out);
        collectComments(item.key, text, out);
        visitAll(item.sep, text, out);
        collectComments(item.value, text, out);
      }
      if (token.type === "flow-collection") visitAll(token.end, text, out);
      return;
    case "block-scalar":
      visitAll(token.props, text, out);
      return;
    case "alias":
    case "scalar":
    case "single-quoted-scalar":
    case "double-quoted-scalar":
      visitAll(token.end, text, out);
      return;
    default:
      return;
  }
}

function visitAll(tokens: readonly Tokenish[] | undefined, text: string, out: Trivia): void {
  if (tokens === undefined) return;
  for (const token of tokens) collectComments(token, text, out);
}

function describe(offset: number, source: string, text: string): RawComment {
  const lineStart = text.lastIndexOf("\n", offset - 1) + 1;
  const before = text.slice(lineStart, offset);
  const body = source.endsWith("\r") ? source.slice(1, -1) : source.slice(1);
  return {
    offset,
    text: body,
    column: offset - lineStart,
    inline: !/^[ \t]*$/.test(before),
  };
}
