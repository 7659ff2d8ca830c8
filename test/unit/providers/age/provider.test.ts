import { armor, Decrypter } from "age-encryption";
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { TreeMap } from "../../../../src/core/tree.js";
import { isCofferError } from "../../../../src/errors.js";
import { createAgeProvider, generateAgeIdentity, parseAgeIdentities } from "../../../../providers/age/index.js";
import { ageStanza } from "./helpers.js";

async function identitiesFor(...texts: string[]) {
  const all = [];
  for (const [index, text] of texts.entries()) {
    all.push(...(await parseAgeIdentities(text, { source: `test ${index}` })).identities);
  }
  return all;
}

describe("age provider", () => {
  it("wraps to an X25519 recipient and unwraps with its identity", async () => {
    const key = await generateAgeIdentity();
    const provider = createAgeProvider({ identities: await identitiesFor(key.identity) });
    const dataKey = randomBytes(32);
    const stanza = await provider.wrap(dataKey, ageStanza({ recipient: key.recipient }));
    expect(stanza.type).toBe("age");
    expect(stanza.fields.entries().map((entry) => entry.key)).toEqual(["recipient", "enc"]);
    expect(stanza.fields.get("recipient")).toBe(key.recipient);
    expect(Buffer.from((await provider.unwrap(stanza)) ?? [])).toEqual(dataKey);
  });

  it("writes armor with 64-character lines and a trailing newline", async () => {
    const key = await generateAgeIdentity();
    const provider = createAgeProvider();
    const stanza = await provider.wrap(randomBytes(33), ageStanza({ recipient: key.recipient }));
    const enc = stanza.fields.get("enc");
    expect(typeof enc).toBe("string");
    const lines = (enc as string).split("\n");
    expect(lines[0]).toBe("-----BEGIN AGE ENCRYPTED FILE-----");
    expect(lines.at(-2)).toBe("-----END AGE ENCRYPTED FILE-----");
    expect(lines.at(-1)).toBe("");
    const body = lines.slice(1, -2);
    for (const line of body.slice(0, -1)) expect(line).toHaveLength(64);
    // Independently decryptable with age-encryption's own Decrypter.
    const decrypter = new Decrypter();
    decrypter.addIdentity(key.identity);
    expect((await decrypter.decrypt(armor.decode(enc as string))).length).toBe(33);
  });

  it("round-trips through a post-quantum hybrid recipient", async () => {
    const key = await generateAgeIdentity({ postQuantum: true });
    expect(key.recipient.startsWith("age1pq1")).toBe(true);
    const provider = createAgeProvider({ identities: await identitiesFor(key.identity) });
    const dataKey = randomBytes(32);
    const stanza = await provider.wrap(dataKey, ageStanza({ recipient: key.recipient }));
    expect(Buffer.from((await provider.unwrap(stanza)) ?? [])).toEqual(dataKey);
  });

  it("keeps unknown fields after recipient and enc", async () => {
    const key = await generateAgeIdentity();
    const provider = createAgeProvider();
    const input = { type: "age", fields: TreeMap.from({ extra: "kept", recipient: key.recipient }) };
    const stanza = await provider.wrap(randomBytes(32), input);
    expect(stanza.fields.entries().map((entry) => entry.key)).toEqual(["recipient", "enc", "extra"]);
  });

  it("returns null for a stanza of another type or with no identities", async () => {
    const key = await generateAgeIdentity();
    const wrapped = await createAgeProvider().wrap(randomBytes(32), ageStanza({ recipient: key.recipient }));
    expect(await createAgeProvider().unwrap(wrapped)).toBeNull();
    const provider = createAgeProvider({ identities: await identitiesFor(key.identity) });
    expect(await provider.unwrap({ type: "pgp", fields: wrapped.fields })).toBeNull();
  });

  it("returns null when no loaded identity matches", async () => {
    const [mine, theirs] = [await generateAgeIdentity(), await generateAgeIdentity()];
    const provider = createAgeProvider({ identities: await identitiesFor(mine.identity) });
    const stanza = await provider.wrap(randomBytes(32), ageStanza({ recipient: theirs.recipient }));
    expect(await provider.unwrap(stanza)).toBeNull();
    // Even a corrupt enc is not our business when the recipient is someone else's.
    expect(await provider.unwrap(ageStanza({ recipient: theirs.recipient, enc: "garbage" }))).toBeNull();
  });

  it("picks the right identity among several", async () => {
    const keys = [await generateAgeIdentity(), await generateAgeIdentity(), await generateAgeIdentity()];
    const provider = createAgeProvider({ identities: await identitiesFor(keys.map((k) => k.identity).join(" ")) });
    const dataKey = randomBytes(32);
    const stanza = await provider.wrap(dataKey, ageStanza({ recipient: keys[2]!.recipient }));
    expect(Buffer.from((await provider.unwrap(stanza)) ?? [])).toEqual(dataKey);
  });

  it("throws CIPHERTEXT_INVALID for corrupt armor with a matching identity", async () => {
    const key = await generateAgeIdentity();
    const provider = createAgeProvider({ identities: await identitiesFor(key.identity) });
    const stanza = await provider.wrap(randomBytes(32), ageStanza({ recipient: key.recipient }));
    const enc = stanza.fields.get("enc") as string;
    const broken = ageStanza({ recipient: key.recipient, enc: enc.replace("-----END AGE", "-----END XGE") });
    await expect(provider.unwrap(broken)).rejects.toSatisfy((error) => isCofferError(error, "CIPHERTEXT_INVALID"));
  });

  it("throws CIPHERTEXT_INVALID when the payload of its own file was tampered with", async () => {
    const key = await generateAgeIdentity();
    const provider = createAgeProvider({ identities: await identitiesFor(key.identity) });
    const stanza = await provider.wrap(randomBytes(32), ageStanza({ recipient: key.recipient }));
    const file = armor.decode(stanza.fields.get("enc") as string);
    file[file.length - 1] = (file[file.length - 1] ?? 0) ^ 1;
    // The recipient field is not needed: the identity opened the header, so the file is ours.
    const tampered = ageStanza({ recipient: "age1someoneelse", enc: armor.encode(file) });
    await expect(provider.unwrap(tampered)).rejects.toSatisfy((error) => isCofferError(error, "CIPHERTEXT_INVALID"));
  });

  it("throws NO_MATCHING_KEY when its recipient's entry was encrypted to another key", async () => {
    const [mine, theirs] = [await generateAgeIdentity(), await generateAgeIdentity()];
    const provider = createAgeProvider({ identities: await identitiesFor(mine.identity) });
    const other = await provider.wrap(randomBytes(32), ageStanza({ recipient: theirs.recipient }));
    const mislabelled = ageStanza({ recipient: mine.recipient, enc: other.fields.get("enc") as string });
    await expect(provider.unwrap(mislabelled)).rejects.toSatisfy((error) => isCofferError(error, "NO_MATCHING_KEY"));
  });

  it("refuses malformed and plugin recipients with KEY_INVALID", async () => {
    const provider = createAgeProvider();
    for (const recipient of ["", "age1notbech32", "age1yubikey1qfoo", "ssh-dss AAAA", "ssh-ed25519 !!!"]) {
      await expect(provider.wrap(randomBytes(32), ageStanza({ recipient }))).rejects.toSatisfy((error) =>
        isCofferError(error, "KEY_INVALID"),
      );
    }
  });

  it("never puts key material in error messages", async () => {
    const key = await generateAgeIdentity();
    const provider = createAgeProvider({ identities: await identitiesFor(key.identity) });
    const stanza = await provider.wrap(randomBytes(32), ageStanza({ recipient: key.recipient }));
    const enc = stanza.fields.get("enc") as string;
    const error = await provider.unwrap(ageStanza({ recipient: key.recipient, enc: enc.slice(0, 80) })).catch((e: unknown) => e);
    expect(isCofferError(error)).toBe(true);
    const text = `${(error as Error).message} ${(error as { hint?: string }).hint ?? ""}`;
    expect(text).not.toContain(key.identity);
    expect(text).not.toContain(enc.split("\n")[1]);
  });

  it("unwraps many files concurrently with one provider", async () => {
    const keys = await Promise.all([1, 2, 3, 4].map(() => generateAgeIdentity()));
    const provider = createAgeProvider({ identities: await identitiesFor(keys.map((k) => k.identity).join("\n")) });
    const dataKeys = Array.from({ length: 40 }, () => randomBytes(32));
    const stanzas = await Promise.all(
      dataKeys.map((dataKey, index) => provider.wrap(dataKey, ageStanza({ recipient: keys[index % 4]!.recipient }))),
    );
    const opened = await Promise.all(stanzas.map((stanza) => provider.unwrap(stanza)));
    opened.forEach((key, index) => expect(Buffer.from(key ?? [])).toEqual(dataKeys[index]));
  });
});
