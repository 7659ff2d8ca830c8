// `npm run bench`: every hot path beside its baseline, measured in the same run.
// `node bench/run.mjs --readme` also writes the table into README.md's performance section.
import { readFileSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { formatRow, TABLE_HEAD } from "./lib.mjs";
import { benchColdStart } from "./cold-start.mjs";
import { benchLargeYaml } from "./large-yaml.mjs";
import { benchKmsManyFiles } from "./kms-many-files.mjs";
import { benchKustomize } from "./kustomize.mjs";
import { benchScanQuality } from "./scan-quality.mjs";
import { benchScanSpeed } from "./scan-speed.mjs";
import { benchScanCluster } from "./scan-cluster.mjs";
import { benchAuditEtcd } from "./audit-etcd.mjs";
import { benchApply500 } from "./apply-500.mjs";

const all = [benchColdStart, benchLargeYaml, benchKmsManyFiles, benchKustomize, benchScanQuality, benchScanSpeed, benchScanCluster, benchAuditEtcd, benchApply500];
// `node bench/run.mjs scan audit`: only the benchmarks whose function name contains a word given.
const only = process.argv.slice(2).filter((arg) => !arg.startsWith("--")).map((word) => word.toLowerCase());
const selected = only.length === 0 ? all : all.filter((bench) => only.some((word) => bench.name.toLowerCase().includes(word)));
if (only.length > 0 && process.argv.includes("--readme")) throw new Error("--readme needs the full run (it replaces the whole table)");

const rows = [];
for (const bench of selected) {
  for (const row of await bench()) {
    rows.push(row);
    console.error(formatRow(row));
  }
}
const machine = `${cpus().length} cores (${cpus()[0]?.model ?? "unknown"}), Node ${process.version}`;
const table = `${TABLE_HEAD}\n${rows.map(formatRow).join("\n")}\n\nMeasured by \`npm run bench\` on ${machine}; medians of interleaved runs.`;
console.log(table);
if (process.argv.includes("--readme")) {
  const readme = readFileSync("README.md", "utf8");
  const updated = readme.replace(/<!-- bench:start -->[\s\S]*<!-- bench:end -->/, `<!-- bench:start -->\n${table}\n<!-- bench:end -->`);
  writeFileSync("README.md", updated);
}
