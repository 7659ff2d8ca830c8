import { readFileSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { isCofferError } from "../../../src/errors.js";
import { storeFor } from "../../../src/formats/index.js";
import type { FormatName } from "../../../src/formats/store.js";

/** Hostile or malformed inputs kept as files: every one must be refused with FORMAT_INVALID. */
const root = new URL("../../regressions/", import.meta.url);

describe.each(["json", "dotenv", "ini"] as const)("%s regression files", (format: FormatName) => {
  const dir = new URL(`${format}/`, root);
  const files = readdirSync(fileURLToPath(dir)).sort();

  it("exist", () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(files)("%s is refused with FORMAT_INVALID by both loaders", async (name) => {
    const store = await storeFor(format);
    const bytes = readFileSync(fileURLToPath(new URL(name, dir)));
    for (const load of [store.loadPlain, store.loadEncrypted]) {
      let error: unknown;
      try {
        load(bytes);
      } catch (e) {
        error = e;
      }
      expect(isCofferError(error, "FORMAT_INVALID"), `${name}: ${String(error)}`).toBe(true);
    }
  });
});
