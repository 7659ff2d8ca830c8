/**
 * What Coffer writes is read by things we did not write: the independent `sops-age` reader
 * (which does not check MACs) parses our YAML, JSON and dotenv, and the real `age` CLI unwraps
 * the data key from our metadata.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { decryptSops } from "sops-age";
import { describe, expect, it } from "vitest";
import { encrypt, TreeMap } from "../../src/index.js";
import { createAgeProvider, generateAgeIdentity, parseAgeIdentities } from "../../providers/age/index.js";
import { itWithBinary } from "../helpers/binaries.js";

const generated = await generateAgeIdentity({});
const secretKey = generated.fileText.split("\n").find((line) => line.startsWith("AGE-SECRET-KEY-")) as string;
const provider = createAgeProvider({ identities: (await parseAgeIdentities(generated.fileText, "test")).identities });
const keyGroups = [[{ type: "age", fields: TreeMap.from({ recipient: generated.recipient }) }]];

const yamlInput = `# service settings
name: orders
db:
    user: app
    password: hunter2
    port: 5432
    ratio: 0.75
    enabled: true
hosts:
    - a.example
    - b.example
`;

describe("sops-age reads what Coffer writes", () => {
  it("YAML with comments, nested maps, lists and typed scalars", async () => {
    const encrypted = new TextDecoder().decode(await encrypt(yamlInput, { format: "yaml", keyGroups, providers: [provider] }));
    const decrypted = await decryptSops(encrypted, { secretKey, fileType: "yaml" });
    expect(decrypted).toEqual(parseYaml(yamlInput));
  });

  it("JSON", async () => {
    const input = { token: "abc", nested: { n: 7, f: 2.5, ok: false, list: ["x", "y"] } };
    const encrypted = new TextDecoder().decode(await encrypt(JSON.stringify(input), { format: "json", keyGroups, providers: [provider] }));
    expect(await decryptSops(encrypted, { secretKey, fileType: "json" })).toEqual(input);
  });

  it("dotenv", async () => {
    const encrypted = new TextDecoder().decode(
      await encrypt("API_KEY=abc123\nDB_URL=postgres://u:p@h/db\n", { format: "dotenv", keyGroups, providers: [provider] }),
    );
    expect(await decryptSops(encrypted, { secretKey, fileType: "env" })).toEqual({ API_KEY: "abc123", DB_URL: "postgres://u:p@h/db" });
  });
});

describe("the age CLI unwraps Coffer's data keys", () => {
  itWithBinary("age")("the armored enc of every age stanza decrypts to 32 bytes", async () => {
    const encrypted = new TextDecoder().decode(await encrypt(yamlInput, { format: "yaml", keyGroups, providers: [provider] }));
    const enc = (parseYaml(encrypted) as { sops: { age: Array<{ enc: string; recipient: string }> } }).sops.age[0];
    expect(enc?.recipient).toBe(generated.recipient);
    const dir = mkdtempSync(join(tmpdir(), "coffer-age-"));
    writeFileSync(join(dir, "key.txt"), generated.fileText, { mode: 0o600 });
    writeFileSync(join(dir, "stanza.age"), enc?.enc ?? "");
    const dataKey = execFileSync("age", ["-d", "-i", join(dir, "key.txt"), join(dir, "stanza.age")]);
    expect(dataKey.length).toBe(32);
  });
});
