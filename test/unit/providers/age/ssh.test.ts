import { generateKeyPairSync, randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { isCofferError } from "../../../../src/errors.js";
import { createAgeProvider, parseAgeIdentities } from "../../../../providers/age/index.js";
import { ageStanza, requireTool, sshKeygen, tempDir } from "./helpers.js";

const hasSshKeygen = requireTool("/usr/bin/ssh-keygen", "ssh key tests (openssh-client)");

describe("ssh keys as age identities (own round trip, node-generated PEM)", () => {
  it("wraps and unwraps with a PKCS#8 PEM RSA key", async () => {
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const pem = privateKey.export({ format: "pem", type: "pkcs8" }).toString();
    const jwk = publicKey.export({ format: "jwk" });
    // Build the authorized_keys line from the JWK (e, n as SSH mpints).
    const mp = (b64u: string) => {
      let bytes = Buffer.from(b64u, "base64url");
      if (bytes[0]! & 0x80) bytes = Buffer.concat([Buffer.alloc(1), bytes]);
      const length = Buffer.alloc(4);
      length.writeUInt32BE(bytes.length);
      return Buffer.concat([length, bytes]);
    };
    const type = Buffer.from("ssh-rsa");
    const typeLength = Buffer.alloc(4);
    typeLength.writeUInt32BE(type.length);
    const line = `ssh-rsa ${Buffer.concat([typeLength, type, mp(jwk.e!), mp(jwk.n!)]).toString("base64")} me@host`;

    const { identities } = await parseAgeIdentities(pem, { source: "pem" });
    expect(identities[0]?.kind).toBe("ssh-rsa");
    expect(await identities[0]?.recipient()).toBe(line.split(" ").slice(0, 2).join(" "));
    const provider = createAgeProvider({ identities });
    const dataKey = randomBytes(32);
    const stanza = await provider.wrap(dataKey, ageStanza({ recipient: line }));
    expect(stanza.fields.get("recipient")).toBe(line);
    expect(Buffer.from((await provider.unwrap(stanza)) ?? [])).toEqual(dataKey);
  });
});

describe.skipIf(!hasSshKeygen)("ssh keys from ssh-keygen", () => {
  const dir = tempDir();

  it.each([
    ["ed25519", undefined],
    ["rsa", undefined],
    ["rsa", "PEM"],
  ] as const)("round-trips a %s key (format %s)", async (type, format) => {
    const { privatePath, publicLine } = sshKeygen(dir, type, format);
    const { identities } = await parseAgeIdentities(readFileSync(privatePath), { source: privatePath });
    expect(identities.map((identity) => identity.kind)).toEqual([`ssh-${type}`]);
    expect(await identities[0]?.recipient()).toBe(publicLine.split(" ").slice(0, 2).join(" "));
    const provider = createAgeProvider({ identities });
    const dataKey = randomBytes(32);
    const stanza = await provider.wrap(dataKey, ageStanza({ recipient: publicLine }));
    expect(Buffer.from((await provider.unwrap(stanza)) ?? [])).toEqual(dataKey);
  });

  it("returns null for another ssh key and throws for its own tampered stanza", async () => {
    const mine = sshKeygen(tempDir(), "ed25519");
    const theirs = sshKeygen(tempDir(), "ed25519");
    const { identities } = await parseAgeIdentities(readFileSync(mine.privatePath), { source: "mine" });
    const provider = createAgeProvider({ identities });
    const foreign = await provider.wrap(randomBytes(32), ageStanza({ recipient: theirs.publicLine }));
    expect(await provider.unwrap(foreign)).toBeNull();

    const own = await provider.wrap(randomBytes(32), ageStanza({ recipient: mine.publicLine }));
    const enc = own.fields.get("enc") as string;
    // Flip one base64 char inside the stanza body (second line of the header) of the binary file.
    const { armor } = await import("age-encryption");
    const file = armor.decode(enc);
    const text = Buffer.from(file).toString("latin1");
    const bodyStart = text.indexOf("\n", text.indexOf("-> ssh-ed25519")) + 1;
    file[bodyStart] = file[bodyStart] === 0x41 ? 0x42 : 0x41;
    const tampered = ageStanza({ recipient: mine.publicLine, enc: armor.encode(file) });
    await expect(provider.unwrap(tampered)).rejects.toSatisfy((error) => isCofferError(error, "CIPHERTEXT_INVALID"));
  });

  it("refuses a passphrase-protected key with KEY_INVALID", async () => {
    const path = join(tempDir(), "id_locked");
    const { execFileSync } = await import("node:child_process");
    execFileSync("/usr/bin/ssh-keygen", ["-q", "-t", "ed25519", "-N", "secret-pass", "-f", path]);
    const error = await parseAgeIdentities(readFileSync(path), { source: path }).catch((e: unknown) => e);
    expect(isCofferError(error, "KEY_INVALID")).toBe(true);
  });

  it("refuses a truncated private key with KEY_INVALID", async () => {
    const { privatePath } = sshKeygen(tempDir(), "ed25519");
    const lines = readFileSync(privatePath, "utf8").split("\n");
    const truncated = [lines[0], lines[1], lines.at(-2)].join("\n");
    const path = join(tempDir(), "broken");
    writeFileSync(path, truncated);
    const error = await parseAgeIdentities(readFileSync(path), { source: path }).catch((e: unknown) => e);
    expect(isCofferError(error, "KEY_INVALID")).toBe(true);
  });
});
