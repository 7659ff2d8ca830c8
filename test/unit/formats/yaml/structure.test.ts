import { describe, expect, it } from "vitest";
import { Comment, TreeMap } from "../../../../src/core/tree.js";
import { emitPlain, errorCode, loadEncrypted, loadPlain, thrown } from "./helpers.js";

describe("documents", () => {
  it("reads a multi-document stream, an empty document being an empty map", () => {
    const { documents } = loadPlain("a: 1\n---\n---\nb: two\n...\n");
    expect(documents).toEqual([TreeMap.from({ a: 1n }), new TreeMap(), TreeMap.from({ b: "two" })]);
  });

  it("reads an empty input as no documents", () => {
    expect(loadPlain("").documents).toEqual([]);
  });

  it.each(["- a\n", "scalar\n", "a: 1\n---\n- b\n", "[1, 2]\n"])("refuses the non-mapping document %j", (text) => {
    expect(errorCode(() => loadPlain(text))).toBe("FORMAT_INVALID");
  });

  it("reports syntax errors with line and column only", () => {
    const error = thrown(() => loadPlain("first: ok\nsecret: \"s3cr3t-value\n"));
    expect(error.code).toBe("FORMAT_INVALID");
    expect(error.message).toMatch(/line \d+, column \d+/);
    expect(error.message).not.toContain("s3cr3t");
  });

  it("names a duplicate key and its line, never its values", () => {
    const error = thrown(() => loadPlain("token: aaa-secret\nother: 1\ntoken: bbb-secret\n"));
    expect(error.code).toBe("FORMAT_INVALID");
    expect(error.message).toContain('"token"');
    expect(error.message).toContain("line 3");
    expect(error.message).not.toContain("secret\"");
    expect(error.message).not.toContain("aaa");
  });

  it.each(["1: a\n", "true: a\n", "null: a\n", ": a\n", "1.5: a\n", "2024-01-01: a\n", "? {a: 1}\n: b\n", "? [a]\n: b\n"])(
    "refuses the non-string key in %j",
    (text) => {
      expect(errorCode(() => loadPlain(text))).toBe("FORMAT_INVALID");
    },
  );

  it("accepts quoted and tagged keys that look like other types", () => {
    const doc = loadPlain("'1': a\n\"true\": b\n!!str 3: c\nyes: d\n").documents[0]!;
    expect(doc.entries().map((e) => e.key)).toEqual(["1", "true", "3", "yes"]);
  });

  it("keeps flow collections and `[a: 1]` pairs", () => {
    const doc = loadPlain("f: {a: 1, b: [x, {c: d}]}\np: [k: v]\n").documents[0]!;
    expect(doc).toEqual(
      TreeMap.from({
        f: TreeMap.from({ a: 1n, b: ["x", TreeMap.from({ c: "d" })] }),
        p: [TreeMap.from({ k: "v" })],
      }),
    );
  });
});

describe("anchors, aliases and merge keys", () => {
  it("expands aliases into independent copies", () => {
    const doc = loadPlain("base: &b\n    x: 1\n    l: [1, 2]\ncopy: *b\nscalar: &s hello\nagain: *s\n").documents[0]!;
    const base = doc.get("base") as TreeMap;
    const copy = doc.get("copy") as TreeMap;
    expect(copy).toEqual(base);
    expect(copy).not.toBe(base);
    (copy.get("l") as unknown[]).push(3n);
    expect((base.get("l") as unknown[]).length).toBe(2);
    expect(doc.get("again")).toBe("hello");
  });

  it("uses the latest definition of a redefined anchor", () => {
    const doc = loadPlain("a: &x 1\nb: &x 2\nc: *x\n").documents[0]!;
    expect(doc.get("c")).toBe(2n);
  });

  it("keeps `<<` as an ordinary key holding the expanded mapping (sops does not merge)", () => {
    const doc = loadPlain("base: &b {x: 1}\nchild:\n    <<: *b\n    y: 2\n").documents[0]!;
    const child = doc.get("child") as TreeMap;
    expect(child.entries().map((e) => e.key)).toEqual(["<<", "y"]);
    expect(child.get("<<")).toEqual(TreeMap.from({ x: 1n }));
    const text = emitPlain({ documents: [doc] });
    expect(text).toContain("!!merge <<:");
    expect(loadPlain(text).documents[0]).toEqual(doc);
  });

  it("refuses alias expansion beyond the node budget (billion laughs)", () => {
    const levels = ["a: &a [x, x, x, x, x, x, x, x, x, x]"];
    for (let i = 1; i < 8; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      levels.push(`${name}: &${name} [${Array(10).fill(`*${prev}`).join(", ")}]`);
    }
    const error = thrown(() => loadPlain(`${levels.join("\n")}\n`));
    expect(error.code).toBe("FORMAT_INVALID");
    expect(error.hint).toBeTruthy();
  });
});

describe("metadata", () => {
  const META = "sops:\n    version: 3.13.2\n    lastmodified: \"2024-01-01T00:00:00Z\"\n";

  it("takes the sops map of the first document and drops later ones", () => {
    const file = loadEncrypted(`a: 1\n${META}---\nb: 2\nsops:\n    version: other\n`);
    expect(file.metadata).toEqual(TreeMap.from({ version: "3.13.2", lastmodified: "2024-01-01T00:00:00Z" }));
    expect(file.documents).toEqual([TreeMap.from({ a: 1n }), TreeMap.from({ b: 2n })]);
  });

  it("refuses a sops key that is not a mapping", () => {
    expect(errorCode(() => loadEncrypted("a: 1\nsops: text\n"))).toBe("METADATA_INVALID");
    expect(errorCode(() => loadEncrypted("a: 1\nsops: [1]\n"))).toBe("METADATA_INVALID");
  });

  it("has no metadata for a plain file", () => {
    expect(loadEncrypted("a: 1\n").metadata).toBeUndefined();
  });

  it("loadPlain reports a sops key as metadata so the core can refuse it", () => {
    expect(loadPlain(`a: 1\n${META}`).metadata).toBeInstanceOf(TreeMap);
    expect(loadPlain("a: 1\nsops: text\n").metadata).toBeInstanceOf(TreeMap);
  });
});

describe("comments", () => {
  const doc = (text: string): TreeMap => loadPlain(text).documents[0]!;

  it("puts top-level, head, inline and foot comments where they are, one item per line", () => {
    const tree = doc("# top\n#\nkey: v # inline\n# between\nmap:\n    # head\n    a: 1\n    # foot\n# end\n");
    expect(tree.items).toEqual([
      new Comment(" top"),
      new Comment(""),
      { key: "key", value: "v" },
      new Comment(" inline", true),
      new Comment(" between"),
      { key: "map", value: new TreeMap([new Comment(" head"), { key: "a", value: 1n }, new Comment(" foot")]) },
      new Comment(" end"),
    ]);
  });

  it("gives a comment to the container whose items it is indented with (AAD owner)", () => {
    // As in getsops/example.yaml: the comment after `password` belongs to `app2: db:`.
    const tree = doc("app2:\n    db:\n        user: u\n        #c1\n    #c2\n    key: k\n#c3\n");
    const app2 = tree.get("app2") as TreeMap;
    const db = app2.get("db") as TreeMap;
    expect(db.items.at(-1)).toEqual(new Comment("c1"));
    expect(app2.items[1]).toEqual(new Comment("c2"));
    expect(tree.items.at(-1)).toEqual(new Comment("c3"));
  });

  it("keeps list comments in the list, and `- # c` after its item", () => {
    const tree = doc("l:\n    # head\n    - a # one\n    - # two\n      k: v\n    # foot\n");
    expect(tree.get("l")).toEqual([
      new Comment(" head"),
      "a",
      new Comment(" one", true),
      TreeMap.from({ k: "v" }),
      new Comment(" two", true),
      new Comment(" foot"),
    ]);
  });

  it("keeps comments of empty documents and comment-only files", () => {
    expect(doc("# only\n").items).toEqual([new Comment(" only")]);
    expect(loadPlain("a: 1\n---\n# lonely\n").documents[1]!.items).toEqual([new Comment(" lonely")]);
  });

  it("never reorders comments relative to deeper containers", () => {
    const tree = doc("a:\n    b:\n        c: 1\n    #x\n        #y\nd: 1\n");
    const a = tree.get("a") as TreeMap;
    expect(a.items.slice(1)).toEqual([new Comment("x"), new Comment("y")]);
  });
});
