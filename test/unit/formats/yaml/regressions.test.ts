import { readFileSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { yamlStore } from "../../../../src/formats/yaml/index.js";
import { errorCode } from "./helpers.js";

/** Hostile or malformed YAML kept as files: each must be refused with FORMAT_INVALID, quickly. */
const dir = new URL("../../../regressions/yaml/", import.meta.url);
const files = readdirSync(fileURLToPath(dir)).sort();

describe("yaml regression files", () => {
  it("exist", () => {
    expect(files.length).toBeGreaterThan(10);
  });

  it.each(files)("%s is refused with FORMAT_INVALID by both loaders", (name) => {
    const bytes = readFileSync(fileURLToPath(new URL(name, dir)));
    // A hostile file that made the parser spin would hit vitest's test timeout.
    expect(errorCode(() => yamlStore.loadPlain(bytes))).toBe("FORMAT_INVALID");
    expect(errorCode(() => yamlStore.loadEncrypted(bytes))).toBe("FORMAT_INVALID");
  });
});
