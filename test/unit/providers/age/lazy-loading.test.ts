/**
 * An X25519-only wrap and unwrap (and X25519 keygen) must not load age-encryption or @noble/*:
 * their bundle and stream reader are the main cost of a CLI cold start. Checked in a fresh Node
 * process with the module-recording loader hook (test/helpers/record-loads.mjs) against the built
 * dist (`npm run build`), which is what the CLI runs.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { tempDir } from "./helpers.js";

const root = fileURLToPath(new URL("../../../../", import.meta.url));
const distIndex = join(root, "dist/providers/age/index.js");
const preload = join(root, "test/helpers/record-loads.mjs");

function loadsDuring(script: string): { status: number | null; stderr: string; modules: string[] } {
  const log = join(tempDir(), "loads.txt");
  writeFileSync(log, "");
  const result = spawnSync(process.execPath, ["--import", preload, "--input-type=module", "-e", script], {
    cwd: root,
    env: { ...process.env, COFFER_LOAD_LOG: log },
    encoding: "utf8",
  });
  return { status: result.status, stderr: result.stderr, modules: readFileSync(log, "utf8").split("\n").filter(Boolean) };
}

const HEAVY = /age-encryption|@noble\//;

describe.skipIf(!existsSync(distIndex))("age provider lazy loading (built dist)", () => {
  it("an X25519 keygen, wrap and unwrap load neither age-encryption nor @noble/*", () => {
    const script = `
      const age = await import(${JSON.stringify(distIndex)});
      const { TreeMap } = await import(${JSON.stringify(join(root, "dist/src/core/tree.js"))});
      const key = await age.generateAgeIdentity();
      const { identities } = await age.parseAgeIdentities(key.fileText, "test");
      const provider = age.createAgeProvider({ identities });
      const stanza = await provider.wrap(new Uint8Array(32).fill(9), { type: "age", fields: TreeMap.from({ recipient: key.recipient }) });
      const back = await provider.unwrap(stanza);
      if (back === null || back.length !== 32 || back[0] !== 9) throw new Error("round trip failed");
    `;
    const { status, stderr, modules } = loadsDuring(script);
    expect(status, stderr).toBe(0);
    expect(modules.some((m) => m.includes("providers/age/"))).toBe(true);
    expect(modules.filter((m) => HEAVY.test(m))).toEqual([]);
  });

  it("the recorder does see age-encryption when a post-quantum key forces the fallback", () => {
    const script = `
      const age = await import(${JSON.stringify(distIndex)});
      await age.generateAgeIdentity({ postQuantum: true });
    `;
    const { status, stderr, modules } = loadsDuring(script);
    expect(status, stderr).toBe(0);
    expect(modules.some((m) => m.includes("age-encryption"))).toBe(true);
  });
});
