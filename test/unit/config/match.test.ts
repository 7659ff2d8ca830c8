import { describe, expect, it } from "vitest";
import { CofferError } from "../../../src/errors.js";
import { TreeMap } from "../../../src/core/tree.js";
import { parseConfig } from "../../../src/config/parse.js";
import { matchCreationRule } from "../../../src/config/match.js";
import { errorCodeOf as codeOf } from "../../helpers/errors.js";

const AGE1 = "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p";
const AGE2 = "age1lggyhqrw2nlhcxprm67z43rta597azn8gknawjehu9d9dl0jq3yqqvfafg";
const ARN = "arn:aws:kms:us-east-1:656532927350:key/920aff2e-c5f1-4040-943a-047fa387b27e";

const CONFIG = parseConfig(
  `creation_rules:
  - path_regex: ^prod/.*\\.yaml$
    age: ${AGE1}
    encrypted_regex: ^(data|stringData)$
  - path_regex: \\.dev\\.yaml$
    age: ${AGE2}
    mac_only_encrypted: true
  - path_regex: (?i)^SHOUT/
    age: ${AGE2}
  - path_regex: ^/elsewhere/
    kms: ${ARN}
`,
  { path: "/repo/.sops.yaml" },
);

const recipientOf = (rule: ReturnType<typeof matchCreationRule>) => rule?.keyGroups[0]?.[0]?.fields.get("recipient");
const match = (filePath: string, extra: { required?: boolean } = {}) => matchCreationRule(CONFIG, { filePath, configDir: "/repo", ...extra });


describe("matchCreationRule", () => {
  it.each([
    // [file, expected rule marker]
    ["/repo/prod/db.yaml", AGE1], // prefix stripped, ^ anchors at the relative path
    ["/repo/prod/app.dev.yaml", AGE1], // first match wins over rule 2
    ["/repo/team/app.dev.yaml", AGE2], // unanchored search
    ["/repo/shout/x.yaml", AGE2], // (?i) at the start becomes the i flag
    ["/repo/SHOUT/x.yaml", AGE2],
    ["/other/app.dev.yaml", AGE2], // outside the config dir: matched on the absolute path
  ])("%s -> expected rule", (file, recipient) => {
    expect(recipientOf(match(file))).toBe(recipient);
  });

  it("matches files outside the config directory on their absolute path", () => {
    // ^prod/ cannot match /other/prod/x.yaml (absolute path), and ^/elsewhere/ needs the absolute path
    expect(codeOf(() => match("/other/prod/x.yaml"))).toBe("NO_MATCHING_RULE");
    expect(match("/elsewhere/x.json")?.keyGroups[0]?.[0]?.type).toBe("kms");
    // a sibling directory sharing the prefix is not "inside" the config directory
    expect(codeOf(() => match("/repository/prod/x.yaml"))).toBe("NO_MATCHING_RULE");
  });

  it("returns the rule's crypt rule and flags", () => {
    const prod = match("/repo/prod/x.yaml");
    expect(prod?.cryptRule).toEqual({ kind: "encrypted_regex", value: "^(data|stringData)$" });
    expect(prod?.macOnlyEncrypted).toBe(false);
    expect(match("/repo/a.dev.yaml")?.macOnlyEncrypted).toBe(true);
  });

  it("throws NO_MATCHING_RULE with the patterns in the hint, or returns undefined when not required", () => {
    const error = (() => {
      try {
        match("/repo/nothing.txt");
      } catch (e) {
        return e as CofferError;
      }
      return undefined;
    })();
    expect(error?.code).toBe("NO_MATCHING_RULE");
    expect(error?.hint).toContain("\\.dev\\.yaml$");
    expect(match("/repo/nothing.txt", { required: false })).toBeUndefined();
  });

  it("treats a config without creation_rules as no config, and an empty list as matching nothing", () => {
    const none = parseConfig("stores: {}\n", { path: "/repo/.sops.yaml" });
    expect(matchCreationRule(none, { filePath: "/repo/a.yaml", configDir: "/repo" })).toBeUndefined();
    const empty = parseConfig("creation_rules: []\n", { path: "/repo/.sops.yaml" });
    expect(codeOf(() => matchCreationRule(empty, { filePath: "/repo/a.yaml" }))).toBe("NO_MATCHING_RULE");
  });

  it("lets an empty or absent path_regex match everything, in order", () => {
    const config = parseConfig(`creation_rules:\n  - path_regex: ''\n    age: ${AGE1}\n  - age: ${AGE2}\n`, { path: "/repo/.sops.yaml" });
    expect(recipientOf(matchCreationRule(config, { filePath: "/anything/at/all" }))).toBe(AGE1);
  });

  it("defaults the config directory to the config file's directory", () => {
    expect(recipientOf(matchCreationRule(CONFIG, { filePath: "/repo/prod/db.yaml" }))).toBe(AGE1);
  });

  it("returns copies: changing a result does not change the next match", () => {
    const first = match("/repo/prod/db.yaml");
    first?.keyGroups[0]?.[0]?.fields.set("enc", "wrapped");
    first?.keyGroups[0]?.push({ type: "age", fields: TreeMap.from({ recipient: AGE2 }) });
    const second = match("/repo/prod/db.yaml");
    expect(second?.keyGroups[0]).toHaveLength(1);
    expect(second?.keyGroups[0]?.[0]?.fields.has("enc")).toBe(false);
  });

  it("applies --encryption-context to kms keys of flat rules, before aws_profile", () => {
    const rule = matchCreationRule(CONFIG, { filePath: "/elsewhere/x", encryptionContext: "Env:prod,Team:a" });
    const fields = rule?.keyGroups[0]?.[0]?.fields;
    expect(fields?.entries().map((e) => e.key)).toEqual(["arn", "context", "aws_profile"]);
    const context = fields?.get("context") as TreeMap;
    expect(context.entries()).toEqual([
      { key: "Env", value: "prod" },
      { key: "Team", value: "a" },
    ]);
    expect(codeOf(() => matchCreationRule(CONFIG, { filePath: "/elsewhere/x", encryptionContext: "bad" }))).toBe("ENCRYPTION_CONTEXT_INVALID");
  });
});

describe("path_regex translation from Go RE2", () => {
  const compile = (pattern: string) => parseConfig(`creation_rules:\n  - path_regex: '${pattern}'\n`, { path: "/r/.sops.yaml" }).creationRules![0]!.pathPattern!;

  it.each([
    ["(?i)secret", "SECRET.yaml", true],
    ["(?P<env>prod|dev)/", "dev/x", true],
    ["\\Qa.b\\E$", "a.b", true],
    ["\\Qa.b\\E$", "axb", false],
    ["^[[:alpha:]]+/", "abc/x", true],
    ["^[[:alpha:]]+/", "1bc/x", false],
    ["\\.ya?ml$", "x.yml", true],
    ["\\.ya?ml$", "x.yaml.bak", false],
    ["^prod\\z", "prod", true],
    ["^prod\\z", "prod/x", false],
  ])("%s on %s -> %s", (pattern, path, expected) => {
    expect(compile(pattern).test(path)).toBe(expected);
  });

  it.each(["(?=x)", "(?<=x)y", "(?<!x)y", "(a)\\1", "a(?i)b", "(?U)a+"])("rejects %s with CONFIG_INVALID", (pattern) => {
    expect(codeOf(() => compile(pattern))).toBe("CONFIG_INVALID");
  });
});
