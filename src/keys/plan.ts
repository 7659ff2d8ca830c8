/**
 * Key changes as a plan (pure data, printable) before anything is wrapped or written: which keys
 * each group gains, loses and keeps, whether the threshold or group layout changes (then every
 * group is re-split and re-wrapped), and whether the data key itself is replaced (`rotate`).
 */
import { CofferError } from "../errors.js";
import type { Metadata } from "../core/metadata.js";
import type { KeyGroup, KeyStanza } from "../provider.js";
import { stanzaIdentity, stanzaName, templateOf } from "./stanza-identity.js";

/** What happens to one key group (by position; groups past the wanted count lose every key). */
export interface GroupChange {
  index: number;
  /** Templates (no `enc`) of keys the group gains. */
  added: KeyStanza[];
  /** Stanzas of the file the group loses. */
  removed: KeyStanza[];
  /** Stanzas of the file that stay (verbatim unless the plan re-wraps everything). */
  kept: KeyStanza[];
}

/** A printable description of a key change for one file. */
export interface KeyUpdatePlan {
  kind: "updatekeys" | "rotate";
  /** One entry per group position in the old or new layout, whichever has more. */
  groups: GroupChange[];
  /** The wanted key groups as templates, in order; the executor wraps from these. */
  wanted: KeyGroup[];
  /** Effective thresholds (only with two or more groups). */
  threshold: { before?: number | undefined; after?: number | undefined };
  /** Every group is re-split and re-wrapped (layout or threshold changed, or a new data key). */
  reshare: boolean;
  /** A new data key, every value re-encrypted (`rotate`). */
  newDataKey: boolean;
  /** Whether applying the plan changes the file at all. */
  changed: boolean;
}

/** What the keys should be: from the matching creation rule, or built by `rotate`. */
export interface WantedKeys {
  keyGroups: readonly KeyGroup[];
  shamirThreshold?: number | undefined;
}

function effectiveThreshold(groupCount: number, threshold: number | undefined): number | undefined {
  return groupCount >= 2 ? (threshold ?? groupCount) : undefined;
}

function diffGroup(index: number, current: KeyGroup, wanted: KeyGroup): GroupChange {
  const wantedIds = new Set(wanted.map(stanzaIdentity));
  const currentIds = new Set(current.map(stanzaIdentity));
  return {
    index,
    added: wanted.filter((stanza) => !currentIds.has(stanzaIdentity(stanza))),
    removed: current.filter((stanza) => !wantedIds.has(stanzaIdentity(stanza))),
    kept: current.filter((stanza) => wantedIds.has(stanzaIdentity(stanza))),
  };
}

function validateWanted(wanted: WantedKeys): KeyGroup[] {
  const groups = wanted.keyGroups.filter((group) => group.length > 0);
  if (groups.length === 0 || groups.length !== wanted.keyGroups.length) {
    throw new CofferError("NO_RECIPIENTS", "the key groups asked for are empty", {
      hint: "the creation rule (or the --rm-* flags) would leave a key group without keys; keep at least one key per group",
    });
  }
  const threshold = effectiveThreshold(groups.length, wanted.shamirThreshold);
  if (threshold !== undefined && (threshold < 1 || threshold > groups.length)) {
    throw new CofferError("CONFIG_INVALID", `a shamir threshold of ${threshold} needs at least ${threshold} key groups`, {
      hint: "lower shamir_threshold or add key groups",
    });
  }
  return groups.map((group) => group.map(templateOf));
}

function buildPlan(kind: KeyUpdatePlan["kind"], metadata: Pick<Metadata, "keyGroups" | "shamirThreshold">, wanted: WantedKeys): KeyUpdatePlan {
  const target = validateWanted(wanted);
  const current = metadata.keyGroups;
  const count = Math.max(current.length, target.length);
  const groups = Array.from({ length: count }, (_, index) => diffGroup(index, current[index] ?? [], target[index] ?? []));
  const threshold = {
    before: effectiveThreshold(current.length, metadata.shamirThreshold),
    after: effectiveThreshold(target.length, wanted.shamirThreshold),
  };
  const newDataKey = kind === "rotate";
  const reshare = newDataKey || current.length !== target.length || threshold.before !== threshold.after;
  const changed = reshare || groups.some((group) => group.added.length > 0 || group.removed.length > 0);
  return { kind, groups, wanted: target, threshold, reshare, newDataKey, changed };
}

/**
 * `updatekeys`: compares the file's key groups with the creation rule's. Pure; the data key is
 * kept, so the plan is "no changes" when every group already holds exactly the wanted keys.
 */
export function planKeyUpdate(metadata: Pick<Metadata, "keyGroups" | "shamirThreshold">, wanted: WantedKeys): KeyUpdatePlan {
  return buildPlan("updatekeys", metadata, wanted);
}

/** `--add-*` / `--rm-*` of `rotate`. */
export interface RotationKeyChanges {
  /** Templates added to group 0 (skipped when already there). */
  add?: readonly KeyStanza[] | undefined;
  /** Keys removed from every group, matched by type and public name (recipient, fp, arn ...). */
  remove?: readonly KeyStanza[] | undefined;
}

/**
 * `rotate`: the file's own groups and threshold, with removals applied everywhere and additions
 * to group 0 (as sops does); always a new data key and every key re-wrapped.
 */
export function planRotation(metadata: Pick<Metadata, "keyGroups" | "shamirThreshold">, changes: RotationKeyChanges = {}): KeyUpdatePlan {
  const removeNames = new Set((changes.remove ?? []).map(stanzaName));
  const groups = metadata.keyGroups.map((group) => group.filter((stanza) => !removeNames.has(stanzaName(stanza))).map(templateOf));
  const first = groups[0] ?? [];
  for (const stanza of changes.add ?? []) {
    if (!groups.some((group) => group.some((existing) => stanzaIdentity(existing) === stanzaIdentity(stanza)))) first.push(templateOf(stanza));
  }
  if (groups.length === 0) groups.push(first);
  return buildPlan("rotate", metadata, { keyGroups: groups, shamirThreshold: metadata.shamirThreshold });
}

/** Human-readable lines for a plan (`+ age age1…`, `- pgp FP`, `= kept`), without a trailing newline. */
export function formatPlan(plan: KeyUpdatePlan): string[] {
  if (!plan.changed) return ["no changes"];
  const lines: string[] = [];
  if (plan.newDataKey) lines.push("new data key; every value re-encrypted");
  const { before, after } = plan.threshold;
  if (before !== after) lines.push(`shamir threshold: ${before ?? "none"} -> ${after ?? "none"}`);
  const groupCount = plan.wanted.length;
  if (plan.reshare && !plan.newDataKey) lines.push(`key groups re-split and re-wrapped (${groupCount} group${groupCount === 1 ? "" : "s"})`);
  const multi = plan.groups.length > 1;
  for (const group of plan.groups) {
    const indent = multi ? "  " : "";
    if (multi) lines.push(`group ${group.index}:${group.index >= groupCount ? " (removed)" : ""}`);
    for (const stanza of group.added) lines.push(`${indent}+ ${stanzaName(stanza)}`);
    for (const stanza of group.removed) lines.push(`${indent}- ${stanzaName(stanza)}`);
    for (const stanza of group.kept) lines.push(`${indent}${plan.reshare ? "~" : "="} ${stanzaName(stanza)}`);
  }
  return lines;
}
