// Scan speed (issue 5): 50 MB of Kubernetes manifests (ConfigMaps and Deployments with many values, a
// realistic mix with a few credentials), Coffer's detectors against secretlint (recommended preset) on
// the same files in the same run. Coffer reads the manifests with a line walker (bench/scan-walker.mjs)
// and hands every value with its key to detect(); secretlint lints each file's text. Goal: >= 3x faster.
// Further rows: detect() alone on the extracted values, and the cost of parsing with the `yaml` package
// instead of the line walker (on a tenth of the files).
import { lintSource } from "@secretlint/core";
import { createSecretDetector } from "../dist/src/scan/detect/index.js";
import { checksummedToken, rng } from "../test/corpus/scan/random.mjs";
import { compare } from "./lib.mjs";
import { SECRETLINT_CONFIG } from "./scan-quality.mjs";
import { walkLines, walkParsed } from "./scan-walker.mjs";

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

export async function benchScanSpeed() {
  const { files, bytes } = manifests();
  const detector = createSecretDetector();
  let cofferFindings = 0;
  let secretlintFindings = 0;
  const coffer = (walk, list) => () => {
    cofferFindings = 0;
    for (const text of list) walk(text, (key, value) => (cofferFindings += detector.detect({ key, value }).length));
  };
  const secretlint = (list) => async () => {
    secretlintFindings = 0;
    for (const [i, content] of list.entries()) {
      const result = await lintSource({ source: { filePath: `/bench/m${i}.yaml`, content, ext: ".yaml", contentType: "text" }, options: { config: SECRETLINT_CONFIG, maskSecrets: true } });
      secretlintFindings += result.messages.length;
    }
  };
  const mb = (bytes / 1e6).toFixed(0);
  const lines = await compare({ runs: 5, warmup: 1, subject: coffer(walkLines, files), baseline: secretlint(files) });
  const lineFindings = cofferFindings;
  const secretlintLineFindings = secretlintFindings;
  // The detector alone: the same values, already extracted (what remains once a walker is free).
  const pairs = [];
  for (const text of files) walkLines(text, (key, value) => pairs.push({ key, value }));
  const detectOnly = await compare({
    runs: 3,
    warmup: 1,
    subject: () => {
      for (const pair of pairs) detector.detect(pair);
    },
    baseline: secretlint(files),
  });
  const tenth = files.slice(0, Math.ceil(files.length / 10));
  const parsed = await compare({ runs: 3, warmup: 1, subject: coffer(walkParsed, tenth), baseline: secretlint(tenth) });
  return [
    { kind: "speedup", name: `scan ${mb} MB of manifests (${files.length} files, line walker + detect; ${lineFindings} findings vs secretlint's ${secretlintLineFindings})`, ...lines, baselineName: "secretlint (recommended preset)", goal: 3 },
    { kind: "speedup", name: `detect() alone on the ${pairs.length.toLocaleString("en")} values of those ${mb} MB`, ...detectOnly, baselineName: "secretlint (recommended preset) on the files" },
    { kind: "speedup", name: `scan ${(bytes / 10e6).toFixed(0)} MB of manifests, parsed with the yaml package + detect`, ...parsed, baselineName: "secretlint (recommended preset)" },
  ];
}
