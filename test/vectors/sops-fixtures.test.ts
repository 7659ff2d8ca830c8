/**
 * Every real sops file in ../shared/fixtures/sops decrypts, through the public API, to its
 * expected plaintext with the MAC verified. age files are opened with the published test
 * identities; PGP files with the real PGP provider and gpg, the sops functional-test key imported
 * into a temporary GNUPGHOME (whose gpg-agent is killed afterwards).
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decryptToTree, isCofferError } from "../../src/index.js";
import { formatFromPath } from "../../src/formats/index.js";
import { createAgeProvider, parseAgeIdentities } from "../../providers/age/index.js";
import { createPgpProvider } from "../../providers/pgp/index.js";
import { hasBinary, itWithBinary } from "../helpers/binaries.js";
import { collectComments, FIXTURES_DIR, fixtureAgeKeys, listFixtures, treeToJson, type Fixture } from "../helpers/fixtures.js";
import { createGnupgHome } from "../helpers/gnupg-home.js";

const fixtures = listFixtures();
const ageProvider = createAgeProvider({ identities: (await parseAgeIdentities(fixtureAgeKeys(), "fixture keys")).identities });
const gnupgHome = createGnupgHome();
const pgpProvider = createPgpProvider({ env: gnupgHome.env });
const itWithGpg = itWithBinary("gpg");

beforeAll(() => {
  if (hasBinary("gpg")) gnupgHome.gpg(["--import", join(FIXTURES_DIR, "getsops/sops_functional_tests_key.asc")]);
}, 60_000);

afterAll(() => gnupgHome.close());

/** Files only a PGP key opens (age is tried first, so files with an age key never need gpg). */
function needsGpg(fixture: Fixture): boolean {
  const text = fixture.bytes.toString("utf8");
  return text.includes("BEGIN PGP MESSAGE") && !text.includes("BEGIN AGE ENCRYPTED FILE");
}

describe("real sops files", () => {
  it("are all found", () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(20);
  });

  for (const fixture of fixtures) {
    (needsGpg(fixture) ? itWithGpg : it)(`${fixture.name} decrypts to its expected plaintext${fixture.expected.has_mac ? " with the MAC verified" : ""}`, async () => {
      const options = {
        format: formatFromPath(fixture.path),
        // age is tried first; gpg runs only for files that have no age key.
        providers: [ageProvider, pgpProvider],
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
