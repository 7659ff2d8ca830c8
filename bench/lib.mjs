// Small benchmark helpers: interleaved runs, medians, and a side-by-side table.
import { spawn, spawnSync } from "node:child_process";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Times `fn` and `baseline` alternately `runs` times (after warm-up) and returns medians in ms. */
export async function compare({ runs, warmup = 2, subject, baseline }) {
  for (let i = 0; i < warmup; i++) {
    await subject();
    await baseline();
  }
  const a = [];
  const b = [];
  for (let i = 0; i < runs; i++) {
    let t = performance.now();
    await subject();
    a.push(performance.now() - t);
    t = performance.now();
    await baseline();
    b.push(performance.now() - t);
  }
  return { subject: median(a), baseline: median(b) };
}

/** A function that runs a command to completion and throws if it fails. */
export function command(argv, options = {}) {
  return () => {
    const result = spawnSync(argv[0], argv.slice(1), { stdio: ["ignore", "ignore", "pipe"], ...options });
    if (result.status !== 0) throw new Error(`${argv.join(" ")} failed: ${result.stderr}`);
  };
}

const pct = (x) => `${(x * 100).toFixed(1)}%`;
const quality = (q) => `recall ${pct(q.recall)}, precision ${pct(q.precision)}, FP rate ${pct(q.fpr)}`;

export function formatRow(row) {
  if (row.kind === "quality") {
    // A detection-quality row: `subject` and `baseline` are {precision, recall, fpr} on the same corpus;
    // `goal` is the least recall and the most false-positive rate acceptable.
    const verdict = row.goal === undefined ? "" : row.subject.recall >= row.goal.recall && row.subject.fpr <= row.goal.fpr ? "meets" : "MISSES";
    const ratio = row.baseline.recall === 0 ? "n/a" : `${(row.subject.recall / row.baseline.recall).toFixed(1)}x the recall`;
    return `| ${row.name} | ${quality(row.subject)} | ${row.baselineName}: ${quality(row.baseline)} | ${ratio} | ${row.goal === undefined ? "" : `recall >= ${pct(row.goal.recall)}, FP rate <= ${pct(row.goal.fpr)} ${verdict}`} |`;
  }
  if (row.kind === "speedup") {
    // A speed-up row: `goal` is the least acceptable factor (baseline / subject).
    const speedup = row.baseline / row.subject;
    const verdict = row.goal === undefined ? "" : speedup >= row.goal ? "meets" : "MISSES";
    return `| ${row.name} | ${row.subject.toFixed(1)} ms | ${row.baselineName}: ${row.baseline.toFixed(1)} ms | ${speedup.toFixed(1)}x faster | ${row.goal === undefined ? "" : `>= ${row.goal}x faster ${verdict}`} |`;
  }
  const ratio = row.subject / row.baseline;
  const verdict = row.goal === undefined ? "" : ratio <= row.goal ? "meets" : "MISSES";
  return `| ${row.name} | ${row.subject.toFixed(1)} ms | ${row.baselineName}: ${row.baseline.toFixed(1)} ms | ${ratio.toFixed(2)}x | ${row.goal === undefined ? "" : `<= ${row.goal}x ${verdict}`} |`;
}

export const TABLE_HEAD = "| benchmark | coffer | baseline (same run) | ratio | goal |\n|---|---:|---|---:|---|";

/** Runs a command to completion without blocking this process's event loop (fakes may run here). */
export function run(argv, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0], argv.slice(1), { env, stdio: ["ignore", "ignore", "pipe"] });
    const err = [];
    child.stderr.on("data", (chunk) => err.push(chunk));
    child.on("error", reject);
    child.on("close", (status) => (status === 0 ? resolve() : reject(new Error(`${argv.join(" ")} failed (${status}): ${Buffer.concat(err)}`))));
  });
}

/** Milliseconds `fn` takes. */
export async function time(fn) {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

/**
 * `node bench/<file>.mjs` runs that one benchmark and prints its rows as a table (`moduleUrl`: the
 * caller's import.meta.url); imported by run.mjs, it does nothing.
 */
export async function printWhenRunDirectly(moduleUrl, bench) {
  if (moduleUrl !== pathToFileURL(process.argv[1] ?? "").href) return;
  console.log(`${TABLE_HEAD}\n${(await bench()).map(formatRow).join("\n")}`);
}
