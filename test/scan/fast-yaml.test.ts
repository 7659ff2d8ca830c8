/**
 * The fast YAML reader against the `yaml` package: whenever the fast reader accepts a text, both
 * must give the same documents (deep strict equality, -0 and NaN included), the `yaml` package must
 * see no error, and every key path of every object must have the same line. Inputs: hand-written
 * edge cases, the labelled corpus, the speed bench's manifests, and fast-check generated values
 * written by the yaml package, one-line flow sequences and documents written in many styles (some
 * deliberately invalid).
 */
import { isDeepStrictEqual } from "node:util";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LineCounter, parseAllDocuments, stringify, type Document } from "yaml";
import { fastLineLocator, fastParseDocuments, resolvePlain } from "../../src/scan/fast-yaml.js";
import { nodeLine, parseManifests, readManifests } from "../../src/scan/manifests.js";
import { loadCorpus, renderManifest } from "../corpus/scan/index.mjs";
import { manifests } from "../corpus/scan/bench-manifests.mjs";

type Path = (string | number)[];

function exactValues(text: string): { values: unknown[]; errors: string[] } {
  const documents = parseAllDocuments(text, { uniqueKeys: true });
  const list = Array.isArray(documents) ? documents : [];
  return { values: list.map((doc) => (doc.errors.length > 0 ? undefined : doc.toJS({ maxAliasCount: 100 }))), errors: list.flatMap((doc) => doc.errors.map((error) => error.code)) };
}

/** Every path to a node of `value`, and one missing key below each mapping. */
function paths(value: unknown, prefix: Path = [], out: Path[] = []): Path[] {
  out.push(prefix);
  if (Array.isArray(value)) value.forEach((item, index) => paths(item, [...prefix, index], out));
  else if (value !== null && typeof value === "object") {
    out.push([...prefix, "no-such-key"]);
    for (const [key, item] of Object.entries(value)) paths(item, [...prefix, key], out);
  }
  return out;
}

/** The yaml package's line for a path (the deepest key or item that exists), as the scanner asks it. */
const parsedForLines = new Map<string, { docs: Document.Parsed[]; counter: LineCounter }>();
function yamlLine(text: string, docIndex: number, path: Path): number | undefined {
  let parsed = parsedForLines.get(text);
  if (parsed === undefined) {
    const counter = new LineCounter();
    const docs = parseAllDocuments(text, { lineCounter: counter });
    parsed = { docs: Array.isArray(docs) ? docs : [], counter };
    if (parsedForLines.size > 100) parsedForLines.clear();
    parsedForLines.set(text, parsed);
  }
  const doc = parsed.docs[docIndex];
  return doc === undefined ? undefined : nodeLine(doc, parsed.counter, path);
}

/** Compares both readers on `text`; returns whether the fast reader accepted it. */
function differential(text: string, checkLines = true): boolean {
  const fast = fastParseDocuments(text);
  if (fast === undefined) return false;
  // Lines of every path of every document (Kubernetes object or not), where the walk is sure.
  if (checkLines) {
    for (const [index, document] of fast.entries()) {
      const lineOf = fastLineLocator(text, document);
      for (const path of paths(document.value)) {
        const line = lineOf(path);
        if (line !== undefined) expect(line, `${JSON.stringify(path)} in ${JSON.stringify(text)}`).toBe(yamlLine(text, index, path));
      }
    }
  }
  const exact = exactValues(text);
  expect(exact.errors, JSON.stringify(text)).toEqual([]);
  const values = fast.map((doc) => doc.value);
  expect(values, JSON.stringify(text)).toStrictEqual(exact.values);
  expect(isDeepStrictEqual(values, exact.values), JSON.stringify(text)).toBe(true);
  if (checkLines) {
    const quick = readManifests(text).objects;
    const slow = parseManifests(text).objects;
    expect(quick.map((o) => o.basePath)).toEqual(slow.map((o) => o.basePath));
    for (const [index, object] of slow.entries()) {
      for (const path of paths(object.obj)) expect(quick[index]?.lineOf(path), `${JSON.stringify(path)} in ${JSON.stringify(text)}`).toBe(object.lineOf(path));
    }
  }
  return true;
}

const EDGE_CASES = [
  "", "# only a comment\n", "---\n", "a: 1\n---\n", "a: 1\n---\n# c\n", "# c\n---\na: 1\n", "a: 1\n---\n---\nb: 2\n", "a: 1", "---\na: 1\n---\nb: 2",
  "a: |\n  x\n\n  y\n\n", "a: |-\n  x\n  y\n", "a: >\n  x\n  y\n\n  z\n", "a: >-\n  x\n  y\n", "a: |\n\n  x\n", "a: |\n    x\n  y\n", "a: |\n  x\n   y\n",
  "a: b\n  # c\nd: e\n", "a: b\n# c\n  d: e\n", "a:\n# c\n  b: 1\n", "k: \"\\ud83d\\ude00 \\x41\\t\\\\ \\\"\"\n", "k: 'it''s'\n", "k: 'a' # c\n", "k: 'a'#c\n",
  "a:\n- 1\n- -0\n- +5\n- 0o17\n- 0x1F\n- 1e3\n- .5\n- 1.\n- .inf\n- -.Inf\n- .nan\n- ~\n- null\n- NULL\n- True\n- FALSE\n- yes\n- 012\n- 1_000\n", "- a\n- b\n",
  "a: []\nb: {}\nc: [ ]\nd: [a]\n", "a: &x 1\nb: *x\n", "a: !!str 1\n", "a: b: c\n", "a: b:\n", "a:b\n", "a :b\n", "1: x\n", "true: x\n", "'1': x\n", "\"a\": 1\n'b': 2\n",
  "a: 1\na: 2\n", "a: 1\n'a': 2\n", "__proto__: 1\n", "toString: 1\n", "a:\n  - x\n  y: 1\n", "a:\n- x\nb: 1\n", "- a: 1\n  b: 2\n- c: 3\n", "- a: 1\n b: 2\n", "-\n  a: 1\n", "- - a\n",
  "a: x\n  continued\n", "a: \"x\n  y\"\n", "a:\tb\n", "a: b\r\nc: d\r\n", "\ufeffa: 1\n", "%YAML 1.2\n---\na: 1\n", "a: 1\n...\n", "--- a\n", "---  \na: 1\n", "  a: 1\n  b: 2\n",
  "a: - b\n", "a: -b\n", "a: ? b\n", "a: :b\n", "a: b # c: d\n", "a: b#c\n", "a: http://x:80/y\n", "a: |+\n  x\n\n", "a: |2\n   x\n", "a: | # c\n  x\n", "a: |\n", "a: |\nb: 1\n",
  "a: >\n  x\n    y\n  z\n", "a: |\n  x\n  \n  y\n", "a: |\n  x\n      \n  y\n", "- |\n  x\n- >-\n  y\n", "a:\n  b:\n    c: 1\n  d: 2\n", "a:\n    b: 1\n  c: 2\n",
  "kind: List\nitems:\n- kind: ConfigMap\n  metadata:\n    name: a\n  data:\n    x: y\n- kind: Secret\n", "a: \"\\q\"\n", "a: \"x\\\n  y\"\n", `a: "${"\\u"}12"\n`, "a: 'x\n  y'\n",
  "a: b\n---\n- 1\n- 2\n", "? a\n: b\n", "a: {x: 1}\n", "a: b # c\n\n\n", "x: \"a\" \"b\"\n",
  'a: ["sh", "-c"]\n', "a: [a, 'b', 80, true, -1, --x=y]\n", "a: [ a , b ]\n", "a: [a,]\n", "a: [a,,b]\n", "a: [a: b]\n", "a: [a b, c]\n", "a: [a #c]\n", "a: [a] # c\n",
  "kind: A\nb: 1\nc:\n", "kind: A\nc:\n---\nkind: B\nd:\n", "a: 1\nl:\n- x\n- y:\n", "a:\n  b:\n  c: 1\nd:", "- a\n-\n  b: 1\n", "a: [a]#c\n", "a: [[a]]\n", "a: [a, {b: 1}]\n", "a: [http://x]\n", "a: [\"a\" , 'b''c']\n", "a: [-]\n", "a: [- a]\n", "a: [a\n", "- [a, b]\n", "a: [ ]\n", "a: [.inf, ~, null, 0x1F]\n",
];

describe("fast YAML reader", () => {
  it("agrees with the yaml package on edge cases, and gives up on what it does not know", () => {
    const accepted = EDGE_CASES.filter((text) => differential(text));
    // Constructs it must give up on (each one would be read wrongly by a naive reader).
    for (const text of ["a: &x 1\nb: *x\n", "a: !!str 1\n", "a: x\n  continued\n", "a: \"x\n  y\"\n", "a:\tb\n", "a: 1\na: 2\n", "a: {x: 1}\n", "a: |+\n  x\n\n", "1: x\n", "a: b\r\nc: d\r\n"]) {
      expect(fastParseDocuments(text), JSON.stringify(text)).toBeUndefined();
    }
    expect(accepted.length).toBeGreaterThan(30);
  });

  it("resolves plain scalars as the core schema does", () => {
    for (const text of ["0", "-0", "+12", "012", "0o17", "0x1f", "1e3", "-1.5e-3", ".5", "1.", ".inf", "-.INF", ".NaN", "~", "null", "Null", "TRUE", "false", "nULL", "yes", "0b1", "1_0", "1.2.3", "+", ".", "e3", "0x", "0o8"]) {
      const [doc] = exactValues(`k: ${text}\n`).values as { k: unknown }[];
      expect(Object.is(resolvePlain(text), doc?.k) || (Number.isNaN(resolvePlain(text)) && Number.isNaN(doc?.k)), text).toBe(true);
    }
  });

  it("agrees on every manifest of the labelled corpus", () => {
    const items = loadCorpus();
    const accepted = items.filter((item) => differential(renderManifest(item))).length;
    expect(accepted).toBeGreaterThan(items.length * 0.9);
  });

  it("agrees on the speed bench's manifests", () => {
    const { files } = manifests(600_000);
    for (const [index, text] of files.entries()) expect(differential(text, index < 5), `file ${index}`).toBe(true);
  });

  it("finds lines by indentation without asking the yaml package, on the corpus and bench manifests", () => {
    // readManifests falls back to the yaml package when the line walk is not sure; here it must be sure.
    const texts = [...loadCorpus().map(renderManifest), ...manifests(200_000).files];
    let answered = 0;
    for (const text of texts) {
      const documents = fastParseDocuments(text);
      if (documents === undefined) continue;
      for (const object of parseManifests(text).objects) {
        const lineOf = fastLineLocator(text, documents[object.docIndex]!);
        for (const path of paths(object.obj)) {
          const line = lineOf([...object.basePath, ...path]);
          expect(line, `${JSON.stringify(path)} in ${JSON.stringify(text)}`).toBe(object.lineOf(path));
          answered++;
        }
      }
    }
    expect(answered).toBeGreaterThan(10_000);
  });

  it("agrees on generated values written by the yaml package in each of its styles", () => {
    const wild = fc.string({ unit: fc.constantFrom(..."ab Z0:#'\"\\-\n\t{}é😀".split(""), "a b", "x: y"), maxLength: 30 });
    const tame = fc.string({ unit: fc.constantFrom(..."abZ09-_./ :=\n".split("")), maxLength: 30 });
    const text = fc.oneof({ arbitrary: tame, weight: 3 }, { arbitrary: wild, weight: 1 });
    const leaf = fc.oneof(text, fc.integer(), fc.double({ noNaN: true }), fc.boolean(), fc.constant(null));
    const value = fc.dictionary(fc.oneof(fc.constantFrom("kind", "data", "env", "x.y/z"), text), fc.oneof(leaf, fc.array(leaf, { maxLength: 3 }), fc.dictionary(text, leaf, { maxKeys: 3 })), { maxKeys: 6 });
    const options = fc.record({
      defaultStringType: fc.constantFrom("PLAIN", "QUOTE_DOUBLE", "QUOTE_SINGLE", "BLOCK_LITERAL", "BLOCK_FOLDED"),
      indentSeq: fc.boolean(),
      indent: fc.integer({ min: 1, max: 4 }),
      lineWidth: fc.constantFrom(0, 20, 80),
    });
    let accepted = 0;
    fc.assert(
      fc.property(fc.array(value, { minLength: 1, maxLength: 2 }), options, (docs, opts) => {
        const text = docs.map((doc) => stringify(doc, opts)).join("---\n");
        if (differential(text)) accepted++;

      }),
      { numRuns: 800, seed: 0xc0ffee },
    );
    expect(accepted).toBeGreaterThan(150);
  });

  it("agrees on generated one-line flow sequences", () => {
    const unit = fc.constantFrom(..."ab0-_. :#'\"\\,[]{}&*!?|>%@`~".split(""), "x: y", "--", "\\n");
    const item = fc.record({ text: fc.string({ unit, maxLength: 6 }), quote: fc.constantFrom("", "", "'", '"') });
    const render = ({ text, quote }: { text: string; quote: string }) =>
      quote === "'" ? `'${text.replace(/'/g, "''")}'` : quote === '"' ? `"${text.replace(/\\(?!n)/g, "\\\\").replace(/"/g, '\\"')}"` : text;
    let accepted = 0;
    fc.assert(
      fc.property(fc.array(item, { maxLength: 5 }), fc.constantFrom(",", ", ", " , ", " ,"), fc.constantFrom("", " "), fc.constantFrom("", " # c", "#c"), (items, separator, pad, tail) => {
        if (differential(`args: [${pad}${items.map(render).join(separator)}${pad}]${tail}\n`)) accepted++;
      }),
      { numRuns: 1500, seed: 0xf10 },
    );
    expect(accepted).toBeGreaterThan(300);
  });

  it("agrees on generated documents written in many styles", () => {
    const wild = fc.constantFrom(..."abcXYZ019 -_:#'\"\\{}[],&*!|>%@`?.~/=+$\u00e9\u{1F600}".split(""), ...["\\n", "\\t", "\\x4", "\\u00e9", " #", ": ", "''", "--", "  "]);
    const tame = fc.constantFrom(..."abcXYZ019-_./=".split(""));
    const alphabet = fc.oneof({ arbitrary: tame, weight: 8 }, { arbitrary: wild, weight: 1 });
    const word = fc.array(alphabet, { maxLength: 8 }).map((parts) => parts.join(""));
    const scalarText = fc.oneof(
      word,
      fc.constantFrom("1", "-0", "0x1F", "1e3", ".inf", "~", "null", "true", "False", "012", "1.50", "yes", "-", "a: b", "http://h:1/p", "x#y", "$(VAR)", "{{ .Values.x }}"),
    );
    const style = fc.constantFrom("plain", "single", "double", "literal", "folded", "literal-strip", "folded-strip");
    const scalar = fc.record({ kind: fc.constant("scalar" as const), text: scalarText, style, lines: fc.array(word, { maxLength: 3 }) });
    type Node = { kind: "scalar"; text: string; style: string; lines: string[] } | { kind: "map"; entries: [string, Node][] } | { kind: "seq"; items: Node[] };
    const { node } = fc.letrec<{ node: Node; map: Node; seq: Node }>((tie) => ({
      node: fc.oneof({ depthSize: "small", withCrossShrink: true }, scalar, tie("map"), tie("seq")),
      map: fc.record({ kind: fc.constant("map" as const), entries: fc.array(fc.tuple(fc.oneof(word, fc.constantFrom("name", "data", "kind", "a.b/c", "x-y")), tie("node")), { maxLength: 4 }) }),
      seq: fc.record({ kind: fc.constant("seq" as const), items: fc.array(tie("node"), { maxLength: 3 }) }),
    }));
    const quoteDouble = (text: string) => `"${text.replace(/"/g, '\\"')}"`;
    const inline = (s: Extract<Node, { kind: "scalar" }>, pad: string, step: number): string => {
      if (s.style === "single") return `'${s.text.replace(/'/g, "''")}'`;
      if (s.style === "double") return quoteDouble(s.text);
      if (s.style === "plain") return s.text;
      const header = `${s.style.startsWith("literal") ? "|" : ">"}${s.style.endsWith("strip") ? "-" : ""}`;
      return [header, ...[s.text, ...s.lines].map((line) => (line === "" ? "" : `${pad}${" ".repeat(step)}${line}`))].join("\n");
    };
    const render = (n: Node, pad: string, step: number, comment: string): string[] => {
      if (n.kind === "scalar") return [`${pad}${inline(n, pad, step)}`];
      if (n.kind === "map") {
        if (n.entries.length === 0) return [`${pad}{}`];
        return n.entries.flatMap(([key, value]) => {
          const k = /^[A-Za-z][\w./-]*$/.test(key) ? key : quoteDouble(key);
          if (value.kind === "scalar") return [`${pad}${k}: ${inline(value, pad, step)}`];
          if (value.kind === "map" && value.entries.length === 0) return [`${pad}${k}: {}`];
          if (value.kind === "seq" && value.items.length === 0) return [`${pad}${k}: []`];
          const inner = value.kind === "seq" && step % 2 === 0 ? pad : pad + " ".repeat(step);
          return [`${pad}${k}:${comment}`, ...render(value, inner, step, comment)];
        });
      }
      if (n.items.length === 0) return [`${pad}[]`];
      return n.items.flatMap((item) => {
        const lines = render(item, pad + " ".repeat(step), step, comment);
        const first = (lines[0] ?? "").slice(pad.length + step);
        return item.kind === "map" && step >= 2 && !first.startsWith("{") ? [`${pad}-${" ".repeat(step - 1)}${first}`, ...lines.slice(1)] : [`${pad}-`, ...lines];
      });
    };
    let accepted = 0;
    fc.assert(
      fc.property(fc.array(node, { minLength: 1, maxLength: 2 }), fc.integer({ min: 1, max: 4 }), fc.constantFrom("", " # note", "  #x"), fc.boolean(), (docs, step, comment, blank) => {
        const text = docs.map((doc) => render(doc, "", step, comment).join(blank ? "\n\n" : "\n")).join("\n---\n") + "\n";
        if (differential(text)) accepted++;

      }),
      { numRuns: 1500, seed: 0x5ca1ab1e },
    );
    expect(accepted).toBeGreaterThan(60);
  });
});
