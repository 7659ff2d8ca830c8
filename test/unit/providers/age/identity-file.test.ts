import { armor, Encrypter, identityToRecipient } from "age-encryption";
import { describe, expect, it } from "vitest";
import { isCofferError, type CofferError } from "../../../../src/errors.js";
import { generateAgeIdentity, normalizeRecipient, parseAgeIdentities } from "../../../../providers/age/index.js";

async function passphraseEncrypt(text: string, passphrase: string): Promise<Uint8Array> {
  const encrypter = new Encrypter();
  encrypter.setPassphrase(passphrase);
  encrypter.setScryptWorkFactor(10); // keep the test fast
  return encrypter.encrypt(text);
}

describe("parseAgeIdentities", () => {
  it("reads age-keygen files, comments, blank lines and several identities per line", async () => {
    const [a, b, c] = [await generateAgeIdentity(), await generateAgeIdentity({ postQuantum: true }), await generateAgeIdentity()];
    const text = `${a.fileText}\n   \n# another\n  ${b.identity}\t${c.identity}  \r\n`;
    const parsed = await parseAgeIdentities(text, { source: "inline" });
    expect(parsed.identities.map((identity) => identity.kind)).toEqual(["x25519", "hybrid", "x25519"]);
    expect(await Promise.all(parsed.identities.map((identity) => identity.recipient()))).toEqual([
      a.recipient,
      b.recipient,
      c.recipient,
    ]);
    expect(parsed.identities[1]?.source).toBe("inline line 7");
    expect(parsed.warnings).toEqual([]);
  });

  it("rejects a malformed line with KEY_INVALID naming the source and line, never the content", async () => {
    const good = await generateAgeIdentity();
    const bad = good.identity.slice(0, -3) + "QQQ"; // checksum broken
    for (const [text, line] of [
      [`${good.identity}\n\n${bad}\n`, 3],
      [`# c\nnot-a-key\n`, 2],
      [`${good.identity} AGE-SECRET-KEY-1\n`, 1],
    ] as const) {
      const error = (await parseAgeIdentities(text, { source: "keys.txt" }).catch((e: unknown) => e)) as CofferError;
      expect(isCofferError(error, "KEY_INVALID")).toBe(true);
      expect(error.message).toContain(`keys.txt line ${line}`);
      expect(error.message).not.toContain("AGE-SECRET-KEY");
      expect(JSON.stringify({ m: error.message, h: error.hint, c: String(error.cause) })).not.toContain(bad);
    }
  });

  it("skips plugin identities with a warning", async () => {
    const good = await generateAgeIdentity();
    const parsed = await parseAgeIdentities(`AGE-PLUGIN-YUBIKEY-1QQQQQQ\n${good.identity}\n`, { source: "f" });
    expect(parsed.identities).toHaveLength(1);
    expect(parsed.warnings).toHaveLength(1);
    expect(parsed.warnings[0]).not.toContain("AGE-PLUGIN-YUBIKEY-1QQQQQQ");
  });

  it("opens armored and binary passphrase-encrypted identity files", async () => {
    const key = await generateAgeIdentity();
    const binary = await passphraseEncrypt(key.fileText, "correct horse");
    for (const content of [binary, armor.encode(binary)]) {
      const asked: string[] = [];
      const parsed = await parseAgeIdentities(content, {
        source: "keys.age",
        passphrase: async (source) => {
          asked.push(source);
          return "correct horse";
        },
      });
      expect(asked).toEqual(["keys.age"]);
      expect(await parsed.identities[0]?.recipient()).toBe(key.recipient);
    }
  });

  it("refuses an encrypted identity file without a passphrase callback or with a wrong passphrase", async () => {
    const key = await generateAgeIdentity();
    const binary = await passphraseEncrypt(key.fileText, "right");
    const missing = await parseAgeIdentities(binary, { source: "k" }).catch((e: unknown) => e);
    expect(isCofferError(missing, "KEY_INVALID")).toBe(true);
    expect((missing as CofferError).hint).toBeTruthy();
    const wrong = await parseAgeIdentities(binary, { source: "k", passphrase: async () => "wrong" }).catch((e: unknown) => e);
    expect(isCofferError(wrong, "KEY_INVALID")).toBe(true);
  });

  it("normalizes recipients for comparison", async () => {
    const key = await generateAgeIdentity();
    expect(normalizeRecipient(`  ${key.recipient.toUpperCase()} `)).toBe(key.recipient);
    expect(normalizeRecipient("ssh-ed25519 AAAAB3 user@host")).toBe("ssh-ed25519 AAAAB3");
    expect(await identityToRecipient(key.identity)).toBe(key.recipient);
  });
});
