// Unit tests per rule family: positives name the right rule, negatives stay quiet, checksums are checked.
// Credential-shaped strings are generated at run time (seeded): none is stored in the repository.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createSecretDetector } from "../../src/scan/detect/index.js";
import { keyKind } from "../../src/scan/detect/keys.js";
import { base62, crc32, hasCrc32Base62Checksum } from "../../src/scan/detect/text.js";
import { ALNUM, B64URL, BASE32, HEX, checksummedToken, jwt, pem, rng } from "../corpus/scan/random.mjs";

const detector = createSecretDetector();
const r = rng(42);
const rules = (value: string, key?: string) => detector.detect({ key, value }).map((d) => d.ruleId);
const confidenceOf = (value: string, key?: string) => detector.detect({ key, value })[0]?.confidence;
const b64 = (text: string) => Buffer.from(text).toString("base64");

function expectRule(rule: string, cases: Array<[string | undefined, string]>) {
  for (const [key, value] of cases) expect(rules(value, key), `${key}=${value.slice(0, 40)}`).toContain(rule);
}
function expectNothing(cases: Array<[string | undefined, string]>) {
  for (const [key, value] of cases) expect(rules(value, key), `${key}=${value.slice(0, 60)}`).toEqual([]);
}

describe("checksums", () => {
  it("computes CRC32 and base62 like the published vectors", () => {
    expect(crc32("123456789")).toBe(0xcbf43926);
    expect(base62(0, 6)).toBe("000000");
    expect(base62(61, 1)).toBe("z");
    // The example token of GitHub's format write-up: random part and its checksum.
    expect(hasCrc32Base62Checksum("zQWBuTSOoRi4A9spHcVY5ncnsDkxkJ", "0mLq17")).toBe(true);
  });

  it("gives GitHub and npm tokens high confidence only with a valid checksum", () => {
    const good = checksummedToken(r, "ghp_");
    const bad = good.slice(0, 34) + (good.slice(34) === "AAAAAA" ? "BBBBBB" : "AAAAAA");
    expect(confidenceOf(good)).toBe("high");
    expect(confidenceOf(bad)).toBe("medium");
    expect(confidenceOf(checksummedToken(r, "npm_"))).toBe("high");
    expect(confidenceOf("npm_" + r.chars(ALNUM, 36))).toBe("medium");
  });
});

describe("cloud providers", () => {
  it("finds AWS, GCP, Azure, DigitalOcean and Alibaba credentials", () => {
    expectRule("aws-access-key-id", [[undefined, "AKIA" + r.chars(BASE32, 16)], ["x", `id=ASIA${r.chars(BASE32, 16)};`]]);
    expectRule("aws-secret-access-key", [["AWS_SECRET_ACCESS_KEY", r.chars(ALNUM + "/+", 40)], ["credentials", `[default]\naws_secret_access_key = ${r.chars(ALNUM, 40)}\n`]]);
    expectRule("gcp-api-key", [[undefined, "AIza" + r.chars(B64URL, 35)]]);
    expectRule("gcp-service-account-key", [["key.json", JSON.stringify({ type: "service_account", private_key: pem(r, "PRIVATE KEY", 600) })]]);
    expectRule("azure-storage-key", [["conn", `DefaultEndpointsProtocol=https;AccountName=st1;AccountKey=${r.b64(64)};EndpointSuffix=core.windows.net`]]);
    expectRule("azure-ad-client-secret", [[undefined, `${r.chars(ALNUM, 3)}8Q~${r.chars(ALNUM, 34)}`]]);
    expectRule("digitalocean-token", [[undefined, "dop_v1_" + r.hex(64)]]);
    expectRule("alibaba-access-key-id", [[undefined, "LTAI" + r.chars("abcdefgh", 6) + r.chars("0123456789", 6) + r.chars(ALNUM, 8)]]);
  });

  it("does not take any 40-character string for an AWS secret key without the key name", () => {
    expectNothing([["checksum", r.hex(40)], ["value", r.chars(ALNUM, 40)], [undefined, "AKIAIOSFODNN7EXAMPLE"]]);
  });
});

describe("source hosting, CI and chat", () => {
  it("finds their tokens", () => {
    expectRule("github-token", [[undefined, checksummedToken(r, "gho_")]]);
    expectRule("github-fine-grained-token", [[undefined, `github_pat_${r.chars(ALNUM, 22)}_${r.chars(ALNUM, 59)}`]]);
    expectRule("gitlab-token", [[undefined, "glpat-" + r.chars(B64URL, 20)], [undefined, "glptt-" + r.hex(40)]]);
    expectRule("circleci-token", [[undefined, `CCIPAT_${r.chars(ALNUM, 22)}_${r.hex(40)}`]]);
    expectRule("slack-token", [[undefined, `xoxb-${r.digits(12)}-${r.digits(13)}-${r.chars(ALNUM, 24)}`]]);
    expectRule("slack-webhook", [[undefined, `https://hooks.slack.com/services/T${r.chars("ABCDEFGH0123", 8)}/B${r.chars("ABCDEFGH0123", 10)}/${r.chars(ALNUM, 24)}`]]);
    expectRule("telegram-bot-token", [[undefined, `${r.digits(10)}:AA${r.chars(B64URL, 33)}`]]);
    const id = Buffer.from(r.digits(18)).toString("base64url");
    expectRule("discord-bot-token", [["DISCORD_TOKEN", `${id}.${r.chars(B64URL, 6)}.${r.chars(B64URL, 38)}`]]);
  });

  it("ignores placeholders and truncated lookalikes", () => {
    expectNothing([[undefined, "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"], [undefined, "xoxb-your-token-here"], [undefined, "glpat-"], ["note", "use a github_pat_ token"]]);
  });
});

describe("payment, mail, monitoring, packages, AI and platforms", () => {
  it("finds their tokens", () => {
    expectRule("stripe-secret-key", [[undefined, "sk_live_" + r.chars(ALNUM, 99)]]);
    expect(confidenceOf("sk_test_" + r.chars(ALNUM, 24))).toBe("medium");
    expectRule("sendgrid-api-key", [[undefined, `SG.${r.chars(B64URL, 22)}.${r.chars(B64URL, 43)}`]]);
    expectRule("mailchimp-api-key", [[undefined, `${r.hex(32)}-us14`]]);
    expectRule("datadog-api-key", [["DD_API_KEY", r.hex(32)]]);
    expectRule("newrelic-key", [[undefined, "NRAK-" + r.chars("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 27)]]);
    expectRule("sentry-dsn", [[undefined, `https://${r.hex(32)}@o123456.ingest.sentry.io/4500001`]]);
    expectRule("grafana-token", [[undefined, `glsa_${r.chars(ALNUM, 32)}_${r.hex(8)}`]]);
    expectRule("pypi-token", [[undefined, "pypi-AgEIcHlwaS5vcmc" + r.chars(B64URL, 120)]]);
    expectRule("openai-api-key", [[undefined, `sk-proj-${r.chars(B64URL, 60)}T3BlbkFJ${r.chars(B64URL, 60)}`]]);
    expectRule("anthropic-api-key", [[undefined, `sk-ant-api03-${r.chars(B64URL, 93)}AA`]]);
    expectRule("vault-token", [[undefined, "hvs.CAESI" + r.chars(B64URL, 80)]]);
    expectRule("age-secret-key", [[undefined, "AGE-SECRET-KEY-1" + r.chars("QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L", 58)]]);
    expectRule("shopify-token", [[undefined, "shpat_" + r.hex(32)]]);
    expectRule("twilio-auth-token", [["TWILIO_AUTH_TOKEN", r.hex(32)]]);
  });

  it("needs the key name for formats that are plain hex or UUIDs", () => {
    expectNothing([["request_id", r.uuid()], ["etag", r.hex(32)], ["commit", r.hex(40)]]);
    expectRule("postmark-token", [["POSTMARK_SERVER_TOKEN", r.uuid()]]);
  });
});

describe("private keys, JWTs, connection strings and config files", () => {
  it("finds every private key armour, also base64-encoded", () => {
    for (const label of ["RSA PRIVATE KEY", "EC PRIVATE KEY", "DSA PRIVATE KEY", "PRIVATE KEY", "ENCRYPTED PRIVATE KEY", "OPENSSH PRIVATE KEY", "PGP PRIVATE KEY BLOCK"]) {
      expectRule("private-key", [["tls.key", pem(r, label, 300)]]);
    }
    const found = detector.detect({ key: "tls.key", value: b64(pem(r, "RSA PRIVATE KEY", 600)) });
    expect(found.map((f) => [f.ruleId, f.decodedFrom])).toEqual([["private-key", "base64"]]);
    expectRule("putty-private-key", [["k.ppk", `PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nPublic-Lines: 1\n${r.b64(51)}\nPrivate-Lines: 1\n${r.b64(48)}\n`]]);
  });

  it("leaves public material, certificates and bare headers alone", () => {
    expectNothing([
      ["ca.crt", pem(r, "CERTIFICATE", 600)],
      ["pub.pem", pem(r, "PUBLIC KEY", 294)],
      ["authorized_keys", `ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI${r.b64(32)} me@host`],
      ["tls.key", "-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----"],
      ["caBundle", b64(pem(r, "CERTIFICATE", 600))],
    ]);
  });

  it("finds signed JWTs, and only real ones", () => {
    expectRule("jwt", [["token", jwt(r, { sub: "a", iat: 1 })]]);
    expectNothing([["config", b64(JSON.stringify({ alg: "HS256" }))], ["x", "eyJub3QiOiJqd3QifQ.eyJhIjoxfQ.c2lnbmF0dXJlc2lnbmF0dXJl"]]);
    // Unsigned (alg "none", or no signature part): still a token, but a weaker signal.
    const part = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
    const payload = part({ sub: "a", iat: 1 });
    expect(confidenceOf(jwt(r, { sub: "a", iat: 1 }), "token")).toBe("high");
    expect(confidenceOf(`${part({ alg: "none" })}.${payload}.`, "token")).toBe("low");
    expect(confidenceOf(`${part({ alg: "HS256" })}.${payload}.`, "token")).toBe("low");
    expect(rules(`${part({ alg: "none" })}.${payload}.`, "token")).toEqual(["jwt"]);
  });

  it("finds passwords in URLs, JDBC and ADO.NET strings, but not references or placeholders", () => {
    expectRule("url-password", [["DATABASE_URL", `postgres://app:${r.chars(ALNUM, 14)}@db:5432/app`], ["u", `mongodb+srv://u:${r.chars(ALNUM, 14)}@c0.x.mongodb.net/db`]]);
    expectRule("jdbc-password", [["url", `jdbc:mysql://db:3306/app?user=app&password=${r.chars(ALNUM, 12)}`]]);
    expectRule("connection-string-password", [["cs", `Server=db;Database=x;User ID=u;Password=${r.chars(ALNUM, 12)};`]]);
    expectNothing([["u", "postgres://app:${DB_PASS}@db/app"], ["u", "postgres://user:password@localhost/db"], ["u", "https://github.com/org/repo.git"], ["u", "redis://redis:6379/0"]]);
  });

  it("finds .npmrc and docker config credentials", () => {
    expectRule("npmrc-auth", [[".npmrc", `//registry.npmjs.org/:_authToken=${r.chars(ALNUM, 36)}\n`]]);
    expectRule("docker-config-auth", [["config.json", JSON.stringify({ auths: { "ghcr.io": { auth: b64(`bot:${r.chars(ALNUM, 20)}`) } } })]]);
    expectNothing([[".npmrc", "//registry.npmjs.org/:_authToken=${NPM_TOKEN}\n"], ["config.json", JSON.stringify({ auths: { "ghcr.io": {} }, credsStore: "desktop" })]]);
  });
});

describe("generic key-name rules", () => {
  it("classifies key names", () => {
    expect(keyKind("DB_PASSWORD")).toBe("password");
    expect(keyKind("adminPassword")).toBe("password");
    expect(keyKind("spring.datasource.password")).toBe("password");
    expect(keyKind("client_secret")).toBe("secret");
    expect(keyKind("apiKey")).toBe("secret");
    expect(keyKind("ACCESS_KEY")).toBe("secret");
    for (const key of ["PASSWORD_FILE", "token_url", "secretName", "secretKeyRef", "auth_enabled", "api_key_header", "access_key_id", "tokenizer", "author", "key", "password_hash"]) {
      expect(keyKind(key), key).toBe("none");
    }
  });

  it("flags credential-like values under secret-sounding keys, also inside config texts and base64", () => {
    expectRule("generic-password", [["DB_PASSWORD", "Harbor2024!x"], ["app.properties", `db.password=${r.chars(ALNUM, 14)}\n`], ["password", b64("Tq8!mZ0pLx")]]);
    expectRule("generic-secret", [["JWT_SECRET", r.chars(ALNUM, 48)], ["settings.xml", `<server><token>${r.chars(ALNUM, 30)}</token></server>`]]);
    expect(detector.detect({ key: "password", value: b64("Tq8!mZ0pLx") })[0]?.decodedFrom).toBe("base64");
  });

  it("leaves ciphertext, references, paths, ids, digests and placeholders alone", () => {
    expectNothing([
      ["password", `ENC[AES256_GCM,data:${r.b64(12)},iv:${r.b64(32)},tag:${r.b64(16)},type:str]`],
      ["password", "AgB" + r.b64(600)],
      ["token", `vault:v1:${r.b64(40)}`],
      ["password", "${DB_PASSWORD}"],
      ["password", "{{ .Values.db.password }}"],
      ["password", "ref+vault://secret/db#password"],
      ["password", "<path:secret/data/db#password>"],
      ["token", "/var/run/secrets/tokens/vault"],
      ["secret", r.uuid()],
      ["digest", "sha256:" + r.hex(64)],
      ["image", `nginx@sha256:${r.hex(64)}`],
      ["password", "changeme"],
      ["password", "<password>"],
      ["api_key", "REPLACE_ME"],
      ["token", "***"],
      ["auth", "true"],
      ["token_ttl", "3600"],
      ["age_recipient", "age1" + r.chars("qpzry9x8gf2tvdw0s3jn54khce6mua7l", 58)],
      ["password", "$2b$12$" + r.chars(ALNUM + "./", 53)],
      ["hash", r.chars(HEX, 64)],
    ]);
  });
});

describe("options and rule list", () => {
  it("lists every rule once with a title, help and confidence", () => {
    const ids = detector.rules.map((rule) => rule.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(expect.arrayContaining(["aws-access-key-id", "github-token", "private-key", "jwt", "url-password", "generic-password", "generic-secret"]));
    for (const rule of detector.rules) {
      expect(rule.title.length).toBeGreaterThan(3);
      expect(rule.help.length).toBeGreaterThan(10);
      expect(["high", "medium", "low"]).toContain(rule.confidence);
    }
  });

  it("honours disabledRules, minConfidence and decodeBase64", () => {
    const key = "AKIA" + r.chars(BASE32, 16);
    expect(createSecretDetector({ disabledRules: ["aws-access-key-id"] }).detect({ value: key })).toEqual([]);
    expect(createSecretDetector({ minConfidence: "high" }).detect({ key: "DB_PASSWORD", value: "Harbor2024!x" })).toEqual([]);
    expect(createSecretDetector({ decodeBase64: false }).detect({ key: "tls.key", value: b64(pem(r, "RSA PRIVATE KEY", 600)) })).toEqual([]);
  });
});

describe("anchor index and hostile input", () => {
  const rule = (id: string, anchors: string[]) => ({ rule: { id, title: id, help: id, confidence: "high" as const }, anchors, find: () => [] });

  it("selects the rules whose anchors occur, longer anchors hiding none of the shorter ones", async () => {
    const { AnchorIndex } = await import("../../src/scan/detect/anchor-index.js");
    const index = new AnchorIndex([rule("a", ["_auth"]), rule("b", ["_authToken"]), rule("c", ["://"]), rule("d", ["zz"])], ["token"]);
    expect(index.select("//r/:_authToken=x")).toEqual([0, 1]);
    expect(index.hinted).toBe(false);
    expect(index.select("see https://h and a token")).toEqual([2]);
    expect(index.hinted).toBe(true);
    expect(index.select("nothing here")).toBeUndefined();
    // Non-ASCII text shifts byte positions: anchors after it are still found.
    expect(index.select("héllo wörld → https://x")).toEqual([2]);
  });

  it("finds exactly the anchors a substring search finds (random texts made of anchor fragments)", async () => {
    const { AnchorIndex } = await import("../../src/scan/detect/anchor-index.js");
    // Overlapping anchors (one a prefix, suffix or infix of another), shared rules, and a hint word.
    const rules = [rule("a", ["_auth", "abc"]), rule("b", ["_authToken"]), rule("c", ["://", "bcd"]), rule("d", ["zz", "c:"]), rule("e", ["thTo"])];
    const hints = ["token", "auth"];
    const index = new AnchorIndex(rules, hints);
    const pieces = [...rules.flatMap((r) => r.anchors), ...hints].flatMap((anchor) => [anchor, anchor.slice(0, -1), anchor.slice(1)]);
    const text = fc.array(fc.oneof(fc.constantFrom(...pieces, "é", "→", "\n", " "), fc.string({ maxLength: 3 })), { maxLength: 12 }).map((parts) => parts.join(""));
    fc.assert(
      fc.property(text, (value) => {
        const expected = rules.flatMap((r, i) => (r.anchors.some((anchor) => value.includes(anchor)) ? [i] : []));
        expect(index.select(value) ?? []).toEqual(expected);
        expect(index.hinted).toBe(hints.some((hint) => value.includes(hint)));
      }),
      { numRuns: 3000 },
    );
  });

  it("finds the same assignments line by line as one pass over the whole text would", async () => {
    const { findAssignments } = await import("../../src/scan/detect/generic.js");
    // The reference: the assignment pattern over the whole text, keeping names with a hint word.
    const assignment = /(?<![A-Za-z0-9_.])([A-Za-z_][A-Za-z0-9_.-]{0,80})["']?[ \t]*[:=][ \t]*(?:"([^"\r\n]*)"|'([^'\r\n]*)'|((?:(?:Bearer|Basic|Token) )?(?:\$\{[^}\s]*\}|[^\s,;#}\]"'])+))/g;
    const hint = /pass|pwd|pw\b|secret|token|key|cred|auth|bearer|hmac/i;
    const reference = (text: string) =>
      [...text.matchAll(assignment)]
        .filter((m) => hint.test(m[1]!))
        .map((m) => {
          const value = m[2] ?? m[3] ?? m[4] ?? "";
          const end = m.index + m[0].length - (m[4] === undefined ? 1 : 0);
          return { name: m[1]!, start: end - value.length, end };
        });
    const pieces = ["password", "PWD", "pw", "api_key", "token", "x", "a.b", "=", ": ", ":", "\"v\"", "'v'", "${V}", "Bearer ", " ", "\t", "\n", "\r\n", ";", "#", "s3cr3t", "é"];
    const text = fc.array(fc.constantFrom(...pieces), { maxLength: 30 }).map((parts) => parts.join(""));
    fc.assert(
      fc.property(text, (value) => {
        expect(findAssignments(value, true)).toEqual(reference(value));
      }),
      { numRuns: 5000 },
    );
    expect(findAssignments("a=1\nspring.datasource.password=hunter2x\ntoken: 'abc'\n")).toEqual([
      { name: "spring.datasource.password", start: 31, end: 39 },
      { name: "token", start: 48, end: 51 },
    ]);
  });

  it("stays linear on long adversarial values (anchors repeated without a credential)", () => {
    for (const unit of ["eyJa.", "ghp_", "-----BEGIN PRIVATE KEY-----a", "a://b:c", "password=", "<password>a</", "AccountKey= ", "xoxb-1-"]) {
      const value = unit.repeat(Math.ceil(100_000 / unit.length));
      expect(Array.isArray(detector.detect({ key: "password", value }))).toBe(true);
    }
  });
});
