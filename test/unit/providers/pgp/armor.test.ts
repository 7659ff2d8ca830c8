import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { isWellFormedArmor } from "../../../../providers/pgp/armor.js";

const GETSOPS = fileURLToPath(new URL("../../../../../shared/fixtures/sops/getsops/", import.meta.url));
const stanzas = (JSON.parse(readFileSync(`${GETSOPS}example.json`, "utf8")) as { sops: { pgp: Array<{ enc: string }> } }).sops.pgp;

describe("armored pgp message check", () => {
  it("accepts every message sops wrote, with or without a trailing newline or headers", () => {
    expect(stanzas.length).toBeGreaterThan(0);
    for (const { enc } of stanzas) {
      expect(isWellFormedArmor(enc)).toBe(true);
      expect(isWellFormedArmor(`${enc}\n`)).toBe(true);
      expect(isWellFormedArmor(enc.replace("-----\n\n", "-----\nVersion: GnuPG v2\n\n"))).toBe(true);
    }
  });

  it("accepts a message without the optional checksum", () => {
    const enc = stanzas[0]!.enc.replace(/\n=[A-Za-z0-9+/]{4}\n/, "\n");
    expect(enc).not.toBe(stanzas[0]!.enc);
    expect(isWellFormedArmor(enc)).toBe(true);
  });

  it("rejects any single changed base64 character of the body (checksum mismatch)", () => {
    const enc = stanzas[0]!.enc;
    const lines = enc.split("\n");
    for (let lineIndex = 2; lineIndex < lines.length - 2; lineIndex++) {
      const line = lines[lineIndex]!;
      for (const at of [0, Math.floor(line.length / 2), line.length - 1]) {
        // Replace the character by another base64 character (same length, still decodable).
        const replaced = line.slice(0, at) + (line[at] === "A" ? "B" : "A") + line.slice(at + 1);
        if (replaced.endsWith("==") !== line.endsWith("==")) continue;
        const copy = [...lines];
        copy[lineIndex] = replaced;
        expect(isWellFormedArmor(copy.join("\n")), `line ${lineIndex} at ${at}`).toBe(false);
      }
    }
  });

  it("rejects what is not one armored message", () => {
    for (const bad of ["", "not pgp", "-----BEGIN PGP MESSAGE-----\n\n-----END PGP MESSAGE-----", "-----BEGIN PGP MESSAGE-----\nAAAA\n-----END PGP MESSAGE-----", "-----BEGIN PGP MESSAGE-----\n\nAA$A\n-----END PGP MESSAGE-----", "-----BEGIN AGE ENCRYPTED FILE-----\n\nAAAA\n-----END AGE ENCRYPTED FILE-----"]) {
      expect(isWellFormedArmor(bad), bad).toBe(false);
    }
  });
});
