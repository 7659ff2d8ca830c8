import { describe, expect, it } from "vitest";
import { TreeMap } from "../../../src/core/tree.js";
import type { KeyStanza } from "../../../src/provider.js";
import { formatPlan, planKeyUpdate, planRotation, stanzaIdentity } from "../../../src/keys/index.js";
import { errorCodeOf } from "../../helpers/errors.js";

const age = (recipient: string, enc?: string): KeyStanza => ({
  type: "age",
  fields: TreeMap.from(enc === undefined ? { recipient } : { recipient, enc }),
});
const kms = (fields: Record<string, string>): KeyStanza => ({ type: "kms", fields: TreeMap.from(fields) });

describe("stanzaIdentity", () => {
  it("ignores enc, created_at, field order and empty fields", () => {
    const inFile = kms({ created_at: "2024-01-01T00:00:00Z", enc: "AQID", aws_profile: "", role: "", arn: "arn:aws:kms:eu-west-1:1:key/a" });
    const template = kms({ arn: "arn:aws:kms:eu-west-1:1:key/a", aws_profile: "" });
    expect(stanzaIdentity(inFile)).toBe(stanzaIdentity(template));
  });

  it("tells apart keys that differ in a real field", () => {
    expect(stanzaIdentity(kms({ arn: "arn:aws:kms:eu-west-1:1:key/a", aws_profile: "p" }))).not.toBe(
      stanzaIdentity(kms({ arn: "arn:aws:kms:eu-west-1:1:key/a", aws_profile: "" })),
    );
  });
});

describe("planKeyUpdate", () => {
  it("reports no changes when the file already holds the wanted keys", () => {
    const plan = planKeyUpdate({ keyGroups: [[age("age1a", "x"), age("age1b", "y")]] }, { keyGroups: [[age("age1b"), age("age1a")]] });
    expect(plan.changed).toBe(false);
    expect(formatPlan(plan)).toEqual(["no changes"]);
  });

  it("lists added, removed and kept keys of a group without re-sharing", () => {
    const plan = planKeyUpdate({ keyGroups: [[age("age1a", "x"), age("age1b", "y")]] }, { keyGroups: [[age("age1a"), age("age1c")]] });
    expect(plan.changed).toBe(true);
    expect(plan.reshare).toBe(false);
    expect(plan.groups[0]!.added.map((s) => s.fields.get("recipient"))).toEqual(["age1c"]);
    expect(plan.groups[0]!.removed.map((s) => s.fields.get("recipient"))).toEqual(["age1b"]);
    expect(plan.groups[0]!.kept[0]!.fields.get("enc")).toBe("x");
    expect(formatPlan(plan)).toEqual(["+ age age1c", "- age age1b", "= age age1a"]);
  });

  it("re-shares when the threshold changes", () => {
    const metadata = { keyGroups: [[age("age1a", "x")], [age("age1b", "y")], [age("age1c", "z")]], shamirThreshold: 2 };
    const plan = planKeyUpdate(metadata, { keyGroups: [[age("age1a")], [age("age1b")], [age("age1c")]], shamirThreshold: 3 });
    expect(plan.reshare).toBe(true);
    expect(plan.threshold).toEqual({ before: 2, after: 3 });
    expect(formatPlan(plan)).toContain("shamir threshold: 2 -> 3");
  });

  it("re-shares when the number of groups changes, and lists a dropped group", () => {
    const plan = planKeyUpdate({ keyGroups: [[age("age1a", "x")], [age("age1b", "y")]] }, { keyGroups: [[age("age1a")]] });
    expect(plan.reshare).toBe(true);
    expect(plan.threshold).toEqual({ before: 2, after: undefined });
    expect(plan.groups).toHaveLength(2);
    expect(plan.groups[1]!.removed).toHaveLength(1);
  });

  it("refuses empty wanted groups and a threshold above the group count", () => {
    expect(errorCodeOf(() => planKeyUpdate({ keyGroups: [[age("age1a", "x")]] }, { keyGroups: [] }))).toBe("NO_RECIPIENTS");
    expect(errorCodeOf(() => planKeyUpdate({ keyGroups: [[age("age1a", "x")]] }, { keyGroups: [[age("age1a")], []] }))).toBe("NO_RECIPIENTS");
    expect(errorCodeOf(() => planKeyUpdate({ keyGroups: [[age("age1a", "x")]] }, { keyGroups: [[age("age1a")], [age("age1b")]], shamirThreshold: 3 }))).toBe(
      "CONFIG_INVALID",
    );
  });
});

describe("planRotation", () => {
  it("adds to group 0, removes everywhere, keeps the threshold and always re-wraps", () => {
    const metadata = { keyGroups: [[age("age1a", "x")], [age("age1b", "y"), age("age1a", "z")]], shamirThreshold: 2 };
    const plan = planRotation(metadata, { add: [age("age1c")], remove: [age("age1a")] });
    expect(plan.newDataKey).toBe(true);
    expect(plan.reshare).toBe(true);
    expect(plan.wanted.map((group) => group.map((s) => s.fields.get("recipient")))).toEqual([["age1c"], ["age1b"]]);
    expect(plan.wanted.flat().every((s) => !s.fields.has("enc"))).toBe(true);
    expect(plan.threshold.after).toBe(2);
  });

  it("refuses to remove the last key of a group", () => {
    expect(errorCodeOf(() => planRotation({ keyGroups: [[age("age1a", "x")]] }, { remove: [age("age1a")] }))).toBe("NO_RECIPIENTS");
  });

  it("does not add a key the file already has", () => {
    const plan = planRotation({ keyGroups: [[age("age1a", "x")]] }, { add: [age("age1a")] });
    expect(plan.wanted[0]).toHaveLength(1);
  });
});
