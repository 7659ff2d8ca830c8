// Scan speed (issue 5): 50 MB of Kubernetes manifests (ConfigMaps and Deployments with many values, a
// realistic mix with a few credentials), written to a temporary directory and scanned by the real
// commands as a user runs them, in the same run, interleaved: `coffer scan DIR -o json` (bin/coffer.js,
// built) against the `secretlint` CLI with its recommended preset (its profiler is off unless --profile).
// Goal: >= 3x faster. Also: coffer on one thread (--jobs 1), and, as a secondary figure, detect() alone
// on the values already extracted (what the detectors cost without reading, parsing and walking).
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { lintSource } from "@secretlint/core";
import { createSecretDetector } from "../dist/src/scan/detect/index.js";
import { manifests } from "../test/corpus/scan/bench-manifests.mjs";
import { compare } from "./lib.mjs";
import { SECRETLINT_CONFIG } from "./scan-quality.mjs";
import { walkLines } from "./scan-walker.mjs";

const REPO = fileURLToPath(new URL("../", import.meta.url));

/** Runs a scanner as a process; exit status 1 means "findings", anything else is a failure. */
function run(argv, cwd) {
  const result = spawnSync(argv[0], argv.slice(1), { cwd, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  if (result.status !== 0 && result.status !== 1) throw new Error(`${argv.join(" ")} failed (${result.status}): ${result.stderr}`);
  return result.stdout;
}

export async function benchScanSpeed() {
  const { files, bytes } = manifests();
  const dir = mkdtempSync(join(tmpdir(), "coffer-bench-scan-"));
  mkdirSync(join(dir, "m"));
  files.forEach((text, index) => writeFileSync(join(dir, "m", `m${String(index).padStart(5, "0")}.yaml`), text));
  writeFileSync(join(dir, ".secretlintrc.json"), JSON.stringify({ rules: [{ id: "@secretlint/secretlint-rule-preset-recommend" }] }));
  const coffer = (...extra) => ["node", join(REPO, "bin/coffer.js"), "scan", "m", "-o", "json", ...extra];
  const secretlint = [join(REPO, "node_modules/.bin/secretlint"), "--secretlintrc", ".secretlintrc.json", "m/**/*"];
  const mb = (bytes / 1e6).toFixed(0);
  try {
    // Findings of each, from runs outside the timed ones (secretlint's default "stylish" output has
    // one line per finding that names its rule).
    const cofferFindings = JSON.parse(run(coffer(), dir)).findings.length;
    const secretlintFindings = run(secretlint, dir).split("\n").filter((line) => /\s@secretlint\//.test(line)).length;
    const real = await compare({ runs: 5, warmup: 1, subject: () => run(coffer(), dir), baseline: () => run(secretlint, dir) });
    const single = await compare({ runs: 3, warmup: 0, subject: () => run(coffer("--jobs", "1"), dir), baseline: () => run(secretlint, dir) });
    // The detectors alone: the same values, already extracted, against secretlint in-process.
    const detector = createSecretDetector();
    const pairs = [];
    for (const text of files) walkLines(text, (key, value) => pairs.push({ key, value }));
    const inProcessSecretlint = async () => {
      for (const [i, content] of files.entries()) {
        await lintSource({ source: { filePath: `/bench/m${i}.yaml`, content, ext: ".yaml", contentType: "text" }, options: { config: SECRETLINT_CONFIG, maskSecrets: true } });
      }
    };
    const detectOnly = await compare({
      runs: 3,
      warmup: 1,
      subject: () => {
        for (const pair of pairs) detector.detect(pair);
      },
      baseline: inProcessSecretlint,
    });
    const cores = availableParallelism();
    return [
      { kind: "speedup", name: `coffer scan DIR -o json on ${mb} MB of manifests (${files.length} files, ${cores} threads; ${cofferFindings} findings vs secretlint's ${secretlintFindings})`, ...real, baselineName: "secretlint CLI (recommended preset)", goal: 3 },
      { kind: "speedup", name: `coffer scan DIR -o json --jobs 1 on the same ${mb} MB (one thread)`, ...single, baselineName: "secretlint CLI (recommended preset)" },
      { kind: "speedup", name: `secondary: detect() alone on the ${pairs.length.toLocaleString("en")} values of those ${mb} MB (no reading, parsing or walking)`, ...detectOnly, baselineName: "secretlint in-process (lintSource) on the files" },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
