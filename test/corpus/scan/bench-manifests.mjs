// The speed bench's manifests (issue 5): about 50 MB of ConfigMaps and Deployments with many values,
// a realistic mix with a credential in one file in 50, from a fixed seed. Used by bench/scan-speed.mjs
// and by tests that need many realistic files (the fast YAML reader, --jobs).
import { checksummedToken, rng } from "./random.mjs";

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
