import { identityToRecipient } from "age-encryption";
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  createAgeProvider,
  generateAgeIdentity,
  parseAgeIdentities,
  splitShellWords,
} from "../../../../providers/age/index.js";
import { ageStanza } from "./helpers.js";

describe("generateAgeIdentity", () => {
  it("writes age-keygen's file format", async () => {
    const now = new Date("2024-05-06T07:08:09.123Z");
    const key = await generateAgeIdentity({ now });
    expect(key.identity).toMatch(/^AGE-SECRET-KEY-1[0-9A-Z]{58}$/);
    expect(key.recipient).toMatch(/^age1[0-9a-z]{58}$/);
    expect(key.fileText).toBe(`# created: 2024-05-06T07:08:09Z\n# public key: ${key.recipient}\n${key.identity}\n`);
    expect(await identityToRecipient(key.identity)).toBe(key.recipient);
  });

  it("generates distinct post-quantum identities that round-trip a data key from the file text", async () => {
    const [a, b] = [await generateAgeIdentity({ postQuantum: true }), await generateAgeIdentity({ postQuantum: true })];
    expect(a.identity).not.toBe(b.identity);
    expect(a.identity.startsWith("AGE-SECRET-KEY-PQ-1")).toBe(true);
    expect(a.recipient.startsWith("age1pq1")).toBe(true);
    const { identities } = await parseAgeIdentities(a.fileText, { source: "generated" });
    const provider = createAgeProvider({ identities });
    const dataKey = randomBytes(32);
    const stanza = await provider.wrap(dataKey, ageStanza({ recipient: a.recipient }));
    expect(Buffer.from((await provider.unwrap(stanza)) ?? [])).toEqual(dataKey);
    expect(await provider.unwrap(await provider.wrap(dataKey, ageStanza({ recipient: b.recipient })))).toBeNull();
  });
});

describe("splitShellWords", () => {
  it.each([
    ["cat /tmp/k", ["cat", "/tmp/k"]],
    ["  op read   'op://vault/age key'  ", ["op", "read", "op://vault/age key"]],
    [`sh -c "echo \\"hi\\" \\$HOME"`, ["sh", "-c", 'echo "hi" $HOME']],
    [`a\\ b c''d "" x`, ["a b", "cd", "", "x"]],
    ["pass show $X | tee", ["pass", "show", "$X", "|", "tee"]],
  ])("splits %j", (command, words) => {
    expect(splitShellWords(command)).toEqual(words);
  });

  it.each(["'open", '"open', "trailing\\"])("rejects %j", (command) => {
    expect(() => splitShellWords(command)).toThrow();
  });
});
