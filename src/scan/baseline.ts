/**
 * Baselines: accepted findings by fingerprint, so a scan added to CI fails only on new ones.
 * The file names each finding's rule, resource and key to be reviewable, never its value.
 */
import { readFile } from "node:fs/promises";
import { CofferError } from "../errors.js";
import { describeResource, type Finding } from "./finding.js";

export interface BaselineFile {
  version: 1;
  findings: { fingerprint: string; ruleId: string; resource: string; key: string }[];
}

export function buildBaseline(findings: readonly Finding[]): BaselineFile {
  return {
    version: 1,
    findings: findings.map((f) => ({ fingerprint: f.fingerprint, ruleId: f.ruleId, resource: describeResource(f.resource), key: f.key })),
  };
}

export async function readBaseline(path: string): Promise<Set<string>> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (cause) {
    throw new CofferError("INPUT_UNREADABLE", `cannot read the baseline ${path}`, { hint: "create one with --write-baseline FILE", cause });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw new CofferError("BASELINE_INVALID", `the baseline ${path} is not JSON`, { hint: "write it again with --write-baseline FILE", cause });
  }
  const findings = (parsed as Partial<BaselineFile> | null)?.findings;
  if ((parsed as Partial<BaselineFile> | null)?.version !== 1 || !Array.isArray(findings)) {
    throw new CofferError("BASELINE_INVALID", `the baseline ${path} is not a coffer scan baseline (version 1)`, { hint: "write it again with --write-baseline FILE" });
  }
  return new Set(findings.flatMap((entry: unknown) => (typeof (entry as { fingerprint?: unknown })?.fingerprint === "string" ? [(entry as { fingerprint: string }).fingerprint] : [])));
}
