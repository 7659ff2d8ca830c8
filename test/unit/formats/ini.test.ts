import { describe, expect, it } from "vitest";
import { Comment, TreeMap } from "../../../src/core/tree.js";
import { isCofferError } from "../../../src/errors.js";
import { iniStore } from "../../../src/formats/ini.js";

const load = (text: string) => iniStore.loadPlain(Buffer.from(text, "utf8"));
const emit = (document: TreeMap) => Buffer.from(iniStore.emitPlain({ documents: [document] })).toString("utf8");

function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe("ini parsing (go-ini semantics)", () => {
  it("maps sections to maps, keys before any section to DEFAULT, and keeps repeated sections", () => {
    const doc = load("top = 1\n[a]\nx = 1\n[b]\ny: 2\n[a]\nz = 3\n").documents[0]!;
    expect(doc.entries().map((e) => e.key)).toEqual(["DEFAULT", "a", "b", "a"]);
    expect((doc.items[3] as { value: TreeMap }).value.get("z")).toBe("3");
    expect((doc.get("b") as TreeMap).get("y")).toBe("2");
  });

  it("omits the implicit DEFAULT section when it is empty", () => {
    expect(load("[a]\nk = v\n").documents[0]!.entries().map((e) => e.key)).toEqual(["a"]);
  });

  it("places a section's comment first and a key's comment after the key, stripped", () => {
    const doc = load("; about a\n[a]\n# about k1\nk1 = v1\nk2 = v2 ; inline\n").documents[0]!;
    const a = doc.get("a") as TreeMap;
    expect(a.items).toEqual([
      new Comment("about a"),
      { key: "k1", value: "v1" },
      new Comment("about k1"),
      { key: "k2", value: "v2" },
      new Comment("inline"),
    ]);
  });

  it("unquotes go-ini values", () => {
    const a = load('[a]\nd = "  padded  "\ns = \'single\'\nb = `has # and ;`\nt = """one\ntwo"""\nu = """x"""\ne =\n').documents[0]!.get("a") as TreeMap;
    expect(a.get("d")).toBe("  padded  ");
    expect(a.get("s")).toBe("single");
    expect(a.get("b")).toBe("has # and ;");
    expect(a.get("t")).toBe("one\ntwo");
    expect(a.get("u")).toBe("x");
    expect(a.get("e")).toBe("");
  });

  it("overwrites a repeated key in place", () => {
    const a = load("[a]\nk = 1\nj = 2\nk = 3\n").documents[0]!.get("a") as TreeMap;
    expect(a.entries()).toEqual([
      { key: "k", value: "3" },
      { key: "j", value: "2" },
    ]);
  });

  it.each([
    ["[unclosed\nk = v\n", 1],
    ["[a]\nk = v\njust words\n", 3],
    ["[]\n", 1],
    ['[a]\nk = """never\nclosed\n', 2],
    ["[a]\nk = `open\n", 2],
  ])("rejects %j with FORMAT_INVALID at line %i", (input, line) => {
    const error = caught(() => load(input));
    expect(isCofferError(error, "FORMAT_INVALID")).toBe(true);
    expect((error as Error).message).toContain(`line ${line}`);
  });

  it("reports a [sops] section in a plain file as metadata", () => {
    expect(load("[a]\nk = v\n[sops]\nversion = 3.13.2\n").metadata?.get("version")).toBe("3.13.2");
    expect(load("[a]\nk = v\n").metadata).toBeUndefined();
  });
});

describe("ini emitting", () => {
  it("aligns keys per section, separates sections by one blank line, writes comments above", () => {
    const doc = TreeMap.from({
      one: new TreeMap([new Comment("section note"), { key: "a", value: "1" }, { key: "long_key", value: "2" }, new Comment("about long_key")]),
      two: TreeMap.from({ k: "v" }),
    });
    expect(emit(doc)).toBe("; section note\n[one]\na        = 1\n; about long_key\nlong_key = 2\n\n[two]\nk = v\n");
  });

  it("quotes values like go-ini and reads them back unchanged", () => {
    const values = { nl: "a\nb", tick: "a`b", hash: "a # b", semi: "a;b", lead: "  x", trail: "x ", plain: "hi there!" };
    const out = emit(TreeMap.from({ s: TreeMap.from(values) }));
    expect(out).toContain('nl    = """a\nb"""\n');
    expect(out).toContain("hash  = `a # b`\n");
    expect(out).toContain('lead  = "  x"\n');
    expect(out).toContain("plain = hi there!\n");
    expect((load(out).documents[0]!.get("s") as TreeMap).entries()).toEqual(Object.entries(values).map(([key, value]) => ({ key, value })));
  });

  it("writes a first DEFAULT section without a header", () => {
    const out = emit(TreeMap.from({ DEFAULT: TreeMap.from({ k: "v" }), s: TreeMap.from({ x: "y" }) }));
    expect(out).toBe("k = v\n\n[s]\nx = y\n");
    expect(load(out).documents[0]!.entries().map((e) => e.key)).toEqual(["DEFAULT", "s"]);
  });

  it("stringifies scalars like sops valToString", () => {
    const out = emit(TreeMap.from({ s: TreeMap.from({ f: 25.4, b: true, i: 3n }) }));
    expect(out).toBe("[s]\nf = 25.400000\nb = true\ni = 3\n");
  });

  it("refuses values nested deeper than section.key and top-level scalars", () => {
    for (const doc of [TreeMap.from({ s: TreeMap.from({ k: TreeMap.from({ deep: "x" }) }) }), TreeMap.from({ s: TreeMap.from({ k: ["x"] }) }), TreeMap.from({ k: "v" })]) {
      expect(isCofferError(caught(() => emit(doc)), "EMIT_FAILED")).toBe(true);
    }
  });

  it("writes metadata as a final [sops] section with \\n escapes and reads it back", () => {
    const metadata = TreeMap.from({
      lastmodified: "2024-01-01T00:00:00Z",
      pgp: [TreeMap.from({ enc: "-----BEGIN-----\n\nabc\n-----END-----", fp: "ABC" })],
      unencrypted_regex: "^(a|b);c$",
    });
    const out = Buffer.from(iniStore.emitEncrypted({ documents: [TreeMap.from({ s: TreeMap.from({ k: "ENC[x]" }) })], metadata })).toString();
    expect(out).toBe(
      "[s]\nk = ENC[x]\n\n[sops]\n" +
        "lastmodified         = 2024-01-01T00:00:00Z\n" +
        "pgp__list_0__map_enc = -----BEGIN-----\\n\\nabc\\n-----END-----\n" +
        "pgp__list_0__map_fp  = ABC\n" +
        "unencrypted_regex    = `^(a|b);c$`\n",
    );
    expect(out).toContain("pgp__list_0__map_enc = -----BEGIN-----\\n\\nabc\\n-----END-----\n");
    expect(out).toContain("unencrypted_regex    = `^(a|b);c$`\n");
    expect(out.endsWith("\n\n")).toBe(false);
    expect(iniStore.loadEncrypted(Buffer.from(out)).metadata).toEqual(metadata);
  });
});
