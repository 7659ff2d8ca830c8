import { describe, expect, it } from "vitest";
import { compileCryptRule, selectCryptRule, shouldEncrypt } from "../../../src/core/crypt-rules.js";
import type { CryptRule } from "../../../src/core/crypt-rules.js";
import { compileRe2 } from "../../../src/core/re2.js";
import { errorCodeOf as code } from "../../helpers/errors.js";


describe("path rules", () => {
  const table: Array<{ rule: CryptRule | undefined; path: string[]; encrypted: boolean }> = [
    { rule: undefined, path: ["a", "b"], encrypted: true },
    { rule: undefined, path: ["a_unencrypted", "b"], encrypted: false },
    { rule: undefined, path: ["a", "b_unencrypted"], encrypted: false },
    { rule: { kind: "unencrypted_suffix", value: "_plain" }, path: ["x_unencrypted"], encrypted: true },
    { rule: { kind: "encrypted_suffix", value: "_secret" }, path: ["db_secret", "user"], encrypted: true },
    { rule: { kind: "encrypted_suffix", value: "_secret" }, path: ["db", "user"], encrypted: false },
    { rule: { kind: "unencrypted_regex", value: "^(metadata|kind)$" }, path: ["metadata", "name"], encrypted: false },
    { rule: { kind: "unencrypted_regex", value: "^(metadata|kind)$" }, path: ["spec", "kindness"], encrypted: true },
    { rule: { kind: "encrypted_regex", value: "^(data|stringData)$" }, path: ["data", "password"], encrypted: true },
    { rule: { kind: "encrypted_regex", value: "^(data|stringData)$" }, path: ["metadata", "name"], encrypted: false },
    { rule: { kind: "encrypted_regex", value: "^(data|stringData)$" }, path: [], encrypted: false },
    { rule: { kind: "encrypted_regex", value: "(?i)^PASS" }, path: ["password"], encrypted: true },
    { rule: { kind: "encrypted_regex", value: "pass" }, path: ["my_password_x"], encrypted: true },
  ];
  for (const row of table) {
    it(`${row.rule ? `${row.rule.kind}=${row.rule.value}` : "default"} on ${row.path.join(".") || "(root)"} → ${row.encrypted}`, () => {
      expect(shouldEncrypt(compileCryptRule(row.rule), { path: row.path })).toBe(row.encrypted);
    });
  }
});

describe("comment rules (comment stack)", () => {
  const unenc = compileCryptRule({ kind: "unencrypted_comment_regex", value: "sops:plain" });
  const enc = compileCryptRule({ kind: "encrypted_comment_regex", value: "sops:enc" });

  it("unencrypted_comment_regex leaves values under an active matching comment clear", () => {
    expect(shouldEncrypt(unenc, { path: ["a"], commentStack: [[" sops:plain"]] })).toBe(false);
    expect(shouldEncrypt(unenc, { path: ["a", "b"], commentStack: [[" sops:plain"], []] })).toBe(false);
    expect(shouldEncrypt(unenc, { path: ["a"], commentStack: [[" other"]] })).toBe(true);
    // The matching comment itself stays clear.
    expect(shouldEncrypt(unenc, { path: [], commentStack: [[" sops:plain"]], isComment: true })).toBe(false);
  });

  it("encrypted_comment_regex encrypts only under a matching comment and skips the marker itself", () => {
    expect(shouldEncrypt(enc, { path: ["a"], commentStack: [[]] })).toBe(false);
    expect(shouldEncrypt(enc, { path: ["a"], commentStack: [[" sops:enc"]] })).toBe(true);
    expect(shouldEncrypt(enc, { path: [], commentStack: [[" sops:enc"]], isComment: true })).toBe(false);
    expect(shouldEncrypt(enc, { path: [], commentStack: [[" sops:enc", " next"]], isComment: true })).toBe(true);
    // An outer-level marker stays active for nested values and comments.
    expect(shouldEncrypt(enc, { path: ["p"], commentStack: [[" sops:enc"], [" inner"]], isComment: true })).toBe(true);
  });

  it("path rules ignore comments and comment rules ignore paths", () => {
    expect(compileCryptRule(undefined).usesComments).toBe(false);
    expect(enc.usesComments).toBe(true);
    expect(enc.matchesKey("sops:enc")).toBe(false);
  });
});

describe("selectCryptRule", () => {
  it("returns the single set rule and ignores empty strings", () => {
    expect(selectCryptRule({ encrypted_regex: "^data$", unencrypted_suffix: "" })).toEqual({ kind: "encrypted_regex", value: "^data$" });
    expect(selectCryptRule({})).toBeUndefined();
  });

  it("rejects two rules with CRYPT_RULE_CONFLICT", () => {
    expect(code(() => selectCryptRule({ encrypted_regex: "a", unencrypted_suffix: "_u" }))).toBe("CRYPT_RULE_CONFLICT");
  });
});

describe("compileRe2", () => {
  it("translates common RE2 syntax", () => {
    expect(compileRe2("(?i)^data$").test("DATA")).toBe(true);
    expect(compileRe2("(?P<name>ab)+").test("abab")).toBe(true);
    expect(compileRe2("\\Adata\\z").test("data")).toBe(true);
    expect(compileRe2("\\Adata\\z").test("xdata")).toBe(false);
    expect(compileRe2("^[[:digit:]]+$").test("123")).toBe(true);
    expect(compileRe2("^[[:alpha:]_]+$").test("a_b")).toBe(true);
    expect(compileRe2("\\Qa.b\\E").test("a.b")).toBe(true);
    expect(compileRe2("\\Qa.b\\E").test("axb")).toBe(false);
    expect(compileRe2("^\\pL+$").test("café")).toBe(true);
    expect(compileRe2("^[]a]$").test("]")).toBe(true);
  });

  it("rejects constructs RE2 or JS cannot share", () => {
    for (const bad of ["(?=a)", "(?<!a)b", "(a)\\1", "a(?i)b", "(?U)a", "[a", "(?i:a)"]) {
      expect(code(() => compileRe2(bad, "CONFIG_INVALID"))).toBe("CONFIG_INVALID");
    }
    expect(code(() => compileCryptRule({ kind: "encrypted_regex", value: "(?=x)" }))).toBe("METADATA_INVALID");
  });
});
