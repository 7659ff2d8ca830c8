// Detector quality on the labelled corpus (test/corpus/scan): recall >= 90% on the credentials and a
// false-positive rate <= 5% on the hard negatives. These thresholds are the acceptance bar.
import { describe, expect, it } from "vitest";
import { createSecretDetector } from "../../src/scan/detect/index.js";
import { loadCorpus } from "../corpus/scan/index.mjs";

const detector = createSecretDetector();
const corpus = loadCorpus();
const results = corpus.map((item) => ({ item, found: detector.detect({ key: item.key, value: item.value }) }));
const positives = results.filter((r) => r.item.label);
const negatives = results.filter((r) => !r.item.label);

describe("detector quality on the labelled corpus", () => {
  it("has several hundred items of both kinds", () => {
    expect(positives.length).toBeGreaterThanOrEqual(300);
    expect(negatives.length).toBeGreaterThanOrEqual(200);
  });

  it("finds at least 90% of the credentials", () => {
    const missed = positives.filter((r) => r.found.length === 0).map((r) => `${r.item.id} (${r.item.note})`);
    const recall = (positives.length - missed.length) / positives.length;
    expect(recall, `missed: ${missed.join(", ")}`).toBeGreaterThanOrEqual(0.9);
  });

  it("flags at most 5% of the hard negatives", () => {
    const flagged = negatives.filter((r) => r.found.length > 0).map((r) => `${r.item.id} (${r.item.note}): ${r.found.map((f) => f.ruleId).join(",")}`);
    expect(flagged.length / negatives.length, `flagged: ${flagged.join("; ")}`).toBeLessThanOrEqual(0.05);
  });

  it("names the expected rule for at least 90% of the credentials it finds", () => {
    const found = positives.filter((r) => r.found.length > 0);
    const right = found.filter((r) => r.found.some((f) => f.ruleId === r.item.rule));
    expect(right.length / found.length).toBeGreaterThanOrEqual(0.9);
  });

  it("reports ranges that hold the match, inside the (possibly decoded) value", () => {
    for (const { item, found } of positives) {
      for (const f of found) {
        const text = f.decodedFrom === "base64" ? Buffer.from(item.value, "base64").toString("latin1") : item.value;
        expect(text.slice(f.start, f.end), item.id).toBe(f.match);
        expect(f.match.length).toBeGreaterThan(0);
      }
    }
  });

  it("finds base64-embedded credentials after decoding, and says so", () => {
    const encoded = positives.filter((r) => r.item.embed === "base64" && r.found.length > 0);
    expect(encoded.length).toBeGreaterThan(50);
    for (const r of encoded) expect(r.found.some((f) => f.decodedFrom === "base64"), r.item.id).toBe(true);
  });

  it("gives the named, verified formats high confidence", () => {
    const verified = positives.filter((r) => ["github-token", "npm-token", "private-key", "aws-access-key-id", "slack-token", "stripe-secret-key"].includes(r.item.rule ?? ""));
    expect(verified.length).toBeGreaterThan(30);
    for (const r of verified) expect(r.found.find((f) => f.ruleId === r.item.rule)?.confidence, r.item.id).toBe("high");
  });
});
