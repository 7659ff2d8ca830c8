/**
 * The PGP provider against the real gpg binary, in temporary GNUPGHOMEs (each one's agent is
 * killed in afterAll).
 */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect } from "vitest";
import { TreeMap } from "../../../../src/core/tree.js";
import { isCofferError } from "../../../../src/errors.js";
import type { KeyStanza } from "../../../../src/provider.js";
import { createPgpProvider, loadPgpProvider } from "../../../../providers/pgp/index.js";
import { hasBinary, itWithBinary } from "../../../helpers/binaries.js";
import { createGnupgHome, type TempGnupgHome } from "../../../helpers/gnupg-home.js";

const it = itWithBinary("gpg");
const GETSOPS = fileURLToPath(new URL("../../../../../shared/fixtures/sops/getsops/", import.meta.url));
const CLOCK = new Date("2026-11-23T12:00:00.456Z");

let home: TempGnupgHome;
let empty: TempGnupgHome;
let fingerprint: string;

beforeAll(() => {
  if (!hasBinary("gpg")) return;
  home = createGnupgHome();
  empty = createGnupgHome();
  fingerprint = home.generateKey("Coffer Test <t@example.org>");
}, 120_000);

afterAll(() => {
  home?.close();
  empty?.close();
});

function pgpKey(fp: string, extra: Record<string, string> = {}): KeyStanza {
  return { type: "pgp", fields: TreeMap.from({ fp, ...extra }) };
}

async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    (value) => new Error(`expected a failure, got ${String(value)}`),
    (error: unknown) => error,
  );
}

/** The first pgp stanza of a fixture JSON file (JSON is the easiest of the fixture formats to read here). */
function fixtureStanzas(): Array<{ fp: string; enc: string }> {
  const file = JSON.parse(readFileSync(`${GETSOPS}example.json`, "utf8")) as { sops: { pgp: Array<{ fp: string; enc: string }> } };
  return file.sops.pgp;
}

describe("pgp provider with gpg", () => {
  it("wraps in the §6.2 layout: fp as configured, created_at, trimmed armored enc", async () => {
    const provider = createPgpProvider({ env: home.env, now: () => CLOCK });
    const configured = fingerprint.toLowerCase().replace(/(.{4})/g, "$1 ").trim();
    const wrapped = await provider.wrap(randomBytes(32), pgpKey(configured));
    expect(wrapped.type).toBe("pgp");
    expect(wrapped.fields.entries().map((entry) => entry.key)).toEqual(["fp", "created_at", "enc"]);
    expect(wrapped.fields.get("fp")).toBe(configured);
    expect(wrapped.fields.get("created_at")).toBe("2026-11-23T12:00:00Z");
    const enc = String(wrapped.fields.get("enc"));
    expect(enc.startsWith("-----BEGIN PGP MESSAGE-----\n")).toBe(true);
    expect(enc.endsWith("-----END PGP MESSAGE-----")).toBe(true);
  }, 30_000);

  it("keeps fields of the template it does not know", async () => {
    const provider = createPgpProvider({ env: home.env });
    const wrapped = await provider.wrap(randomBytes(32), pgpKey(fingerprint, { comment_from_config: "kept" }));
    expect(wrapped.fields.get("comment_from_config")).toBe("kept");
  }, 30_000);

  it("round-trips a data key and a Shamir share", async () => {
    const provider = createPgpProvider({ env: home.env });
    for (const size of [32, 33]) {
      const secret = randomBytes(size);
      const wrapped = await provider.wrap(secret, pgpKey(fingerprint));
      expect(Buffer.from((await provider.unwrap(wrapped)) ?? []).equals(secret)).toBe(true);
    }
  }, 30_000);

  it("writes messages plain `gpg -d` opens (interop)", async () => {
    const secret = randomBytes(32);
    const wrapped = await createPgpProvider({ env: home.env }).wrap(secret, pgpKey(fingerprint));
    const opened = spawnSync("gpg", ["--batch", "-d"], { env: home.env, input: String(wrapped.fields.get("enc")) });
    expect(opened.status).toBe(0);
    expect(opened.stdout.equals(secret)).toBe(true);
  }, 30_000);

  it("opens messages written by sops' own gpg command line", async () => {
    const secret = randomBytes(32);
    const args = ["--no-default-recipient", "--yes", "--encrypt", "-a", "-r", fingerprint, "--trusted-key", fingerprint.slice(-16), "--no-encrypt-to"];
    const enc = home.gpg(args, secret).stdout.toString("utf8").trim();
    const unwrapped = await createPgpProvider({ env: home.env }).unwrap(pgpKey(fingerprint, { created_at: "2019-12-10T22:45:55Z", enc }));
    expect(Buffer.from(unwrapped ?? []).equals(secret)).toBe(true);
  }, 30_000);

  it("returns null for a stanza that is not pgp, without running gpg", async () => {
    const provider = createPgpProvider({ gpgExecutable: "/nonexistent/gpg" });
    expect(await provider.unwrap({ type: "age", fields: TreeMap.from({ recipient: "age1x", enc: "x" }) })).toBeNull();
  });

  it("a stanza for a key we do not hold is NO_MATCHING_KEY, naming the key", async () => {
    const [stanza] = fixtureStanzas();
    const error = await failureOf(createPgpProvider({ env: home.env }).unwrap(pgpKey(stanza!.fp, { enc: stanza!.enc })));
    expect(isCofferError(error, "NO_MATCHING_KEY"), String(error)).toBe(true);
    expect((error as Error).message).toContain(stanza!.fp);
  }, 30_000);

  it("GNUPGHOME comes from the context env: another keyring cannot unwrap", async () => {
    const secret = randomBytes(32);
    const wrapped = await createPgpProvider({ env: home.env }).wrap(secret, pgpKey(fingerprint));
    const own = await loadPgpProvider({ env: home.env, homeDir: "/nonexistent", platform: process.platform });
    expect(Buffer.from((await own.unwrap(wrapped)) ?? []).equals(secret)).toBe(true);
    const other = await loadPgpProvider({ env: empty.env, homeDir: "/nonexistent", platform: process.platform });
    expect(isCofferError(await failureOf(other.unwrap(wrapped)), "NO_MATCHING_KEY")).toBe(true);
  }, 30_000);

  it("a corrupted or missing message is CIPHERTEXT_INVALID", async () => {
    const provider = createPgpProvider({ env: home.env });
    const wrapped = await provider.wrap(randomBytes(32), pgpKey(fingerprint));
    const enc = String(wrapped.fields.get("enc"));
    const lines = enc.split("\n");
    const body = lines[2]!;
    lines[2] = body.slice(0, 10) + (body[10] === "A" ? "B" : "A") + body.slice(11);
    for (const broken of [lines.join("\n"), "-----BEGIN PGP MESSAGE-----\n\nAAAA\n-----END PGP MESSAGE-----", "not pgp"]) {
      const error = await failureOf(provider.unwrap(pgpKey(fingerprint, { enc: broken })));
      expect(isCofferError(error, "CIPHERTEXT_INVALID"), String(error)).toBe(true);
    }
    const noEnc = await failureOf(provider.unwrap(pgpKey(fingerprint)));
    expect(isCofferError(noEnc, "CIPHERTEXT_INVALID")).toBe(true);
  }, 30_000);

  it("wrapping for a key missing from the keyring is PROVIDER_DENIED; a malformed fp KEY_INVALID", async () => {
    const provider = createPgpProvider({ env: home.env });
    const missing = await failureOf(provider.wrap(randomBytes(32), pgpKey("0000111122223333444455556666777788889999")));
    expect(isCofferError(missing, "PROVIDER_DENIED"), String(missing)).toBe(true);
    const malformed = await failureOf(provider.wrap(randomBytes(32), pgpKey("--homedir=/tmp")));
    expect(isCofferError(malformed, "KEY_INVALID")).toBe(true);
  }, 30_000);
});

describe("pgp provider with a passphrase-protected key", () => {
  let locked: TempGnupgHome;
  let lockedFingerprint: string;

  beforeAll(() => {
    if (!hasBinary("gpg")) return;
    locked = createGnupgHome({ agentCacheOff: true });
    lockedFingerprint = locked.generateKey("Coffer Locked <l@example.org>", "correct horse");
  }, 120_000);

  afterAll(() => locked?.close());

  it("unwraps with the passphrase option (loopback), and a wrong one is PROVIDER_DENIED", async () => {
    const secret = randomBytes(32);
    const wrapped = await createPgpProvider({ env: locked.env }).wrap(secret, pgpKey(lockedFingerprint));
    const wrong = await failureOf(createPgpProvider({ env: locked.env, passphrase: "wrong" }).unwrap(wrapped));
    expect(isCofferError(wrong, "PROVIDER_DENIED"), String(wrong)).toBe(true);
    const right = await createPgpProvider({ env: locked.env, passphrase: "correct horse" }).unwrap(wrapped);
    expect(Buffer.from(right ?? []).equals(secret)).toBe(true);
  }, 60_000);
});
