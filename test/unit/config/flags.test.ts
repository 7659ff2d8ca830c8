import { describe, expect, it } from "vitest";
import { TreeMap } from "../../../src/core/tree.js";
import { keyGroupFromFlags } from "../../../src/config/flags.js";
import { parseEncryptionContext, vaultKeyFromUri, kmsKeyFromArnString } from "../../../src/config/key-templates.js";
import { errorCodeOf as codeOf } from "../../helpers/errors.js";

const AGE1 = "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p";
const AGE2 = "age1lggyhqrw2nlhcxprm67z43rta597azn8gknawjehu9d9dl0jq3yqqvfafg";
const ARN = "arn:aws:kms:us-east-1:656532927350:key/920aff2e-c5f1-4040-943a-047fa387b27e";
const ROLE = "arn:aws:iam::927034868273:role/sops-dev-xyz";


describe("keyGroupFromFlags", () => {
  it("splits comma-separated flag values and drops repeats", () => {
    const group = keyGroupFromFlags({ age: [`${AGE1},${AGE2}`, AGE1] });
    expect(group.map((stanza) => stanza.fields.get("recipient"))).toEqual([AGE1, AGE2]);
  });

  it("builds kms keys with role, context and profile", () => {
    const [key] = keyGroupFromFlags({ kms: [`${ARN}+${ROLE}`], awsProfile: "dev", encryptionContext: "Env:prod,App:x" });
    expect(key?.type).toBe("kms");
    expect(key?.fields.entries().map((e) => e.key)).toEqual(["arn", "role", "context", "aws_profile"]);
    expect(key?.fields.get("arn")).toBe(ARN);
    expect(key?.fields.get("role")).toBe(ROLE);
    expect(key?.fields.get("aws_profile")).toBe("dev");
    expect((key?.fields.get("context") as TreeMap).get("App")).toBe("x");
  });

  it("uses sops' command-line order across key types", () => {
    const group = keyGroupFromFlags({
      age: [AGE1],
      pgp: ["FBC7B9E2A4F9289AC0C1D4843D16CEE4A27381B4"],
      hcVaultTransit: ["https://vault:8200/v1/transit/keys/k"],
      azureKv: ["https://v.vault.azure.net/keys/k/v"],
      gcpKms: ["projects/p/locations/l/keyRings/r/cryptoKeys/k"],
      kms: [ARN],
    });
    expect(group.map((stanza) => stanza.type)).toEqual(["kms", "gcp_kms", "azure_kv", "pgp", "hc_vault", "age"]);
  });

  it("returns an empty group when no flag is given", () => {
    expect(keyGroupFromFlags({})).toEqual([]);
  });

  it("rejects a malformed encryption context with ENCRYPTION_CONTEXT_INVALID", () => {
    expect(codeOf(() => keyGroupFromFlags({ kms: [ARN], encryptionContext: "a:b:c" }))).toBe("ENCRYPTION_CONTEXT_INVALID");
    expect(codeOf(() => keyGroupFromFlags({ kms: [ARN], encryptionContext: "novalue" }))).toBe("ENCRYPTION_CONTEXT_INVALID");
  });

  it("rejects malformed keys with KEY_INVALID", () => {
    expect(codeOf(() => keyGroupFromFlags({ age: ["AGE-SECRET-KEY-1XYZ"] }))).toBe("KEY_INVALID");
    expect(codeOf(() => keyGroupFromFlags({ azureKv: ["https://v.vault.azure.net/secrets/x"] }))).toBe("KEY_INVALID");
    expect(codeOf(() => keyGroupFromFlags({ hckms: ["no-colon"] }))).toBe("KEY_INVALID");
  });
});

describe("key templates", () => {
  it("parses encryption contexts in order, allowing empty values", () => {
    expect(parseEncryptionContext("a:1,b:")).toEqual([
      ["a", "1"],
      ["b", ""],
    ]);
    expect(parseEncryptionContext("")).toEqual([]);
  });

  it("removes spaces from an arn and only splits at an iam role arn", () => {
    const key = kmsKeyFromArnString(` ${ARN} + ${ROLE} `);
    expect(key.fields.get("arn")).toBe(ARN);
    expect(key.fields.get("role")).toBe(ROLE);
    expect(kmsKeyFromArnString(ARN).fields.has("role")).toBe(false);
  });

  it.each([
    ["https://vault.example.org:8200/v1/transit/keys/k", "https://vault.example.org:8200", "transit", "k"],
    ["http://127.0.0.1:8200/v1/a/b/c/keys/name/", "http://127.0.0.1:8200", "a/b/c", "name"],
  ])("splits vault uri %s", (uri, address, engine, name) => {
    const fields = vaultKeyFromUri(uri).fields;
    expect([fields.get("vault_address"), fields.get("engine_path"), fields.get("key_name")]).toEqual([address, engine, name]);
  });

  it.each(["vault:8200/v1/transit/keys/k", "https://vault/transit/keys/k", "https://vault/prefix/v1/transit/keys/k", "https://vault/v1/transit/k"])(
    "rejects vault uri %s",
    (uri) => {
      expect(codeOf(() => vaultKeyFromUri(uri))).toBe("KEY_INVALID");
    },
  );
});
