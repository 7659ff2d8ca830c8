/** Running `coffer scan -o json` in a directory of manifests and reading its findings. */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { runCoffer, type CliResult } from "../helpers/cli.js";

export interface JsonFinding {
  ruleId: string;
  confidence: string;
  resource: { kind: string; namespace: string | null; name: string };
  location: { uri: string; line?: number };
  key: string;
  value: string;
  fingerprint: string;
}

export function manifestDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "coffer-scan-"));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

export function scanJson(args: string[], options: { cwd: string; input?: string; env?: Record<string, string> }): { result: CliResult; findings: JsonFinding[] } {
  const result = runCoffer(["scan", "-o", "json", ...args], options);
  const findings = result.stdout === "" ? [] : (JSON.parse(result.stdout) as { findings: JsonFinding[] }).findings;
  return { result, findings };
}

/** The line (1-based) of the first line of `text` containing `needle`. */
export function lineOf(text: string, needle: string): number {
  const index = text.split("\n").findIndex((line) => line.includes(needle));
  if (index < 0) throw new Error(`${needle} not in text`);
  return index + 1;
}

export function indent(text: string, spaces: number): string {
  return text
    .trimEnd()
    .split("\n")
    .map((line) => " ".repeat(spaces) + line)
    .join("\n");
}
