// `npm run bench`: every hot path beside its baseline, measured in the same run.
// `node bench/run.mjs --readme` also writes the table into README.md's performance section.
import { readFileSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { formatRow, TABLE_HEAD } from "./lib.mjs";
import { benchColdStart } from "./cold-start.mjs";
import { benchLargeYaml } from "./large-yaml.mjs";
import { benchKmsManyFiles } from "./kms-many-files.mjs";
import { benchApply500 } from "./apply-500.mjs";

const rows = [];
for (const bench of [benchColdStart, benchLargeYaml, benchKmsManyFiles, benchApply500]) {
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
