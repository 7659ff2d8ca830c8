/**
 * The native age v1 path (providers/age/native-file.ts): interop with age-encryption in both
 * directions, exact payload chunking at the 64 KiB edges, and tamper detection.
 */
import { Decrypter, Encrypter, armor, generateX25519Identity, identityToRecipient } from "age-encryption";
import { bech32 } from "@scure/base";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TreeMap } from "../../../../src/core/tree.js";
import { isCofferError } from "../../../../src/errors.js";
import { decodeArmor, encodeArmor, parseAgeFile } from "../../../../providers/age/age-format.js";
import { encryptX25519File, openX25519File, type X25519Unwrap } from "../../../../providers/age/native-file.js";
import { createAgeProvider, parseAgeIdentities } from "../../../../providers/age/index.js";

const KIB64 = 64 * 1024;
const EDGE_LENGTHS = [0, 1, KIB64 - 1, KIB64, KIB64 + 1, 2 * KIB64, 200 * 1024];

async function newKey(): Promise<{ identity: string; recipient: string; point: Uint8Array; unwrap: X25519Unwrap }> {
  const identity = await generateX25519Identity();
  const recipient = await identityToRecipient(identity);
  const { identities } = await parseAgeIdentities(identity, "test");
  const unwrap = identities[0]?.x25519Unwrap;
  if (unwrap === undefined) throw new Error("no native unwrap");
  const point = bech32.fromWords(bech32.decode(recipient as `${string}1${string}`, false).words);
  return { identity, recipient, point, unwrap };
}

function bytes(length: number, seed = 7): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = (i * 31 + seed) & 0xff;
  return out;
}

async function libraryEncrypt(plaintext: Uint8Array, recipient: string): Promise<string> {
  const encrypter = new Encrypter();
  encrypter.addRecipient(recipient);
  return armor.encode(await encrypter.encrypt(plaintext));
}

async function libraryDecrypt(armored: string, identity: string): Promise<Uint8Array> {
  const decrypter = new Decrypter();
  decrypter.addIdentity(identity);
  return decrypter.decrypt(armor.decode(armored));
}

function openNative(armored: string, unwrap: X25519Unwrap): Uint8Array | string {
  const result = openX25519File(armored, [unwrap]);
  return result.kind === "opened" ? result.plaintext : result.kind;
}

describe("native age files and age-encryption agree", () => {
  it.each(EDGE_LENGTHS)("native opens what the library writes (%i bytes)", async (length) => {
    const key = await newKey();
    const plaintext = bytes(length);
    expect(openNative(await libraryEncrypt(plaintext, key.recipient), key.unwrap)).toEqual(plaintext);
  });

  it.each(EDGE_LENGTHS)("the library opens what native writes (%i bytes)", async (length) => {
    const key = await newKey();
    const plaintext = bytes(length, 3);
    expect(await libraryDecrypt(encryptX25519File(plaintext, [key.point]), key.identity)).toEqual(plaintext);
  });

  it("agrees for random payload lengths both ways (property)", async () => {
    const key = await newKey();
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.integer({ min: 0, max: 3 * KIB64 }), fc.constantFrom(...EDGE_LENGTHS)),
        fc.integer({ min: 0, max: 255 }),
        async (length, seed) => {
          const plaintext = bytes(length, seed);
          const opened = openNative(await libraryEncrypt(plaintext, key.recipient), key.unwrap);
          expect(opened instanceof Uint8Array && Buffer.from(opened).equals(Buffer.from(plaintext))).toBe(true);
          const reopened = await libraryDecrypt(encryptX25519File(plaintext, [key.point]), key.identity);
          expect(Buffer.from(reopened).equals(Buffer.from(plaintext))).toBe(true);
        },
      ),
      { numRuns: 12 },
    );
  });

  it("writes the same layout as the library: header lines, one stanza per recipient, armor", async () => {
    const a = await newKey();
    const b = await newKey();
    const armored = encryptX25519File(bytes(100), [a.point, b.point]);
    expect(armored.endsWith("-----END AGE ENCRYPTED FILE-----\n")).toBe(true);
    const lines = armored.split("\n").slice(1, -2);
    expect(lines.slice(0, -1).every((line) => line.length === 64)).toBe(true);
    // Re-armoring through the library's encoder gives the identical text.
    expect(armor.encode(armor.decode(armored))).toBe(armored);
    const parsed = parseAgeFile(decodeArmor(armored)!)!;
    expect(parsed.stanzas.map((s) => s.args[0])).toEqual(["X25519", "X25519"]);
    const header = Buffer.from(decodeArmor(armored)!).toString("latin1");
    expect(header).toMatch(/^age-encryption\.org\/v1\n-> X25519 [A-Za-z0-9+/]{43}\n[A-Za-z0-9+/]{43}\n-> X25519 [A-Za-z0-9+/]{43}\n[A-Za-z0-9+/]{43}\n--- [A-Za-z0-9+/]{43}\n/);
    expect(openNative(armored, b.unwrap)).toEqual(bytes(100));
  });

  it("encodeArmor matches the library's armor.encode", () => {
    for (const length of [1, 47, 48, 49, 96, 1000]) {
      const data = bytes(length);
      expect(encodeArmor(data)).toBe(armor.encode(data));
      expect(decodeArmor(encodeArmor(data))).toEqual(data);
    }
  });
});

describe("native parsing hands anything unusual to the fallback", () => {
  it("falls back for other stanza types, CRLF armor and non-canonical armor", async () => {
    const key = await newKey();
    const good = encryptX25519File(bytes(10), [key.point]);
    expect(openNative(good, key.unwrap)).toEqual(bytes(10));
    const file = Buffer.from(decodeArmor(good)!).toString("latin1");
    const withOther = file.replace("-> X25519", "-> other-type arg\nAAAA\n-> X25519");
    expect(openNative(encodeArmor(new Uint8Array(Buffer.from(withOther, "latin1"))), key.unwrap)).toBe("fallback");
    expect(openNative(good.replaceAll("\n", "\r\n"), key.unwrap)).toBe("fallback");
    expect(openNative(good.replace("-----BEGIN AGE ENCRYPTED FILE-----", "-----BEGIN AGE FILE-----"), key.unwrap)).toBe("fallback");
  });

  it("reports no-match for a file to another key", async () => {
    const a = await newKey();
    const b = await newKey();
    expect(openNative(encryptX25519File(bytes(10), [a.point]), b.unwrap)).toBe("no-match");
  });
});

describe("tampering", () => {
  /** Flips one bit of the binary file at `offset` and re-armors it. */
  function flip(armored: string, offset: number): string {
    const file = new Uint8Array(decodeArmor(armored)!);
    file[offset]! ^= 0x01;
    return encodeArmor(file);
  }

  it("every flipped byte is detected: never the original or other plaintext", async () => {
    const key = await newKey();
    const plaintext = bytes(32);
    const armored = encryptX25519File(plaintext, [key.point]);
    const length = decodeArmor(armored)!.length;
    const outcomes = new Set<string>();
    for (let offset = 0; offset < length; offset++) {
      const result = openNative(flip(armored, offset), key.unwrap);
      expect(result instanceof Uint8Array, `offset ${offset}`).toBe(false);
      outcomes.add(result as string);
    }
    // Header text edits fall back (parse), stanza/MAC/payload edits are corrupt or no-match.
    expect(outcomes.has("corrupt")).toBe(true);
  });

  it("the provider throws a coded error for our stanza with a broken MAC, body or payload", async () => {
    const key = await newKey();
    const { identities } = await parseAgeIdentities(key.identity, "test");
    const provider = createAgeProvider({ identities });
    const stanza = await provider.wrap(bytes(32), { type: "age", fields: TreeMap.from({ recipient: key.recipient }) });
    const enc = stanza.fields.get("enc") as string;
    expect(await provider.unwrap(stanza)).toEqual(bytes(32));
    const file = Buffer.from(decodeArmor(enc)!);
    const macAt = file.indexOf("--- ") + 10;
    const bodyAt = file.indexOf("\n", file.indexOf("-> X25519")) + 5;
    const payloadAt = file.length - 20;
    for (const offset of [macAt, bodyAt, payloadAt]) {
      const tampered = flip(enc, offset);
      const error = await provider
        .unwrap({ type: "age", fields: TreeMap.from({ recipient: key.recipient, enc: tampered }) })
        .then(() => null, (e: unknown) => e);
      expect(isCofferError(error), `offset ${offset}`).toBe(true);
      expect((error as { code: string }).code).toMatch(/^(CIPHERTEXT_INVALID|NO_MATCHING_KEY)$/);
    }
    // Not our recipient and no matching stanza: null, not an error.
    const other = await newKey();
    const foreign = await createAgeProvider().wrap(bytes(32), { type: "age", fields: TreeMap.from({ recipient: other.recipient }) });
    expect(await provider.unwrap(foreign)).toBeNull();
  });
});
