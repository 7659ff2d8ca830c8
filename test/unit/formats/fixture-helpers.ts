/** Shared helpers for the format tests: fixture paths and tree/expected comparisons. */
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Comment, TreeMap } from "../../../src/core/tree.js";
import type { TreeValue } from "../../../src/core/tree.js";

export const FIXTURES = fileURLToPath(new URL("../../../../shared/fixtures/sops/", import.meta.url));

export function fixture(relative: string): Buffer {
  return readFileSync(join(FIXTURES, relative));
}

/** Every fixture that has an `.expected.json` beside it, as paths relative to FIXTURES. */
export function fixturesWithExpectations(): string[] {
  const out: string[] = [];
  for (const dir of readdirSync(FIXTURES)) {
    if (!statSync(join(FIXTURES, dir)).isDirectory()) continue;
    for (const name of readdirSync(join(FIXTURES, dir))) {
      if (name.endsWith(".expected.json")) out.push(`${dir}/${name.slice(0, -".expected.json".length)}`);
    }
  }
  return out.sort();
}

export interface Expected {
  documents: unknown[];
  comments: Array<{ aad: string; text: string }>;
}

export function expectedFor(relative: string): Expected {
  return JSON.parse(fixture(`${relative}.expected.json`).toString("utf8")) as Expected;
}

export const isEnc = (value: unknown): boolean => typeof value === "string" && value.startsWith("ENC[AES256_GCM,");

/**
 * Differences between an encrypted tree and its expected plaintext: same keys in the same order,
 * same container kinds, ENC strings where the plaintext is a non-null scalar, and equal values
 * where the file holds plaintext.
 */
export function structureDiffs(tree: TreeValue, expected: unknown, path = "$"): string[] {
  if (tree instanceof TreeMap) {
    if (typeof expected !== "object" || expected === null || Array.isArray(expected)) return [`${path}: map vs ${typeof expected}`];
    const keys = tree.entries().map((e) => e.key);
    const want = Object.keys(expected);
    if (JSON.stringify(keys) !== JSON.stringify(want)) return [`${path}: keys ${keys.join(",")} vs ${want.join(",")}`];
    return tree.entries().flatMap((e) => structureDiffs(e.value, (expected as Record<string, unknown>)[e.key], `${path}.${e.key}`));
  }
  if (Array.isArray(tree)) {
    const items = tree.filter((i): i is TreeValue => !(i instanceof Comment));
    if (!Array.isArray(expected) || expected.length !== items.length) return [`${path}: list shape differs`];
    return items.flatMap((item, i) => structureDiffs(item, expected[i], `${path}[${i}]`));
  }
  if (isEnc(tree)) return expected === null || typeof expected === "object" ? [`${path}: ENC vs ${String(expected)}`] : [];
  return tree === expected ? [] : [`${path}: ${String(tree)} vs ${String(expected)}`];
}

/** The AAD of every comment in a document: the path of its containing map, joined with `:`. */
export function commentAads(tree: TreeValue, path: string[] = []): string[] {
  const aad = `${path.join(":")}:`;
  if (tree instanceof TreeMap) {
    return tree.items.flatMap((item) => (item instanceof Comment ? [aad] : commentAads(item.value, [...path, item.key])));
  }
  if (Array.isArray(tree)) return tree.flatMap((item) => (item instanceof Comment ? [aad] : commentAads(item, path)));
  return [];
}
