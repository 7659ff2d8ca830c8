/**
 * The result of `coffer apply` as data (`-o json|yaml`) or a table, on stdout; never a value,
 * only fingerprints. Failures and the summary go to stderr.
 */
import { stringify } from "yaml";
import type { ErrorCode } from "../../errors.js";
import { errorData } from "../../errors.js";
import type { ApplyOutcome } from "../../kube/executor.js";
import type { KeyChange } from "../../kube/diff.js";
import type { Restart } from "../../kube/dependents.js";
import type { CliContext } from "../context.js";

export interface PrunedObject {
  apiVersion: string;
  kind: string;
  namespace?: string | undefined;
  name: string;
  error?: { code: ErrorCode; message: string } | undefined;
}

export interface ApplyReport {
  dryRun: boolean;
  objects: Array<{
    apiVersion: string;
    kind: string;
    namespace?: string | undefined;
    name: string;
    source: string;
    action: ApplyOutcome["action"];
    keys?: KeyChange[];
    fields?: string[];
    error?: { code: ErrorCode; message: string };
  }>;
  /** Files that could not be read, decrypted or parsed, and failed steps (pruning, restarting). */
  inputFailures: Array<{ source: string; code: ErrorCode; message: string }>;
  pruned: PrunedObject[];
  restarted: Restart[];
  summary: Record<"created" | "configured" | "unchanged" | "failed" | "pruned" | "restarted", number>;
}

export function reportOf(options: {
  dryRun: boolean;
  diff: boolean;
  outcomes: readonly ApplyOutcome[];
  inputFailures: ReadonlyArray<{ source: string; error: unknown }>;
  pruned: PrunedObject[];
  restarted: Restart[];
}): ApplyReport {
  const objects = options.outcomes.map((outcome) => ({
    apiVersion: outcome.item.ref.apiVersion,
    kind: outcome.item.ref.kind,
    ...(outcome.namespace === undefined ? {} : { namespace: outcome.namespace }),
    name: outcome.item.ref.name,
    source: outcome.item.source,
    action: outcome.action,
    ...(options.diff && outcome.diff !== undefined ? { keys: outcome.diff.keys, fields: outcome.diff.fields } : {}),
    ...(outcome.error === undefined ? {} : { error: errorData(outcome.error) }),
  }));
  const count = (action: ApplyOutcome["action"]) => objects.filter((object) => object.action === action).length;
  const inputFailures = options.inputFailures.map((failure) => ({ source: failure.source, ...errorData(failure.error) }));
  return {
    dryRun: options.dryRun,
    objects,
    inputFailures,
    pruned: options.pruned,
    restarted: options.restarted,
    summary: {
      created: count("created"),
      configured: count("configured"),
      unchanged: count("unchanged"),
      failed: count("failed") + inputFailures.length + options.pruned.filter((p) => p.error !== undefined).length,
      pruned: options.pruned.filter((p) => p.error === undefined).length,
      restarted: options.restarted.length,
    },
  };
}

const SIGN: Record<KeyChange["change"], string> = { added: "+", changed: "~", removed: "-", unchanged: "=" };

function keyLine(key: KeyChange): string {
  const fingerprints = key.change === "changed" ? `${key.previous} -> ${key.fingerprint}` : key.change === "removed" ? `was ${key.previous}` : (key.fingerprint ?? "");
  return `    ${SIGN[key.change]} ${key.key.padEnd(28)} ${key.change.padEnd(9)} ${fingerprints}`;
}

/** The human table. */
export function renderTable(report: ApplyReport): string {
  const would = report.dryRun ? " (dry run)" : "";
  const lines: string[] = [];
  const width = Math.max(4, ...report.objects.map((o) => `${o.kind}/${o.name}`.length));
  for (const object of report.objects) {
    lines.push(`${object.action.padEnd(10)} ${`${object.kind}/${object.name}`.padEnd(width)}  ${object.namespace ?? "-"}`);
    for (const key of object.keys ?? []) lines.push(keyLine(key));
    for (const field of object.fields ?? []) lines.push(`    ~ ${field}`);
  }
  for (const pruned of report.pruned) {
    lines.push(`${(pruned.error === undefined ? "pruned" : "failed").padEnd(10)} ${`${pruned.kind}/${pruned.name}`.padEnd(width)}  ${pruned.namespace ?? "-"}${would}`);
  }
  for (const restart of report.restarted) {
    lines.push(`${"restarted".padEnd(10)} ${`${restart.kind}/${restart.name}`.padEnd(width)}  ${restart.namespace}  (uses ${restart.secrets.join(", ")})${would}`);
  }
  return lines.length === 0 ? "" : `${lines.join("\n")}\n`;
}

export function printReport(context: CliContext, report: ApplyReport, format: string): void {
  if (format === "json") context.terminal.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else if (format === "yaml") context.terminal.stdout.write(stringify(report));
  else context.terminal.stdout.write(renderTable(report));
}
