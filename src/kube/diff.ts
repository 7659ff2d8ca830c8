/**
 * What applying an object changes, without ever showing a value: per key of a Secret's or a
 * ConfigMap's data (added, changed, removed, unchanged, each with a keyed fingerprint), and for
 * everything else the paths of the fields that differ. Compares the live object with the
 * server's answer to the apply (a dry run or the real one), so defaulting is accounted for.
 */
import { isDeepStrictEqual } from "node:util";
import { isRecord } from "../records.js";
import { splitApiVersion } from "./discovery.js";
import type { Fingerprinter } from "./fingerprint.js";
import type { KubeObject } from "./manifests.js";

export type Change = "added" | "changed" | "removed" | "unchanged";

export interface KeyChange {
  /** e.g. `data.password`. */
  key: string;
  change: Change;
  /** Fingerprint of the value after the apply (absent when removed). */
  fingerprint?: string;
  /** Fingerprint of the value before (only when changed or removed). */
  previous?: string;
}

export interface ObjectDiff {
  /** created: no live object; configured: something differs; unchanged: nothing does. */
  action: "created" | "configured" | "unchanged";
  keys: KeyChange[];
  /** Other fields that differ (paths, never values), e.g. `spec.replicas`. */
  fields: string[];
}

/** Fields that change on every write or are not the user's to set. */
const NOISE_METADATA = new Set(["managedFields", "resourceVersion", "generation", "creationTimestamp", "uid", "selfLink"]);
const MAX_FIELDS = 50;

type Json = Record<string, unknown>;

function asRecord(value: unknown): Json | undefined {
  return isRecord(value) ? value : undefined;
}

/** Keyed maps shown per key: `data` (base64 for Secrets) and a ConfigMap's `binaryData`. */
function keyedMaps(kind: string): Array<{ field: string; base64: boolean }> {
  if (kind === "Secret") return [{ field: "data", base64: true }];
  if (kind === "ConfigMap") return [{ field: "data", base64: false }, { field: "binaryData", base64: true }];
  return [];
}

function bytesOf(value: unknown, base64: boolean): Uint8Array {
  const text = typeof value === "string" ? value : JSON.stringify(value ?? null);
  return base64 ? Buffer.from(text, "base64") : Buffer.from(text, "utf8");
}

function diffKeys(identity: string, field: string, base64: boolean, before: Json, after: Json, fp: Fingerprinter): KeyChange[] {
  const names = [...new Set([...Object.keys(after), ...Object.keys(before)])].sort();
  return names.map((name) => {
    const key = `${field}.${name}`;
    const previous = Object.hasOwn(before, name) ? bytesOf(before[name], base64) : undefined;
    const next = Object.hasOwn(after, name) ? bytesOf(after[name], base64) : undefined;
    if (previous === undefined) return { key, change: "added", fingerprint: fp.of(identity, key, next!) };
    if (next === undefined) return { key, change: "removed", previous: fp.of(identity, key, previous) };
    const fingerprint = fp.of(identity, key, next);
    if (Buffer.compare(previous, next) === 0) return { key, change: "unchanged", fingerprint };
    return { key, change: "changed", fingerprint, previous: fp.of(identity, key, previous) };
  });
}

/** Leaf paths where `a` and `b` differ (objects descended, arrays compared whole). */
function differingPaths(a: unknown, b: unknown, prefix: string, out: string[]): void {
  if (out.length >= MAX_FIELDS || isDeepStrictEqual(a, b)) return;
  const ra = asRecord(a);
  const rb = asRecord(b);
  if (ra === undefined || rb === undefined) {
    out.push(prefix);
    return;
  }
  for (const key of [...new Set([...Object.keys(ra), ...Object.keys(rb)])].sort()) {
    differingPaths(ra[key], rb[key], prefix === "" ? key : `${prefix}.${key}`, out);
  }
}

/** The object without server bookkeeping, the keyed maps and status, for comparing fields. */
function comparable(object: KubeObject | undefined, skip: readonly string[]): Json {
  if (object === undefined) return {};
  const copy: Json = { ...object };
  delete copy.status;
  for (const field of skip) delete copy[field];
  const metadata = { ...(asRecord(object.metadata) ?? {}) };
  for (const noisy of NOISE_METADATA) delete metadata[noisy];
  copy.metadata = metadata;
  return copy;
}

/** Identity used to salt fingerprints: group/kind/name (no namespace: environments compare). */
export function fingerprintIdentity(apiVersion: string, kind: string, name: string): string {
  return `${splitApiVersion(apiVersion).group}/${kind}/${name}`;
}

export function diffObject(identity: string, kind: string, live: KubeObject | undefined, next: KubeObject, fp: Fingerprinter): ObjectDiff {
  const maps = keyedMaps(kind);
  const keys = maps.flatMap(({ field, base64 }) => diffKeys(identity, field, base64, asRecord(live?.[field]) ?? {}, asRecord(next[field]) ?? {}, fp));
  const fields: string[] = [];
  if (live !== undefined) differingPaths(comparable(live, maps.map((m) => m.field)), comparable(next, maps.map((m) => m.field)), "", fields);
  const action = live === undefined ? "created" : fields.length > 0 || keys.some((k) => k.change !== "unchanged") ? "configured" : "unchanged";
  return { action, keys, fields };
}

/** Whether a Secret's data differs between the live object and the applied one. */
export function secretDataChanged(live: KubeObject | undefined, next: KubeObject): boolean {
  return live !== undefined && !isDeepStrictEqual(asRecord(live.data) ?? {}, asRecord(next.data) ?? {});
}
