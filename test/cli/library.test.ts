/**
 * The library as a user imports it (`from "coffer"`, resolved through package.json exports from the
 * built dist), in a separate process: it round-trips, prints nothing, and ignores the environment
 * (an age key in SOPS_AGE_KEY_FILE is not used unless the caller passes a provider).
 */
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { freshHome, REPO_DIR } from "../helpers/cli.js";

const script = `
import { encrypt, decrypt, TreeMap, isCofferError } from "coffer";
import { createAgeProvider, generateAgeIdentity, parseAgeIdentities } from "coffer/providers/age";
import { writeFileSync } from "node:fs";
const id = await generateAgeIdentity({});
writeFileSync(process.env.SOPS_AGE_KEY_FILE, id.fileText);
const provider = createAgeProvider({ identities: (await parseAgeIdentities(id.fileText, "test")).identities });
const keyGroups = [[{ type: "age", fields: TreeMap.from({ recipient: id.recipient }) }]];
const enc = await encrypt("token: s3cret\\n", { format: "yaml", keyGroups, providers: [provider] });
const dec = new TextDecoder().decode(await decrypt(enc, { format: "yaml", providers: [provider] }));
const withoutProvider = await decrypt(enc, { format: "yaml", providers: [] }).catch((e) => e);
process.stdout.write(JSON.stringify({ dec, code: isCofferError(withoutProvider) ? withoutProvider.code : String(withoutProvider) }));
`;

describe("the library API", () => {
  it("round-trips through the package exports, silently, without reading the environment", () => {
    const home = freshHome();
    const file = join(REPO_DIR, `.library-test-${process.pid}.mjs`);
    writeFileSync(file, script);
    try {
      const result = spawnSync(process.execPath, [file], {
        cwd: REPO_DIR,
        env: { PATH: process.env.PATH ?? "", HOME: home, SOPS_AGE_KEY_FILE: join(home, "keys.txt") },
        encoding: "utf8",
      });
      expect(result.stderr).toBe("");
      expect(JSON.parse(result.stdout)).toEqual({ dec: "token: s3cret\n", code: "NO_MATCHING_KEY" });
    } finally {
      spawnSync("rm", ["-f", file]);
    }
  });
});
