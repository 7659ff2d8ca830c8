/**
 * age interop: every age entry of the real sops fixtures unwraps to its published data key, and
 * the real `age` CLI (the oracle) opens what we wrap and wraps what we open, for X25519, ssh-ed25519
 * and ssh-rsa. The native X25519 age file code is checked against the CLI directly, and fixtures
 * with post-quantum or SSH entries must take the age-encryption fallback.
 */
import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { bech32 } from "@scure/base";
import { TreeMap } from "../../src/core/tree.js";
import { createAgeProvider, generateAgeIdentity, parseAgeIdentities } from "../../providers/age/index.js";
import { decodeArmor, encodeArmor } from "../../providers/age/age-format.js";
import { encryptX25519File, openX25519File, type X25519Unwrap } from "../../providers/age/native-file.js";
import { requireTool, run, sshKeygen, tempDir } from "../unit/providers/age/helpers.js";

const FIXTURES = fileURLToPath(new URL("../../../shared/fixtures/sops/", import.meta.url));

interface AgeEntry {
  recipient: string;
  enc: string;
}

/** The sops.age entries of a fixture, whatever its store (YAML, JSON/binary, dotenv). */
function ageEntries(path: string): AgeEntry[] {
  const text = readFileSync(path, "utf8");
  if (path.endsWith(".env")) {
    const entries: Record<string, Partial<AgeEntry>> = {};
    for (const match of text.matchAll(/^sops_age__list_(\d+)__map_(enc|recipient)=(.*)$/gm)) {
      const entry = (entries[match[1]!] ??= {});
      entry[match[2] as keyof AgeEntry] = match[3]!.replaceAll("\\n", "\n");
    }
    return Object.values(entries) as AgeEntry[];
  }
  if (path.endsWith(".yaml")) {
    for (const document of parseAllDocuments(text)) {
      const value = document.toJS() as { sops?: { age?: AgeEntry[] } } | null;
      if (value?.sops?.age) return value.sops.age;
    }
    return [];
  }
  return (JSON.parse(text) as { sops?: { age?: AgeEntry[] } }).sops?.age ?? [];
}

const cases: Array<{ name: string; folder: string; path: string; dataKey: string }> = [];
for (const folder of ["flux", "rops", "sops-age"]) {
  for (const name of readdirSync(join(FIXTURES, folder))) {
    if (!name.endsWith(".expected.json")) continue;
    const path = join(FIXTURES, folder, name.slice(0, -".expected.json".length));
    const expected = JSON.parse(readFileSync(join(FIXTURES, folder, name), "utf8")) as { data_key_hex: string };
    if (ageEntries(path).length > 0) cases.push({ name: `${folder}/${name}`, folder, path, dataKey: expected.data_key_hex });
  }
}

async function folderIdentities(folder: string) {
  const identities = [];
  for (const name of readdirSync(join(FIXTURES, folder))) {
    if (!/^keys?(_.*)?\.txt$/.test(name)) continue;
    identities.push(...(await parseAgeIdentities(readFileSync(join(FIXTURES, folder, name)), { source: name })).identities);
  }
  return identities;
}

describe("sops fixtures: every age entry unwraps to the published data key", () => {
  it("finds the fixtures, including the post-quantum one", () => {
    expect(cases.length).toBeGreaterThanOrEqual(12);
    expect(cases.some((c) => c.path.endsWith("algorithms_age-pq.yaml"))).toBe(true);
    expect(cases.some((c) => c.path.endsWith(".env"))).toBe(true);
  });

  it.each(cases)("$name", async ({ folder, path, dataKey }) => {
    const provider = createAgeProvider({ identities: await folderIdentities(folder) });
    let opened = 0;
    for (const entry of ageEntries(path)) {
      const key = await provider.unwrap({ type: "age", fields: TreeMap.from({ recipient: entry.recipient, enc: entry.enc }) });
      // Multi-recipient files have entries for keys nobody published: those must be null, not errors.
      if (key === null) continue;
      expect(Buffer.from(key).toString("hex")).toBe(dataKey);
      opened++;
    }
    expect(opened).toBeGreaterThan(0);
  });
});

const hasAge = requireTool("/usr/bin/age", "age CLI interop tests");
const hasSshKeygen = requireTool("/usr/bin/ssh-keygen", "age CLI ssh interop tests");

describe.skipIf(!hasAge)("age CLI interop (X25519)", () => {
  it("age -d opens what we wrap", async () => {
    const dir = tempDir();
    const key = await generateAgeIdentity();
    writeFileSync(join(dir, "keys.txt"), key.fileText, { mode: 0o600 });
    const dataKey = randomBytes(32);
    const stanza = await createAgeProvider().wrap(dataKey, { type: "age", fields: TreeMap.from({ recipient: key.recipient }) });
    const out = run("/usr/bin/age", ["-d", "-i", join(dir, "keys.txt")], stanza.fields.get("enc") as string);
    expect(out).toEqual(dataKey);
  });

  it("we open what age -a wraps, with a key from age-keygen", async () => {
    const dir = tempDir();
    run("/usr/bin/age-keygen", ["-o", join(dir, "keys.txt")]);
    const keyText = readFileSync(join(dir, "keys.txt"), "utf8");
    const recipient = /# public key: (age1\S+)/.exec(keyText)![1]!;
    const dataKey = randomBytes(32);
    const enc = run("/usr/bin/age", ["-a", "-r", recipient], dataKey).toString("utf8");
    const { identities } = await parseAgeIdentities(keyText, { source: "age-keygen" });
    const key = await createAgeProvider({ identities }).unwrap({ type: "age", fields: TreeMap.from({ recipient, enc }) });
    expect(Buffer.from(key ?? [])).toEqual(dataKey);
  });

  it("age -d opens a fixture's entry to the published data key", () => {
    const fixture = cases.find((c) => c.path.endsWith("rops/age_example.yaml"))!;
    const entry = ageEntries(fixture.path)[0]!;
    const out = run("/usr/bin/age", ["-d", "-i", join(FIXTURES, "rops", "key.txt")], entry.enc);
    expect(out.toString("hex")).toBe(fixture.dataKey);
  });
});

describe.skipIf(!hasAge)("age CLI interop with the native age file code (providers/age/native-file.ts)", () => {
  const lengths = [0, 1, 64 * 1024 - 1, 64 * 1024, 64 * 1024 + 1, 200 * 1024];

  async function cliKey(dir: string): Promise<{ keys: string; recipient: string; unwrap: X25519Unwrap; point: Uint8Array }> {
    const keys = join(dir, "keys.txt");
    run("/usr/bin/age-keygen", ["-o", keys]);
    const keyText = readFileSync(keys, "utf8");
    const recipient = /# public key: (age1\S+)/.exec(keyText)![1]!;
    const { identities } = await parseAgeIdentities(keyText, { source: "age-keygen" });
    const point = bech32.fromWords(bech32.decode(recipient as `${string}1${string}`, false).words);
    return { keys, recipient, unwrap: identities[0]!.x25519Unwrap!, point };
  }

  it.each(lengths)("native opens what age -a writes to two recipients (%i bytes)", async (length) => {
    const dir = tempDir();
    const other = await cliKey(tempDir());
    const key = await cliKey(dir);
    const plaintext = randomBytes(length);
    const armored = run("/usr/bin/age", ["-a", "-r", other.recipient, "-r", key.recipient], plaintext).toString("utf8");
    const result = openX25519File(armored, [key.unwrap]);
    expect(result.kind).toBe("opened");
    expect(result.kind === "opened" && Buffer.from(result.plaintext).equals(plaintext)).toBe(true);
  });

  it.each(lengths)("age -d opens what native writes (%i bytes)", async (length) => {
    const dir = tempDir();
    const key = await cliKey(dir);
    const plaintext = randomBytes(length);
    const out = run("/usr/bin/age", ["-d", "-i", key.keys], encryptX25519File(plaintext, [key.point]));
    expect(out.equals(plaintext)).toBe(true);
  });

  it("age -d refuses a native file whose header MAC was edited", async () => {
    const dir = tempDir();
    const key = await cliKey(dir);
    const file = Buffer.from(decodeArmor(encryptX25519File(randomBytes(32), [key.point]))!);
    // Replace one base64 character of the MAC with another valid one (flipping a bit could make
    // it a non-base64 byte, which the parser rightly treats as "not sure" rather than "corrupt").
    const at = file.indexOf("--- ") + 6;
    file[at] = file[at] === 0x41 ? 0x42 : 0x41;
    expect(() => run("/usr/bin/age", ["-d", "-i", key.keys], encodeArmor(file))).toThrow();
    expect(openX25519File(encodeArmor(file), [key.unwrap]).kind).toBe("corrupt");
  });
});

describe("fixtures take the native path exactly when their age file is X25519-only", () => {
  it.each(cases)("$name", async ({ path, folder }) => {
    const identities = await folderIdentities(folder);
    const unwraps = identities.flatMap((identity) => (identity.x25519Unwrap ? [identity.x25519Unwrap] : []));
    for (const entry of ageEntries(path)) {
      const result = openX25519File(entry.enc, unwraps);
      const postQuantum = entry.recipient.startsWith("age1pq1");
      expect(result.kind === "fallback").toBe(postQuantum || entry.recipient.startsWith("ssh-"));
    }
  });
});

describe.skipIf(!hasAge || !hasSshKeygen)("age CLI interop (ssh)", () => {
  it.each(["ed25519", "rsa"] as const)("ssh-%s both ways", async (type) => {
    const dir = tempDir();
    const { privatePath, publicLine } = sshKeygen(dir, type);
    const { identities } = await parseAgeIdentities(readFileSync(privatePath), { source: privatePath });
    const provider = createAgeProvider({ identities });

    // Ours -> age CLI.
    const dataKey = randomBytes(32);
    const stanza = await provider.wrap(dataKey, { type: "age", fields: TreeMap.from({ recipient: publicLine }) });
    expect(run("/usr/bin/age", ["-d", "-i", privatePath], stanza.fields.get("enc") as string)).toEqual(dataKey);

    // age CLI (-R with the .pub file) -> ours.
    const other = randomBytes(32);
    const enc = run("/usr/bin/age", ["-a", "-R", `${privatePath}.pub`], other).toString("utf8");
    const opened = await provider.unwrap({ type: "age", fields: TreeMap.from({ recipient: publicLine, enc }) });
    expect(Buffer.from(opened ?? [])).toEqual(other);
  });
});
