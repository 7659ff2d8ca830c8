/**
 * Reads a YAML (or JSON) document the way kube-apiserver decodes a config file: field names are
 * case-sensitive, a wrong type is an error, `null` leaves a field at its zero value, YAML 1.1
 * scalars (`yes`, `on`) are booleans, as in the Go YAML library. Every value's position is
 * kept by path (`resources[0].providers[1].aescbc.keys[0].secret`) so findings can name a line.
 */
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from "yaml";

/** A place in the file: 1-based line and column. */
export interface Position {
  line: number;
  column: number;
}

/** Why kube-apiserver would refuse the file; `since` is the minor release that added the rule. */
export interface ConfigError {
  path: string;
  message: string;
  /** Minor version of Kubernetes 1.x that first rejects this (absent: every supported release). */
  since?: number | undefined;
}

/** A field kube-apiserver does not know: ignored before 1.31, refused from 1.31 (strict decoding). */
export const STRICT_DECODING_SINCE = 31;

const MAX_ALIASES = 1000;

export class YamlReader {
  readonly errors: ConfigError[] = [];
  readonly positions = new Map<string, Position>();
  /** Paths of fields the schema does not have (refused from 1.31, ignored before). */
  readonly unknownFields: string[] = [];
  readonly root: Node | null;
  private readonly lineCounter = new LineCounter();
  private readonly doc: Document;
  private aliasesFollowed = 0;

  constructor(text: string) {
    this.doc = parseDocument(text, { lineCounter: this.lineCounter, version: "1.1", uniqueKeys: false, prettyErrors: false });
    for (const error of this.doc.errors) this.errors.push({ path: "", message: `not valid YAML: ${error.message.split("\n")[0] ?? ""}` });
    this.root = this.doc.errors.length === 0 ? (this.doc.contents as Node | null) : null;
    if (this.root !== null) this.note("", this.root);
  }

  /** Follows an alias (`*name`) to its node; a bounded number of times, so an alias bomb stays small. */
  private deref(node: Node | null | undefined, path: string): Node | null | undefined {
    if (!isAlias(node)) return node;
    if (++this.aliasesFollowed > MAX_ALIASES) {
      if (this.aliasesFollowed === MAX_ALIASES + 1) this.fail(path, `more than ${MAX_ALIASES} aliases: refusing to expand further`);
      return null;
    }
    return (node.resolve(this.doc) ?? null) as Node | null;
  }

  private note(path: string, node: Node): void {
    const offset = node.range?.[0];
    if (offset !== undefined && !this.positions.has(path)) {
      const { line, col } = this.lineCounter.linePos(offset);
      this.positions.set(path, { line, column: col });
    }
  }

  private fail(path: string, message: string, since?: number): void {
    this.errors.push(since === undefined ? { path, message } : { path, message, since });
  }

  /** A mapping's fields (known ones only); undefined for null; records an error for other types. */
  fields(aliased: Node | null, path: string, known: readonly string[]): Map<string, Node | null> | undefined {
    const node = this.deref(aliased, path);
    if (isNull(node)) return undefined;
    if (!isMap(node)) {
      this.fail(path, "expected a mapping");
      return undefined;
    }
    const result = new Map<string, Node | null>();
    const seen = new Set<string>();
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      const childPath = path === "" ? key : `${path}.${key}`;
      const value = (pair.value ?? null) as Node | null;
      // The key's line: for a nested mapping the value starts a line later.
      if (pair.key !== null && typeof pair.key === "object") this.note(childPath, pair.key as Node);
      if (seen.has(key)) {
        this.fail(childPath, `duplicate field "${key}"`, STRICT_DECODING_SINCE);
        continue;
      }
      seen.add(key);
      if (!known.includes(key)) {
        this.unknownFields.push(childPath);
        this.fail(childPath, `unknown field "${key}"`, STRICT_DECODING_SINCE);
        continue;
      }
      result.set(key, value);
    }
    return result;
  }

  /** A sequence's items; [] for null or absent; records an error for other types. */
  list(aliased: Node | null | undefined, path: string): Array<{ node: Node | null; path: string }> {
    const node = this.deref(aliased, path);
    if (node === undefined || isNull(node)) return [];
    if (!isSeq(node)) {
      this.fail(path, "expected a list");
      return [];
    }
    return node.items.map((item, index) => {
      const itemPath = `${path}[${index}]`;
      if (item !== null && typeof item === "object") this.note(itemPath, item as Node);
      return { node: (item ?? null) as Node | null, path: itemPath };
    });
  }

  /** A string field; "" for null or absent (Go's zero value); records an error for other types. */
  string(aliased: Node | null | undefined, path: string): string {
    const node = this.deref(aliased, path);
    if (node === undefined || isNull(node)) return "";
    if (isScalar(node) && typeof node.value === "string") return node.value;
    this.fail(path, "expected a string");
    return "";
  }

  /** A whole-number field in int32 range; undefined for null or absent. */
  int32(aliased: Node | null | undefined, path: string): number | undefined {
    const node = this.deref(aliased, path);
    if (node === undefined || isNull(node)) return undefined;
    if (isScalar(node) && typeof node.value === "number" && Number.isInteger(node.value) && Math.abs(node.value) <= 2 ** 31) {
      if (node.value >= -(2 ** 31) && node.value < 2 ** 31) return node.value;
    }
    this.fail(path, "expected a whole number (int32)");
    return undefined;
  }

  positionOf(path: string): Position | undefined {
    for (let candidate = path; ; candidate = parentPath(candidate)) {
      const position = this.positions.get(candidate);
      if (position !== undefined || candidate === "") return position;
    }
  }
}

function isNull(node: Node | null | undefined): boolean {
  return node === null || node === undefined || (isScalar(node) && node.value === null);
}

/** `a.b[2].c` -> `a.b[2]` -> `a.b` -> `a` -> "". */
export function parentPath(path: string): string {
  const cut = Math.max(path.lastIndexOf("."), path.lastIndexOf("["));
  return cut <= 0 ? "" : path.slice(0, cut);
}

/**
 * Go's time.ParseDuration, as metav1.Duration uses it: "3s", "1m30s", "-1.5h", "0". Returns
 * nanoseconds, or undefined when Go would refuse the text.
 */
export function parseGoDuration(text: string): number | undefined {
  if (text === "0" || text === "+0" || text === "-0") return 0;
  const match = /^([-+]?)((?:(?:\d+\.?\d*|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+)$/.exec(text);
  if (match === null) return undefined;
  const units: Record<string, number> = { ns: 1, us: 1e3, "µs": 1e3, "μs": 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };
  let total = 0;
  for (const part of (match[2] ?? "").matchAll(/(\d+\.?\d*|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g)) {
    total += Number(part[1]) * (units[part[2] ?? ""] ?? 0);
  }
  return match[1] === "-" ? -total : total;
}
