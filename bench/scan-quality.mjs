// Scan quality (issue 5): Coffer's detectors against secretlint (recommended preset) on the labelled
// corpus of test/corpus/scan, each item rendered as the manifest it would sit in (ConfigMap data,
// Secret data, Deployment env) and scanned as a whole file by both tools in the same run.
// Goal: recall >= 90% with a false-positive rate <= 5% on the hard negatives.
import { lintSource } from "@secretlint/core";
import { secretLintProfiler } from "@secretlint/profiler";
import { creator as recommended } from "@secretlint/secretlint-rule-preset-recommend";
import { createSecretDetector } from "../dist/src/scan/detect/index.js";
import { loadCorpus, renderManifest } from "../test/corpus/scan/index.mjs";
import { walkParsed } from "./scan-walker.mjs";

// As the secretlint CLI does without --profile: its profiler marks every rule call on every file.
secretLintProfiler.setEnabled(false);

export const SECRETLINT_CONFIG = { rules: [{ id: "@secretlint/secretlint-rule-preset-recommend", rule: recommended }] };

export async function secretlintFindings(content, filePath) {
  const result = await lintSource({ source: { filePath, content, ext: ".yaml", contentType: "text" }, options: { config: SECRETLINT_CONFIG, maskSecrets: true } });
  return result.messages.length;
}

function score(flags, items) {
  const count = (label, flagged) => items.filter((item, i) => item.label === label && flags[i] === flagged).length;
  const [tp, fn, fp, tn] = [count(true, true), count(true, false), count(false, true), count(false, false)];
  return { precision: tp + fp === 0 ? 1 : tp / (tp + fp), recall: tp / (tp + fn), fpr: fp / (fp + tn) };
}

export async function benchScanQuality() {
  const items = loadCorpus();
  const detector = createSecretDetector();
  const files = items.map((item) => ({ path: `/corpus/${item.id}.yaml`, text: renderManifest(item) }));
  const coffer = files.map(({ text }) => {
    let found = 0;
    walkParsed(text, (key, value) => (found += detector.detect({ key, value }).length));
    return found > 0;
  });
  const secretlint = [];
  for (const file of files) secretlint.push((await secretlintFindings(file.text, file.path)) > 0);
  const positives = items.filter((i) => i.label).length;
  return [
    {
      kind: "quality",
      name: `scan quality: ${items.length} manifests (${positives} credentials, ${items.length - positives} hard negatives)`,
      subject: score(coffer, items),
      baselineName: "secretlint (recommended preset)",
      baseline: score(secretlint, items),
      goal: { recall: 0.9, fpr: 0.05 },
    },
  ];
}
