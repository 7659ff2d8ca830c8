/**
 * The provider contract against the PGP provider and the real gpg, with a key generated once in a
 * temporary GNUPGHOME (its agent is killed in afterAll). Without gpg: a loud skip, a failure under CI.
 */
import { afterAll } from "vitest";
import { TreeMap } from "../../src/core/tree.js";
import { createPgpProvider } from "../../providers/pgp/index.js";
import { hasBinary, itWithBinary } from "../helpers/binaries.js";
import { createGnupgHome, type TempGnupgHome } from "../helpers/gnupg-home.js";
import { describeProviderContract } from "./provider-contract.js";

if (hasBinary("gpg")) {
  // Generated while collecting, so a slow RSA key generation does not count against a test's timeout.
  const home: TempGnupgHome = createGnupgHome();
  const fingerprint = home.generateKey("Coffer Test <t@example.org>");
  afterAll(() => home.close());

  describeProviderContract("pgp", async () => {
    return {
      provider: createPgpProvider({ env: home.env }),
      key: { type: "pgp", fields: TreeMap.from({ fp: fingerprint }) },
      tamper: (wrapped) => {
        const fields = new TreeMap(wrapped.fields.items.map((item) => ({ ...item })));
        const lines = String(fields.get("enc")).split("\n");
        // Change one base64 character in the middle of the first body line.
        const line = lines[2] ?? "";
        const at = Math.floor(line.length / 2);
        lines[2] = line.slice(0, at) + (line[at] === "A" ? "B" : "A") + line.slice(at + 1);
        fields.set("enc", lines.join("\n"));
        return { type: wrapped.type, fields };
      },
    };
  });
} else {
  itWithBinary("gpg")("KeyProvider contract: pgp", () => undefined);
}
