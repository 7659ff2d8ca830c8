import { describe, expect, it } from "vitest";
import { CofferError } from "../../../src/errors.js";
import { TreeMap } from "../../../src/core/tree.js";
import type { TreeValue } from "../../../src/core/tree.js";
import type { KeyGroup } from "../../../src/provider.js";
import { parseConfig } from "../../../src/config/parse.js";
import { errorCodeOf as codeOf } from "../../helpers/errors.js";

const AGE1 = "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p";
const AGE2 = "age1lggyhqrw2nlhcxprm67z43rta597azn8gknawjehu9d9dl0jq3yqqvfafg";
const FP1 = "FBC7B9E2A4F9289AC0C1D4843D16CEE4A27381B4";
const FP2 = "D7229043384BCC60326C6FB9D8720D957C3D3074";
const ARN = "arn:aws:kms:us-east-1:656532927350:key/920aff2e-c5f1-4040-943a-047fa387b27e";
const ROLE = "arn:aws:iam::927034868273:role/sops-dev-xyz";
const GCP = "projects/p/locations/global/keyRings/r/cryptoKeys/k";

const parse = (text: string) => parseConfig(text, { path: "/repo/.sops.yaml" });

/** Plain view of key groups: [[type, {field: value}]] */
function plain(groups: KeyGroup[]) {
  const fields = (map: TreeMap): Record<string, unknown> =>
    Object.fromEntries(map.entries().map(({ key, value }) => [key, value instanceof TreeMap ? fields(value) : (value as TreeValue)]));
  return groups.map((group) => group.map((stanza) => [stanza.type, fields(stanza.fields)]));
}


describe("parseConfig: flat key fields", () => {
  it("accepts comma-separated strings and lists alike", () => {
    const fromString = parse(`creation_rules:\n  - age: "${AGE1}, ${AGE2},"\n    pgp: ${FP1},${FP2}\n`);
    const fromList = parse(`creation_rules:\n  - age: [${AGE1}, ${AGE2}]\n    pgp:\n      - ${FP1}\n      - ${FP2}\n`);
    const expected = [
      [
        ["age", { recipient: AGE1 }],
        ["age", { recipient: AGE2 }],
        ["pgp", { fp: FP1 }],
        ["pgp", { fp: FP2 }],
      ],
    ];
    expect(plain(fromString.creationRules![0]!.keyGroups)).toEqual(expected);
    expect(plain(fromList.creationRules![0]!.keyGroups)).toEqual(expected);
  });

  it("orders a flat group age, pgp, kms, gcp_kms, hckms, azure, vault and drops duplicates", () => {
    const config = parse(`creation_rules:
  - hc_vault_transit_uri: https://vault.example.org:8200/v1/sops/transit/keys/k1
    azure_keyvault: https://v.vault.azure.net/keys/name/0123abcd
    hckms: ['tr-west-1:1234-abcd']
    gcp_kms: ${GCP}
    kms: ${ARN}
    pgp: ${FP1}
    age: ${AGE1},${AGE1}
`);
    const types = config.creationRules![0]!.keyGroups[0]!.map((stanza) => stanza.type);
    expect(types).toEqual(["age", "pgp", "kms", "gcp_kms", "hckms", "azure_kv", "hc_vault"]);
  });

  it("splits kms arn+role and applies aws_profile to flat kms keys", () => {
    const config = parse(`creation_rules:\n  - kms: '${ARN}+${ROLE}, ${ARN.replace("us-east-1", "eu-west-1")}'\n    aws_profile: prod\n`);
    expect(plain(config.creationRules![0]!.keyGroups)).toEqual([
      [
        ["kms", { arn: ARN, role: ROLE, aws_profile: "prod" }],
        ["kms", { arn: ARN.replace("us-east-1", "eu-west-1"), aws_profile: "prod" }],
      ],
    ]);
  });

  it("splits a vault transit uri into address, engine path and key name", () => {
    const config = parse(`creation_rules:\n  - hc_vault_transit_uri: "https://vault.example.org:8200/v1/team/a/transit/keys/first"\n`);
    expect(plain(config.creationRules![0]!.keyGroups)).toEqual([
      [["hc_vault", { vault_address: "https://vault.example.org:8200", engine_path: "team/a/transit", key_name: "first" }]],
    ]);
  });

  it("rejects a vault uri with a prefix before /v1/", () => {
    expect(codeOf(() => parse(`creation_rules:\n  - hc_vault_transit_uri: https://h:8200/proxy/v1/transit/keys/k\n`))).toBe("KEY_INVALID");
  });

  it("parses azure key urls with and without a version", () => {
    const config = parse(`creation_rules:\n  - azure_keyvault: https://v.vault.azure.net/keys/one/abc,https://v.vault.azure.net/keys/two\n`);
    expect(plain(config.creationRules![0]!.keyGroups)).toEqual([
      [
        ["azure_kv", { vault_url: "https://v.vault.azure.net", name: "one", version: "abc" }],
        ["azure_kv", { vault_url: "https://v.vault.azure.net", name: "two", version: "" }],
      ],
    ]);
  });

  it("gives a rule without keys no key groups", () => {
    expect(parse(`creation_rules:\n  - path_regex: x\n`).creationRules![0]!.keyGroups).toEqual([]);
  });

  it("rejects malformed recipients with KEY_INVALID naming the rule", () => {
    const error = (() => {
      try {
        parse(`creation_rules:\n  - age: ${AGE1}\n  - age: not-a-key\n`);
      } catch (e) {
        return e as CofferError;
      }
      return undefined;
    })();
    expect(error?.code).toBe("KEY_INVALID");
    expect(error?.message).toContain("creation rule 2");
    expect(codeOf(() => parse(`creation_rules:\n  - pgp: XYZ123\n`))).toBe("KEY_INVALID");
    expect(codeOf(() => parse(`creation_rules:\n  - kms: not-an-arn\n`))).toBe("KEY_INVALID");
    expect(codeOf(() => parse(`creation_rules:\n  - gcp_kms: projects/p\n`))).toBe("KEY_INVALID");
  });

  it("accepts ssh public keys as age recipients", () => {
    const ssh = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFoo user@host";
    const config = parse(`creation_rules:\n  - age: ["${ssh}"]\n`);
    expect(plain(config.creationRules![0]!.keyGroups)).toEqual([[["age", { recipient: ssh }]]]);
  });
});

describe("parseConfig: key_groups", () => {
  it("builds one group per entry with typed kms, gcp, azure, vault and hckms entries", () => {
    const config = parse(`creation_rules:
  - path_regex: prod
    shamir_threshold: 2
    key_groups:
      - age: ["${AGE1},${AGE2}"]
        kms:
          - arn: ${ARN}
            role: ${ROLE}
            context: {Env: prod, Team: a}
            aws_profile: p
      - pgp: [${FP1}]
        gcp_kms: [{resource_id: ${GCP}}]
        azure_keyvault: [{vaultUrl: "https://v.vault.azure.net", key: k, version: v1}]
        hc_vault: ["https://vault:8200/v1/transit/keys/k"]
        hckms: [{key_id: "r:uuid"}]
`);
    const rule = config.creationRules![0]!;
    expect(rule.flat).toBe(false);
    expect(rule.shamirThreshold).toBe(2);
    expect(plain(rule.keyGroups)).toEqual([
      [
        ["age", { recipient: AGE1 }],
        ["age", { recipient: AGE2 }],
        ["kms", { arn: ARN, role: ROLE, context: { Env: "prod", Team: "a" }, aws_profile: "p" }],
      ],
      [
        ["pgp", { fp: FP1 }],
        ["gcp_kms", { resource_id: GCP }],
        ["hckms", { key_id: "r:uuid" }],
        ["azure_kv", { vault_url: "https://v.vault.azure.net", name: "k", version: "v1" }],
        ["hc_vault", { vault_address: "https://vault:8200", engine_path: "transit", key_name: "k" }],
      ],
    ]);
  });

  it("merges nested groups (merged keys first) and de-duplicates", () => {
    const config = parse(`creation_rules:
  - key_groups:
      - merge:
          - age: [${AGE1}]
          - age: [${AGE2}]
            merge:
              - pgp: [${FP1}]
        age: [${AGE1}]
        pgp: [${FP2}]
`);
    expect(plain(config.creationRules![0]!.keyGroups)).toEqual([
      [
        ["age", { recipient: AGE1 }],
        ["pgp", { fp: FP1 }],
        ["age", { recipient: AGE2 }],
        ["pgp", { fp: FP2 }],
      ],
    ]);
  });

  it("ignores flat fields when key_groups is set, with a warning", () => {
    const config = parse(`creation_rules:\n  - age: ${AGE2}\n    key_groups:\n      - age: [${AGE1}]\n`);
    expect(plain(config.creationRules![0]!.keyGroups)).toEqual([[["age", { recipient: AGE1 }]]]);
    expect(config.warnings.some((w) => w.includes("age"))).toBe(true);
  });

  it("rejects an empty group, a +role arn in a group, a bad context and a threshold above the group count", () => {
    expect(codeOf(() => parse(`creation_rules:\n  - key_groups:\n      - {}\n`))).toBe("CONFIG_INVALID");
    expect(codeOf(() => parse(`creation_rules:\n  - key_groups:\n      - kms: [{arn: "${ARN}+${ROLE}"}]\n`))).toBe("KEY_INVALID");
    expect(codeOf(() => parse(`creation_rules:\n  - key_groups:\n      - kms: [{arn: "${ARN}", context: {a: [1]}}]\n`))).toBe("CONFIG_INVALID");
    const groups = `key_groups:\n      - age: [${AGE1}]\n      - age: [${AGE2}]\n`;
    expect(codeOf(() => parse(`creation_rules:\n  - shamir_threshold: 3\n    ${groups}`))).toBe("CONFIG_INVALID");
    expect(parse(`creation_rules:\n  - shamir_threshold: 0\n    ${groups}`).creationRules![0]!.shamirThreshold).toBeUndefined();
  });
});

describe("parseConfig: crypt rules, flags and stores", () => {
  it("reads each of the six crypt selectors and mac_only_encrypted", () => {
    const kinds = ["unencrypted_suffix", "encrypted_suffix", "unencrypted_regex", "encrypted_regex", "unencrypted_comment_regex", "encrypted_comment_regex"];
    for (const kind of kinds) {
      const rule = parse(`creation_rules:\n  - ${kind}: '^(data|x)$'\n    mac_only_encrypted: true\n`).creationRules![0]!;
      expect(rule.cryptRule).toEqual({ kind, value: "^(data|x)$" });
      expect(rule.macOnlyEncrypted).toBe(true);
    }
    const none = parse(`creation_rules:\n  - age: ${AGE1}\n`).creationRules![0]!;
    expect(none.cryptRule).toBeUndefined();
    expect(none.macOnlyEncrypted).toBe(false);
  });

  it("rejects two crypt selectors in one rule with CRYPT_RULE_CONFLICT", () => {
    expect(codeOf(() => parse(`creation_rules:\n  - encrypted_regex: a\n    unencrypted_suffix: _u\n`))).toBe("CRYPT_RULE_CONFLICT");
    // an empty string counts as unset, as in sops
    expect(parse(`creation_rules:\n  - encrypted_regex: a\n    unencrypted_suffix: ""\n`).creationRules![0]!.cryptRule?.kind).toBe("encrypted_regex");
  });

  it("rejects crypt regexes RE2 would not accept", () => {
    expect(codeOf(() => parse(`creation_rules:\n  - encrypted_regex: '(?=data)'\n`))).toBe("CONFIG_INVALID");
  });

  it("reads store indents", () => {
    const config = parse(`stores:\n  yaml: {indent: 4}\n  json: {indent: -1}\n  json_binary: {indent: 2}\ncreation_rules: []\n`);
    expect(config.stores.yaml?.indent).toBe(4);
    expect(config.stores.json?.indent).toBe(-1);
    expect(config.stores.json_binary?.indent).toBe(2);
    expect(codeOf(() => parse(`stores:\n  yaml: {indent: wide}\n`))).toBe("CONFIG_INVALID");
  });

  it("distinguishes a missing creation_rules from an empty list", () => {
    expect(parse(`stores: {}\n`).creationRules).toBeUndefined();
    expect(parse(``).creationRules).toBeUndefined();
    expect(parse(`creation_rules: []\n`).creationRules).toEqual([]);
  });
});

describe("parseConfig: malformed input and warnings", () => {
  it("warns about unknown keys with a suggestion, and about the match-all it causes", () => {
    const config = parse(`creation_rules:\n  - path_regexp: prod\n    age: ${AGE1}\n    encrypted_regexx: data\ncreation_rule: []\n`);
    expect(config.warnings.some((w) => w.includes("path_regexp") && w.includes("creation rule 1") && w.includes("path_regex?"))).toBe(true);
    expect(config.warnings.some((w) => w.includes("encrypted_regexx") && w.includes("encrypted_regex?"))).toBe(true);
    expect(config.warnings.some((w) => w.includes("creation_rule ") && w.includes("creation_rules?"))).toBe(true);
    expect(config.warnings.some((w) => w.includes("matches every file"))).toBe(true);
    expect(config.creationRules![0]!.pathRegex).toBe("");
  });

  it("rejects yaml errors, duplicate keys, wrong types and alias bombs with CONFIG_INVALID", () => {
    expect(codeOf(() => parse(`creation_rules: [\n`))).toBe("CONFIG_INVALID");
    expect(codeOf(() => parse(`creation_rules:\n  - age: ${AGE1}\n    age: ${AGE2}\n`))).toBe("CONFIG_INVALID");
    expect(codeOf(() => parse(`- just a list\n`))).toBe("CONFIG_INVALID");
    expect(codeOf(() => parse(`creation_rules: {age: x}\n`))).toBe("CONFIG_INVALID");
    expect(codeOf(() => parse(`creation_rules:\n  - age: {a: b}\n`))).toBe("CONFIG_INVALID");
    expect(codeOf(() => parse(`creation_rules:\n  - mac_only_encrypted: "yes"\n`))).toBe("CONFIG_INVALID");
    expect(codeOf(() => parse(`creation_rules:\n  - shamir_threshold: 1.5\n`))).toBe("CONFIG_INVALID");
    expect(codeOf(() => parse(`creation_rules:\n  - hckms: "r:uuid"\n`))).toBe("CONFIG_INVALID");
    const bomb = ["a: &a [x, x, x, x, x, x, x, x, x]"];
    for (let i = 1; i < 9; i++) bomb.push(`${"b".repeat(i)}: &${"b".repeat(i)} [${Array(9).fill(i === 1 ? "*a" : `*${"b".repeat(i - 1)}`).join(", ")}]`);
    expect(codeOf(() => parse(bomb.join("\n")))).toBe("CONFIG_INVALID");
  });

  it("accepts anchors and merge keys used to share key lists", () => {
    const config = parse(`x-keys: &keys\n  age: ${AGE1}\ncreation_rules:\n  - <<: *keys\n    path_regex: a\n`);
    expect(plain(config.creationRules![0]!.keyGroups)).toEqual([[["age", { recipient: AGE1 }]]]);
  });

  it("rejects a path_regex with look-around", () => {
    expect(codeOf(() => parse(`creation_rules:\n  - path_regex: '(?!secret)'\n`))).toBe("CONFIG_INVALID");
  });
});
