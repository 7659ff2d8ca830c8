/**
 * Every real sops file in ../shared/fixtures/sops decrypts, through the public API, to its
 * expected plaintext with the MAC verified. age files are opened with the published test
 * identities; PGP files (until the PGP provider exists) through a test provider that answers
 * with the data key recorded in the expected file, so everything but the PGP unwrap is real.
 */
import { describe, expect, it } from "vitest";
import { decryptToTree, isCofferError, type KeyProvider } from "../../src/index.js";
import { formatFromPath } from "../../src/formats/index.js";
import { createAgeProvider, parseAgeIdentities } from "../../providers/age/index.js";
import { collectComments, fixtureAgeKeys, listFixtures, treeToJson, type Fixture } from "../helpers/fixtures.js";

function knownPgpKey(fixture: Fixture): KeyProvider {
  return {
    type: "pgp",
    wrap: () => Promise.reject(new Error("not used")),
    unwrap: async () => Buffer.from(fixture.expected.data_key_hex, "hex"),
  };
}

const fixtures = listFixtures();
const ageProvider = createAgeProvider({ identities: (await parseAgeIdentities(fixtureAgeKeys(), "fixture keys")).identities });

describe("real sops files", () => {
  it("are all found", () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(20);
  });

  for (const fixture of fixtures) {
    it(`${fixture.name} decrypts to its expected plaintext${fixture.expected.has_mac ? " with the MAC verified" : ""}`, async () => {
      const options = {
        format: formatFromPath(fixture.path),
        // age is tried first; the PGP stand-in is reached only by files that have no age key.
        providers: [ageProvider, knownPgpKey(fixture)],
      };
      if (!fixture.expected.has_mac) {
        const refused = await decryptToTree(fixture.bytes, options).catch((error: unknown) => error);
        expect(isCofferError(refused, "MAC_MISSING")).toBe(true);
      }
      const plain = await decryptToTree(fixture.bytes, { ...options, ignoreMac: !fixture.expected.has_mac });
      expect(plain.documents.map((doc) => treeToJson(doc))).toEqual(fixture.expected.documents);
      const comments = plain.documents.flatMap((doc) => collectComments(doc));
      expect(comments).toEqual(fixture.expected.comments.map((comment) => comment.text));
    });
  }
});

describe("tampered real files", () => {
  const fixture = fixtures.find((f) => f.name === "flux/algorithms_age.yaml") as Fixture;

  it("a changed value ciphertext is detected", async () => {
    const text = fixture.bytes.toString("utf8").replace(/data:mHeXsmQ=/, "data:nHeXsmQ=");
    const error = await decryptToTree(text, { format: "yaml", providers: [ageProvider] }).catch((e: unknown) => e);
    expect(isCofferError(error, "VALUE_DECRYPT_FAILED")).toBe(true);
  });

  it("an edited lastmodified makes the MAC undecryptable", async () => {
    const text = fixture.bytes.toString("utf8").replace("2024-11-12T13:33:42Z", "2024-11-12T13:33:43Z");
    const error = await decryptToTree(text, { format: "yaml", providers: [ageProvider] }).catch((e: unknown) => e);
    expect(isCofferError(error, "MAC_DECRYPT_FAILED")).toBe(true);
  });

  it("without any matching identity, every key tried is reported", async () => {
    const error = await decryptToTree(fixture.bytes, { format: "yaml", providers: [] }).catch((e: unknown) => e);
    expect(isCofferError(error, "NO_MATCHING_KEY")).toBe(true);
    expect((error as Error).message).toContain("age1l44xcng8dqj32nlv6d930qvvrny05hglzcv9qpc7kxjc6902ma4qufys29");
  });
});
