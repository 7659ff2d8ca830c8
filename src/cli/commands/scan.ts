/**
 * `coffer scan`: find credentials in manifests (files, directories, stdin) or a live cluster,
 * report them redacted as a table, JSON or SARIF, and exit 1 while findings remain.
 */
import { resolve } from "node:path";
import { CofferError, type ErrorCode } from "../../errors.js";
import { availableParallelism } from "node:os";
import { writeFileAtomic } from "../../io/index.js";
import { buildBaseline, readBaseline } from "../../scan/baseline.js";
import { loadDetector } from "../../scan/detector-loader.js";
import type { Finding } from "../../scan/finding.js";
import { readText, scanText, type FileOutcome } from "../../scan/file-scan.js";
import { listInputs, type InputFile } from "../../scan/inputs.js";
import { planParallel, scanInParallel } from "../../scan/parallel.js";
import { allRules, renderJson, renderSarif, renderTable, type ScanOutput, type ScanSummary } from "../../scan/report.js";
import { Scanner } from "../../scan/scanner.js";
import type { ScannedFile } from "../../scan/fix-plan.js";
import { EXIT_FINDINGS } from "../exit.js";
import { VERSION } from "../program.js";
import type { CliContext } from "../context.js";
import { info, statusLine, warn } from "../terminal.js";

export interface ScanFlags {
  config?: string;
  cluster?: boolean;
  namespace?: string;
  kubeconfig?: string;
  context?: string;
  pageSize?: number;
  outputFormat?: ScanOutput;
  baseline?: string;
  writeBaseline?: string;
  fix?: boolean;
  secretName?: string;
  dryRun?: boolean;
  force?: boolean;
  maxInputSize?: number;
  jobs?: number;
}

function checkFlags(paths: readonly string[], flags: ScanFlags): void {
  const usage = (message: string, hint: string) => new CofferError("USAGE", message, { hint });
  if (flags.cluster === true && paths.length > 0) throw usage("--cluster scans the cluster, not files", "drop the paths, or drop --cluster");
  if (flags.cluster !== true && paths.length === 0) throw usage("nothing to scan", "name files or directories, '-' for stdin, or pass --cluster");
  if (flags.cluster !== true) {
    for (const flag of ["namespace", "kubeconfig", "context", "pageSize"] as const) {
      if (flags[flag] !== undefined) throw usage(`--${flag === "pageSize" ? "page-size" : flag} only applies with --cluster`, "add --cluster or drop the flag");
    }
  }
  if (flags.cluster === true && flags.jobs !== undefined) throw usage("--jobs applies to files, not --cluster", "drop --jobs");
  if (flags.fix === true && flags.cluster === true) throw usage("--fix changes files, not the cluster", "run --fix on the manifests in the repository");
  if (flags.fix === true && paths.includes("-")) throw usage("--fix needs files, not stdin", "name the manifest files or directories");
  for (const flag of ["secretName", "dryRun", "force"] as const) {
    if (flags[flag] !== undefined && flags.fix !== true) throw usage(`--${flag.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} only applies with --fix`, "add --fix or drop the flag");
  }
}

async function scanFiles(context: CliContext, paths: readonly string[], flags: ScanFlags, scanner: Scanner) {
  const show = statusLine(context.terminal);
  const inputs = await listInputs(paths, context.cwd);
  // --fix edits the yaml package's documents; COFFER_SCAN_EXACT_YAML=1 turns the fast reader off (tests).
  const exact = flags.fix === true || context.env.COFFER_SCAN_EXACT_YAML === "1";
  const files: ScannedFile[] = [];
  let objects = 0;
  let problems = 0;
  const record = (input: InputFile, outcome: FileOutcome) => {
    for (const error of outcome.errors) warn(context.terminal, `${input.display}${error.line === undefined ? "" : `:${error.line}`}: not valid YAML/JSON (${error.code}); documents there were not scanned`);
    if (outcome.errors.length > 0) problems++;
    objects += outcome.objects;
  };
  const plan = flags.fix === true ? undefined : planParallel(inputs, flags.jobs ?? availableParallelism());
  if (plan !== undefined) {
    const results = await scanInParallel(plan, { maxBytes: flags.maxInputSize, exact, onProgress: (done) => show(`scanned ${done} of ${inputs.length} files`) });
    show(undefined);
    for (const [index, result] of results.entries()) {
      if ("error" in result) throw new CofferError(result.error.code as ErrorCode, result.error.message, { hint: result.error.hint });
      scanner.findings.push(...result.findings);
      scanner.allowed += result.allowed;
      record(inputs[index] as InputFile, result.outcome);
    }
    return { files, objects, problems };
  }
  for (const input of inputs) {
    show(`scanning ${input.display}`);
    const text = await readText(input, flags.maxInputSize);
    const { outcome, parsed } = scanText(scanner, input, text, exact);
    record(input, outcome);
    // A skipped file (a Helm template) is neither scanned nor edited, whatever parts of it parse.
    if (flags.fix === true && !outcome.skipped) files.push({ input, text, parsed });
  }
  show(undefined);
  return { files, objects, problems };
}

async function scanCluster(context: CliContext, flags: ScanFlags, scanner: Scanner) {
  const { connectToCluster } = await import("../../kube/connect.js");
  const { CLUSTER_RESOURCES, listObjects } = await import("../../scan/cluster.js");
  const { KubeApiError } = await import("../../kube/client.js");
  const connection = await connectToCluster({ kubeconfig: flags.kubeconfig, context: flags.context, env: context.env, homeDir: context.provider.homeDir });
  const show = statusLine(context.terminal);
  let objects = 0;
  let problems = 0;
  try {
    for (const resource of CLUSTER_RESOURCES) {
      try {
        for await (const page of listObjects(connection.client, resource, { namespace: flags.namespace, pageSize: flags.pageSize ?? 500 })) {
          for (const obj of page) scanner.scanObject(obj);
          objects += page.length;
          show(`scanned ${objects} objects (${resource.plural})`);
        }
      } catch (error) {
        // One unreadable resource (RBAC, an API the cluster does not serve) leaves the rest worth scanning.
        if (!(error instanceof KubeApiError) || error.code === "CLUSTER_UNREACHABLE") throw error;
        show(undefined);
        warn(context.terminal, `${error.message} [${error.code}]; ${resource.plural} were not scanned`);
        problems++;
      }
    }
  } finally {
    show(undefined);
    connection.client.close();
  }
  return { files: [] as ScannedFile[], objects, problems };
}

export async function runScan(context: CliContext, paths: readonly string[], flags: ScanFlags): Promise<void> {
  checkFlags(paths, flags);
  const detector = loadDetector();
  const scanner = new Scanner(detector);
  const scanned = flags.cluster === true ? await scanCluster(context, flags, scanner) : await scanFiles(context, paths, flags, scanner);
  const accepted = flags.baseline === undefined ? new Set<string>() : await readBaseline(resolve(context.cwd, flags.baseline));
  let remaining: Finding[] = scanner.findings.filter((finding) => !accepted.has(finding.fingerprint));
  const summary: ScanSummary = { objects: scanned.objects, baselined: scanner.findings.length - remaining.length, allowed: scanner.allowed };

  if (flags.fix === true) {
    const { runFix } = await import("./scan-fix.js");
    const fixed = await runFix(context, scanned.files, remaining, flags);
    if (flags.dryRun !== true) remaining = remaining.filter((finding) => !fixed.has(finding.fingerprint));
  }
  if (flags.writeBaseline !== undefined) {
    await writeFileAtomic(resolve(context.cwd, flags.writeBaseline), `${JSON.stringify(buildBaseline(scanner.findings), null, 2)}\n`, { mode: 0o644 });
    info(context.terminal, `wrote ${scanner.findings.length} finding(s) to the baseline ${flags.writeBaseline}`);
    remaining = [];
  }

  if (flags.fix !== true || flags.dryRun !== true) await emit(context, remaining, summary, flags.outputFormat ?? "table", detector.rules);
  if (scanned.problems > 0) {
    throw new CofferError("SCAN_INCOMPLETE", `${scanned.problems} input(s) could not be scanned; the findings above cover the rest`, {
      hint: "fix or exclude the inputs named in the warnings above",
    });
  }
  if (remaining.length > 0) context.exitStatus = EXIT_FINDINGS;
}

async function emit(context: CliContext, findings: Finding[], summary: ScanSummary, format: ScanOutput, rules: Parameters<typeof allRules>[0]): Promise<void> {
  let text: string;
  if (format === "json") text = renderJson(findings, summary);
  else if (format === "sarif") text = `${JSON.stringify(renderSarif(findings, allRules(rules), VERSION), null, 2)}\n`;
  else text = renderTable(findings);
  await new Promise<void>((done, fail) => context.terminal.stdout.write(text, (error) => (error ? fail(error) : done())));
  if (format === "table") {
    const extra = [summary.baselined > 0 ? `${summary.baselined} accepted by the baseline` : "", summary.allowed > 0 ? `${summary.allowed} allowed by annotation` : ""].filter((s) => s !== "");
    info(context.terminal, `${findings.length} finding(s) in ${summary.objects} object(s)${extra.length > 0 ? ` (${extra.join(", ")})` : ""}`);
  }
}
