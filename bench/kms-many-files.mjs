// Many files at once (the CD case): 500 YAML files, each with its own data key wrapped by the AWS
// KMS fake answering every call 20 ms late. One `coffer decrypt -r DIR --output-dir OUT` run
// against the loop people write around sops today: one `coffer decrypt FILE` process per file,
// in sequence. Goal (issue #3): at least 25x faster. The run is also shown beside its limit,
// ceil(500 / concurrency) x 20 ms: what the key-service calls alone cost at that concurrency.
//
// The fake runs in this process, so every coffer process is spawned asynchronously (a spawnSync
// would stop the fake from answering). The per-file loop is timed on a sample and scaled to 500.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import { median, printWhenRunDirectly, run, time } from "./lib.mjs";

const FILES = 500;
const LATENCY_MS = 20;
const CONCURRENCY = 16; // coffer's default for network key services
const SAMPLE = 50;
const RUNS = 3;

/** Loads the TypeScript fake by bundling it (it only uses node: modules). */
async function loadAwsKmsFake(dir) {
  const outfile = join(dir, "aws-kms-fake.mjs");
  await build({ entryPoints: ["test/fakes/aws-kms/server.ts"], outfile, bundle: true, format: "esm", platform: "node", target: "node20", logLevel: "warning" });
  return import(pathToFileURL(outfile).href);
}

export async function benchKmsManyFiles() {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
  const dir = mkdtempSync(join(tmpdir(), "coffer-bench-kms-"));
  const { startAwsKmsFake } = await loadAwsKmsFake(dir);
  const { encrypt } = await import("../dist/src/index.js");
  const { kmsKeyFromArnString } = await import("../dist/src/config/index.js");
  const { createAwsKmsProvider } = await import("../dist/providers/aws-kms/index.js");

  const fake = await startAwsKmsFake();
  try {
    const key = fake.createKey({ alias: "bench" });
    const provider = createAwsKmsProvider({ endpoint: fake.url, credentials: { ...fake.credentials } });
    const repo = join(dir, "repo");
    mkdirSync(repo);
    const files = Array.from({ length: FILES }, (_, i) => join(repo, `service-${String(i).padStart(3, "0")}.yaml`));
    for (let start = 0; start < FILES; start += 32) {
      await Promise.all(
        files.slice(start, start + 32).map(async (file, j) => {
          const plain = `service: app-${start + j}\ndb_password: pw-${start + j}\napi_token: tok-${start + j}\n`;
          writeFileSync(file, await encrypt(plain, { format: "yaml", keyGroups: [[kmsKeyFromArnString(key.arn)]], providers: [provider] }));
        }),
      );
    }

    fake.latencyMs = LATENCY_MS;
    const env = {
      PATH: process.env.PATH,
      HOME: dir,
      AWS_ACCESS_KEY_ID: fake.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: fake.credentials.secretAccessKey,
      AWS_ENDPOINT_URL_KMS: fake.url,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    };
    const coffer = [process.execPath, "bin/coffer.js"];
    let outputs = 0;
    const oneRun = () => run([...coffer, "decrypt", "-r", repo, "--output-dir", join(dir, `out-${outputs++}`), "--concurrency", String(CONCURRENCY)], env);
    const sample = files.filter((_, i) => i % (FILES / SAMPLE) === 0);
    const perFileLoop = async () => {
      for (const file of sample) await run([...coffer, "decrypt", "--output", join(dir, "loop.yaml"), file], env);
    };

    // Warm up (file cache, SDK modules), then interleave the two.
    await oneRun();
    await run([...coffer, "decrypt", "--output", join(dir, "loop.yaml"), files[0]], env);
    const batch = [];
    const loop = [];
    for (let i = 0; i < RUNS; i++) {
      batch.push(await time(oneRun));
      loop.push((await time(perFileLoop)) * (FILES / SAMPLE));
    }
    const subject = median(batch);
    const limit = Math.ceil(FILES / CONCURRENCY) * LATENCY_MS;
    return [
      {
        name: `${FILES} KMS files, ${LATENCY_MS} ms/call: one decrypt -r run vs a process per file (${SAMPLE}-file sample x${FILES / SAMPLE})`,
        subject,
        baseline: median(loop),
        baselineName: "per-file loop",
        kind: "speedup",
        goal: 25,
      },
      {
        name: `${FILES} KMS files, ${LATENCY_MS} ms/call: one decrypt -r run vs its limit (concurrency ${CONCURRENCY})`,
        subject,
        baseline: limit,
        baselineName: `ceil(${FILES}/${CONCURRENCY}) x ${LATENCY_MS} ms`,
      },
    ];
  } finally {
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await printWhenRunDirectly(import.meta.url, benchKmsManyFiles);
