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
import { checksummedToken, rng } from "../test/corpus/scan/random.mjs";
import { compare } from "./lib.mjs";
import { SECRETLINT_CONFIG } from "./scan-quality.mjs";
import { walkLines } from "./scan-walker.mjs";

const TARGET_BYTES = 50e6;

function configMap(r, n) {
  const lines = ["apiVersion: v1", "kind: ConfigMap", "metadata:", `  name: settings-${n}`, `  namespace: team-${n % 17}`, "  labels:", `    app.kubernetes.io/name: svc-${n}`, "    app.kubernetes.io/part-of: shop", "  annotations:", `    checksum/values: ${r.hex(64)}`, "data:"];
  for (let i = 0; i < 120; i++) {
    switch (i % 10) {
      case 0: lines.push(`  LOG_LEVEL_${i}: "${r.pick(["info", "debug", "warn"])}"`); break;
      case 1: lines.push(`  UPSTREAM_${i}_URL: "http://svc-${r.int(1, 400)}.team-${r.int(1, 17)}.svc.cluster.local:${r.int(8000, 9000)}/api/v${r.int(1, 3)}"`); break;
      case 2: lines.push(`  TIMEOUT_${i}_MS: "${r.int(100, 30000)}"`); break;
      case 3: lines.push(`  FEATURE_${i}_ENABLED: "${r.pick(["true", "false"])}"`); break;
      case 4: lines.push(`  REQUEST_${i}_ID: "${r.uuid()}"`); break;
      case 5: lines.push(`  cache.${i}.ttl: "${r.int(1, 90)}m"`); break;
      case 6: lines.push(`  message_${i}: "Order ${r.int(1, 9999)} could not be shipped; retry in ${r.int(1, 60)} minutes"`); break;
      case 7: lines.push(`  BUILD_${i}: "${r.int(2023, 2026)}.${r.int(1, 12)}.${r.int(1, 28)}-${r.hex(7)}"`); break;
      case 8:
        lines.push(`  app-${i}.properties: |`, `    server.port=${r.int(8000, 9000)}`, `    spring.datasource.url=jdbc:postgresql://db-${r.int(1, 9)}:5432/orders`, "    spring.datasource.username=orders", "    spring.datasource.password=${DB_PASSWORD}", `    management.endpoints.web.exposure.include=health,info`);
        break;
      default: lines.push(`  settings-${i}.json: '{"retries": ${r.int(1, 9)}, "backoff": "exponential", "region": "eu-west-${r.int(1, 3)}", "bucket": "assets-${r.hex(6)}"}'`);
    }
  }
  return lines.join("\n") + "\n";
}

function deployment(r, n) {
  const env = [];
  for (let i = 0; i < 60; i++) {
    env.push(`        - name: SETTING_${i}`, `          value: "${r.pick(["on", "off", String(r.int(1, 1000)), `svc-${r.int(1, 99)}.internal`, r.uuid()])}"`);
  }
  env.push("        - name: DB_PASSWORD", "          valueFrom:", "            secretKeyRef:", "              name: db", "              key: password");
  return [
    "apiVersion: apps/v1", "kind: Deployment", "metadata:", `  name: svc-${n}`, `  namespace: team-${n % 17}`, "spec:", `  replicas: ${r.int(1, 6)}`, "  selector:", "    matchLabels:", `      app: svc-${n}`, "  template:", "    metadata:", "      labels:", `        app: svc-${n}`, "    spec:", "      containers:", "      - name: app",
    `        image: registry.corp/shop/svc-${n}@sha256:${r.hex(64)}`, "        env:", ...env, "        resources:", "          limits:", `            memory: ${r.int(128, 2048)}Mi`, `            cpu: ${r.int(100, 2000)}m`,
  ].join("\n") + "\n";
}

/** About 50 MB of manifests, one file per object pair; one file in 50 carries a credential. */
export function manifests(target = TARGET_BYTES) {
  const r = rng(0x50);
  const files = [];
  let bytes = 0;
  for (let n = 0; bytes < target; n++) {
    let text = `${configMap(r, n)}---\n${deployment(r, n)}`;
    if (n % 50 === 0) text += `---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: leak-${n}\ndata:\n  GITHUB_TOKEN: ${checksummedToken(r, "ghp_")}\n  DATABASE_URL: postgres://app:${r.chars("abcdefghijkLMNOPQ0123456789", 16)}@db:5432/app\n`;
    files.push(text);
    bytes += text.length;
  }
  return { files, bytes };
}

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
