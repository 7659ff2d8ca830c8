import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { FORMAT_NAMES, formatFromPath, isFormatName, storeFor } from "../../../src/formats/index.js";

describe("format registry", () => {
  it.each([
    ["secrets.yaml", "yaml"],
    ["a/b/secrets.yml", "yaml"],
    ["x.enc.json", "json"],
    [".env", "dotenv"],
    ["prod.env", "dotenv"],
    ["config.ini", "ini"],
    ["key.txt", "binary"],
    ["SECRETS.JSON", "binary"],
    ["noext", "binary"],
    ["file.yaml.bak", "binary"],
  ])("%s -> %s", (path, format) => {
    expect(formatFromPath(path)).toBe(format);
  });

  it("returns the store named after each non-yaml format", async () => {
    for (const name of ["json", "dotenv", "ini", "binary"] as const) expect((await storeFor(name)).name).toBe(name);
  });

  it.skipIf(!existsSync(new URL("../../../src/formats/yaml/index.ts", import.meta.url)))("loads the yaml store lazily", async () => {
    expect((await storeFor("yaml")).name).toBe("yaml");
  });

  it("recognises format names", () => {
    expect(FORMAT_NAMES.every(isFormatName)).toBe(true);
    expect(isFormatName("toml")).toBe(false);
  });
});
