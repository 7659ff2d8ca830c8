/**
 * Kubernetes objects from YAML/JSON text with the line of every key: multi-document YAML and
 * `kind: List` are split into objects, each able to say on which line a path sits. Parse errors
 * are reported by line only: the yaml package's messages quote the source, which may be a secret.
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, type Document } from "yaml";
import { fastLineLocator, fastParseDocuments, type FastDocument } from "./fast-yaml.js";
import { isRecord } from "../records.js";
import type { ObjectPath } from "./key-path.js";

export interface ManifestObject {
  obj: Record<string, unknown>;
  /** The line (1-based) of the deepest key of `path` that exists. */
  lineOf: (path: ObjectPath) => number | undefined;
  /** Which YAML document of the file holds the object, and where in it (for `kind: List`). */
  docIndex: number;
  basePath: ObjectPath;
}

export interface ParsedManifests {
  /** The parsed documents (for --fix); empty when the fast reader read the text. */
  documents: Document.Parsed[];
  objects: ManifestObject[];
  /** Lines of parse errors (no message text: it would quote the input). */
  errors: { line: number | undefined; code: string }[];
}

const MAX_ALIASES = 100;

/** The line the yaml package gives `path` in `doc`: the line of its deepest key or sequence item that exists. */
export function nodeLine(doc: Document.Parsed, counter: LineCounter, path: ObjectPath): number | undefined {
  let node: unknown = doc.contents;
  let line: number | undefined = lineAt(counter, node);
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment));
      if (pair === undefined) break;
      line = lineAt(counter, pair.key) ?? line;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === "number") {
      node = node.items[segment];
      line = lineAt(counter, node) ?? line;
    } else {
      break;
    }
  }
  return line;
}

function lineAt(counter: LineCounter, node: unknown): number | undefined {
  const range = (node as { range?: [number, number, number] } | null)?.range;
  return range === undefined ? undefined : counter.linePos(range[0]).line;
}

export function parseManifests(text: string): ParsedManifests {
  const counter = new LineCounter();
  const documents = parseAllDocuments(text, { lineCounter: counter, uniqueKeys: true });
  const result: ParsedManifests = { documents: [], objects: [], errors: [] };
  if (!Array.isArray(documents)) return result; // an empty stream
  result.documents = documents;
  for (const [docIndex, doc] of documents.entries()) {
    const error = doc.errors[0];
    if (error !== undefined) {
      result.errors.push({ line: error.linePos?.[0]?.line, code: error.code });
      continue;
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIASES });
    } catch {
      result.errors.push({ line: lineAt(counter, doc.contents), code: "ALIAS_LIMIT" });
      continue;
    }
    pushObjects(result.objects, value, docIndex, (base) => (path) => nodeLine(doc, counter, [...base, ...path]));
  }
  return result;
}

type LineOfFactory = (base: ObjectPath) => (path: ObjectPath) => number | undefined;

/** The Kubernetes objects of one document's value: the object itself, or a `kind: List`'s items. */
function pushObjects(objects: ManifestObject[], value: unknown, docIndex: number, lineOf: LineOfFactory): void {
  if (isRecord(value) && typeof value.kind === "string" && value.kind.endsWith("List") && Array.isArray(value.items)) {
    for (const [index, item] of value.items.entries()) {
      if (isRecord(item)) objects.push({ obj: item, lineOf: lineOf(["items", index]), docIndex, basePath: ["items", index] });
    }
  } else if (isRecord(value) && typeof value.kind === "string") {
    objects.push({ obj: value, lineOf: lineOf([]), docIndex, basePath: [] });
  }
}

/**
 * Like parseManifests, but through the fast reader when it is sure of every document (falling back
 * to the `yaml` package otherwise). Lines are the `yaml` package's: found by walking the document's
 * lines (fastLineLocator), or where that is not sure, by parsing the document exactly, on its own, the
 * first time. No documents are kept, so the result is not for --fix.
 */
export function readManifests(text: string): ParsedManifests {
  const documents = fastParseDocuments(text);
  if (documents === undefined) return parseManifests(text);
  const result: ParsedManifests = { documents: [], objects: [], errors: [] };
  for (const [docIndex, document] of documents.entries()) pushObjects(result.objects, document.value, docIndex, exactLines(text, document));
  return result;
}

function exactLines(text: string, document: FastDocument): LineOfFactory {
  let fast: ReturnType<typeof fastLineLocator> | undefined;
  let exact: { doc: Document.Parsed; counter: LineCounter } | undefined;
  return (base) => (path) => {
    fast ??= fastLineLocator(text, document);
    const line = fast([...base, ...path]);
    if (line !== undefined) return line;
    if (exact === undefined) {
      const counter = new LineCounter();
      const [doc] = parseAllDocuments(text.slice(document.start, document.end), { lineCounter: counter, uniqueKeys: true }) as Document.Parsed[];
      exact = { doc: doc as Document.Parsed, counter };
    }
    const exactLine = nodeLine(exact.doc, exact.counter, [...base, ...path]);
    return exactLine === undefined ? undefined : exactLine + document.line - 1;
  };
}
