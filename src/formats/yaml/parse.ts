/**
 * YAML stream -> tree documents with go-yaml v3 semantics (spec §8.1). The `yaml` package does the
 * parsing (failsafe schema: every scalar stays text); we type plain scalars ourselves, expand
 * aliases under a node budget, reject duplicate and non-string keys, and place comments.
 */
import { Composer, Parser, isAlias, isMap, isPair, isScalar, isSeq } from "yaml";
import type { Document, Node as YamlNode, Pair, Scalar, YAMLMap, YAMLSeq } from "yaml";
import { CofferError } from "../../errors.js";
import { Comment, TreeMap, type TreeList, type TreeValue } from "../../core/tree.js";
import { collectComments, type RawComment, type Trivia } from "./comments.js";
import { resolveExplicitTag } from "./resolve-tag.js";
import { resolvePlain } from "./resolve-scalar.js";

type Container = TreeMap | TreeList;
interface Level {
  container: Container;
  column: number;
}

/** Nodes a document may expand to beyond its own size (billion-laughs guard). */
const EXTRA_NODE_BUDGET = 1_000_000;
const IN_PROGRESS = Symbol("anchor in progress");

/** 1-based line and column of `offset`. */
export function linePos(text: string, offset: number): { line: number; col: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, col: offset - lineStart + 1 };
}

/** Parses a YAML stream into one {@link TreeMap} per document. */
export function parseYamlStream(text: string): TreeMap[] {
  const parser = new Parser();
  const composer = new Composer({ schema: "failsafe", uniqueKeys: false, keepSourceTokens: false });
  const docs: Document.Parsed[] = [];
  const trivia: Trivia = { comments: [], dashes: [] };
  const docStarts: number[] = [];
  // The yaml parser reads process.env.LOG_TOKENS once per token; the real environment is a
  // slow native lookup, so parse (synchronously) with a plain-object copy in place.
  const environment = process.env;
  process.env = { ...environment };
  try {
    for (const token of parser.parse(text)) {
      collectComments(token, text, trivia);
      if (token.type === "document") docStarts.push(token.offset);
      for (const doc of composer.next(token)) docs.push(doc);
    }
    for (const doc of composer.end()) docs.push(doc);
  } catch (error) {
    throw new CofferError("FORMAT_INVALID", "yaml input is too deeply nested to parse", { cause: error });
  } finally {
    process.env = environment;
  }
  for (const doc of docs) {
    const error = doc.errors[0];
    if (error !== undefined) {
      const { line, col } = linePos(text, error.pos[0]);
      throw new CofferError("FORMAT_INVALID", `yaml syntax error (${error.code}) at line ${line}, column ${col}`, {
        hint: "fix the yaml syntax at that position",
      });
    }
  }
  const { comments } = trivia;
  const converter = new Converter(text, trivia);
  const result: TreeMap[] = [];
  docs.forEach((doc, index) => {
    result.push(converter.document(doc, index, docStarts[index + 1] ?? Infinity));
  });
  if (result.length === 0 && comments.length > 0) {
    result.push(new TreeMap(comments.map((c) => new Comment(c.text))));
  }
  return result;
}

class Converter {
  private next = 0; // index of the first comment not yet placed
  private tail: Level[] = []; // containers just closed by the previous sibling, deepest first
  private lastItem: Container | null = null; // container of the most recently started item
  private budget: number;
  private anchors = new Map<string, TreeValue | typeof IN_PROGRESS>();

  private readonly comments: RawComment[];
  private readonly dashes: number[];

  constructor(
    private readonly text: string,
    trivia: Trivia,
  ) {
    this.comments = trivia.comments;
    this.dashes = trivia.dashes;
    this.budget = EXTRA_NODE_BUDGET + text.length;
  }

  /** Offset of the `-` that introduces the block-sequence item starting at `start`. */
  private dashBefore(start: number): number {
    let lo = 0;
    let hi = this.dashes.length - 1;
    let found = start;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.dashes[mid]! < start) {
        found = this.dashes[mid]!;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }

  document(doc: Document.Parsed, index: number, end: number): TreeMap {
    const root = new TreeMap();
    this.tail = [];
    this.lastItem = null;
    this.anchors.clear();
    const contents = doc.contents;
    const empty = contents === null || (isScalar(contents) && contents.type === "PLAIN" && contents.tag === undefined && contents.source === "");
    try {
      if (!empty) {
        if (!isMap(contents)) {
          throw this.fail(`document ${index + 1} is not a mapping`, contents.range?.[0] ?? 0, "every yaml document must be a mapping at the top level");
        }
        this.fillMap(contents, root);
        this.claimAnchor(contents, root);
      }
    } catch (error) {
      if (error instanceof CofferError) throw error;
      throw new CofferError("FORMAT_INVALID", "yaml input is too deeply nested to convert", { cause: error });
    }
    this.placeComments(end, { container: root, column: 0 });
    return root;
  }

  private fail(message: string, offset: number, hint?: string): CofferError {
    const { line, col } = linePos(this.text, offset);
    return new CofferError("FORMAT_INVALID", `${message} (line ${line}, column ${col})`, { hint });
  }

  private column(offset: number): number {
    return offset - (this.text.lastIndexOf("\n", offset - 1) + 1);
  }

  /**
   * Column where the block-map item holding `offset` starts: the first thing on its line after
   * indentation and sequence dashes (a `?`, a tag or an anchor count; the key may come later).
   */
  private itemColumn(offset: number): number {
    const text = this.text;
    const lineStart = text.lastIndexOf("\n", offset - 1) + 1;
    let i = lineStart;
    for (;;) {
      while (i < offset && (text[i] === " " || text[i] === "\t")) i++;
      if (i < offset && text[i] === "-" && (text[i + 1] === " " || text[i + 1] === "\t")) i++;
      else break;
    }
    return i - lineStart;
  }

  /**
   * Places every pending comment that starts before `limit` (the next item of `current`). An
   * inline comment follows the item it shares a line with; a comment on its own line goes to the
   * deepest open container (just-closed ones included) whose items are not indented deeper.
   */
  private placeComments(limit: number, current: Level): void {
    if (this.next >= this.comments.length || this.comments[this.next]!.offset >= limit) {
      this.tail = [];
      return;
    }
    const chain = [...this.tail, current];
    let level = 0;
    while (this.next < this.comments.length && this.comments[this.next]!.offset < limit) {
      const raw = this.comments[this.next++]!;
      if (raw.inline && this.lastItem !== null) {
        push(this.lastItem, new Comment(raw.text, true));
        continue;
      }
      let owner = chain.length - 1;
      for (let j = level; j < chain.length; j++) {
        if (chain[j]!.column <= raw.column) {
          owner = j;
          break;
        }
      }
      push(chain[owner]!.container, new Comment(raw.text));
      level = owner;
    }
    this.tail = [];
  }

  private fillMap(node: YAMLMap, target: TreeMap): void {
    const firstKey = node.items[0]?.key as YamlNode | null | undefined;
    const start = firstKey?.range?.[0] ?? node.range?.[0] ?? 0;
    const column = node.flow === true ? this.column(node.range?.[0] ?? 0) : this.itemColumn(start);
    const level: Level = { container: target, column };
    const seen = new Set<string>();
    let tail: Level[] = [];
    for (const pair of node.items) {
      const keyNode = pair.key as YamlNode | null;
      const start = keyNode?.range?.[0] ?? (pair.value as YamlNode | null)?.range?.[0] ?? 0;
      this.tail = tail;
      this.placeComments(start, level);
      const key = this.key(keyNode, start);
      if (seen.has(key)) {
        throw this.fail(`duplicate key ${JSON.stringify(key)}`, start, "remove or rename one of the two entries");
      }
      seen.add(key);
      const entry = { key, value: null as TreeValue };
      target.items.push(entry);
      this.lastItem = target;
      entry.value = this.value(pair.value as YamlNode | null);
      tail = this.tail;
    }
    this.tail = [...tail, level];
  }

  private fillSeq(node: YAMLSeq, target: TreeList): void {
    const level: Level = { container: target, column: this.column(node.range?.[0] ?? 0) };
    let tail: Level[] = [];
    for (const item of node.items) {
      const asNode = item as YamlNode | Pair | null;
      const start = isPair(asNode) ? ((asNode.key as YamlNode | null)?.range?.[0] ?? 0) : (asNode?.range?.[0] ?? 0);
      this.tail = tail;
      // Comments after an item's dash belong to that item (or, inline, after it).
      this.placeComments(node.flow === true ? start : this.dashBefore(start), level);
      this.lastItem = target;
      if (isPair(asNode)) {
        // `[a: 1]` is a list holding a one-entry mapping.
        const map = new TreeMap();
        target.push(map);
        const key = this.key(asNode.key as YamlNode | null, start);
        map.items.push({ key, value: null });
        this.lastItem = map;
        map.items[0] = { key, value: this.value(asNode.value as YamlNode | null) };
      } else {
        const index = target.length;
        target.push(null); // reserve the slot first: inline comments met inside go after it
        target[index] = this.value(asNode);
      }
      tail = this.tail;
    }
    this.tail = [...tail, level];
  }

  private spend(count: number, offset: number): void {
    this.budget -= count;
    if (this.budget < 0) {
      throw this.fail("yaml aliases expand to too many nodes", offset, "this looks like a billion-laughs document; remove the nested aliases");
    }
  }

  private key(node: YamlNode | null, offset: number): string {
    const value = node === null ? null : this.value(node);
    if (typeof value !== "string") {
      throw this.fail("tree contains a non-string key", offset, "quote keys that look like numbers, booleans, dates or null");
    }
    return value;
  }

  private value(node: YamlNode | null): TreeValue {
    this.spend(1, node?.range?.[0] ?? 0);
    if (node === null) return null;
    if (isAlias(node)) {
      const found = this.anchors.get(node.source);
      const offset = node.range?.[0] ?? 0;
      if (found === undefined) throw this.fail("unknown yaml alias", offset);
      if (found === IN_PROGRESS) throw this.fail("yaml alias refers to its own parent", offset);
      this.tail = [];
      return this.copy(found, offset);
    }
    if (node.anchor !== undefined) this.anchors.set(node.anchor, IN_PROGRESS);
    let result: TreeValue;
    if (isMap(node)) {
      const map = new TreeMap();
      this.fillMap(node, map);
      result = map;
    } else if (isSeq(node)) {
      const list: TreeList = [];
      this.fillSeq(node, list);
      result = list;
    } else if (isScalar(node)) {
      result = this.scalar(node);
      this.tail = [];
    } else {
      throw this.fail("unsupported yaml node", 0);
    }
    this.claimAnchor(node, result);
    return result;
  }

  private claimAnchor(node: YamlNode, value: TreeValue): void {
    if (node.anchor !== undefined) this.anchors.set(node.anchor, value);
  }

  private scalar(node: Scalar): TreeValue {
    const text = typeof node.value === "string" ? node.value : String(node.source ?? "");
    const tag = node.tag;
    if (tag === undefined) return node.type === "PLAIN" ? resolvePlain(text) : text;
    const resolved = resolveExplicitTag(tag, text);
    if (resolved instanceof Error) throw this.fail(resolved.message, node.range?.[0] ?? 0);
    return resolved;
  }

  /** A deep copy for an alias: later edits (encryption) must not reach the anchor. */
  private copy(value: TreeValue, offset: number): TreeValue {
    if (value instanceof TreeMap) {
      this.spend(value.items.length, offset);
      return new TreeMap(
        value.items.map((item) => (item instanceof Comment ? new Comment(item.text, item.inline) : { key: item.key, value: this.copy(item.value, offset) })),
      );
    }
    if (Array.isArray(value)) {
      this.spend(value.length, offset);
      return value.map((item) => (item instanceof Comment ? new Comment(item.text, item.inline) : this.copy(item, offset)));
    }
    if (value instanceof Uint8Array) return value.slice();
    return value;
  }
}

function push(container: Container, comment: Comment): void {
  if (container instanceof TreeMap) container.items.push(comment);
  else container.push(comment);
}
