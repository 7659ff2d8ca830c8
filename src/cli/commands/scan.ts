/**
 * `coffer scan`: find credentials in manifests (files, directories, stdin) or a live cluster,
 * report them redacted as a table, JSON or SARIF, and exit 1 while findings remain.
 */
import { resolve } from "node:path";
import { CofferError } from "../../errors.js";
import { readInput, writeFileAtomic } from "../../io/index.js";
import { buildBaseline, readBaseline } from "../../scan/baseline.js";
import { loadDetector } from "../../scan/detector-loader.js";
import type { Finding } from "../../scan/finding.js";
import { listInputs } from "../../scan/inputs.js";
import { parseManifests, readManifests } from "../../scan/manifests.js";
import { allRules, renderJson, renderSarif, renderTable, type ScanOutput, type ScanSummary } from "../../scan/report.js";
import { Scanner } from "../../scan/scanner.js";
import type { ScannedFile } from "../../scan/fix-plan.js";
import { EXIT_FINDINGS } from "../exit.js";
import { VERSION } from "../program.js";
import type { CliContext } from "../context.js";
import { info, warn } from "../terminal.js";

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
  if (flags.fix === true && flags.cluster === true) throw usage("--fix changes files, not the cluster", "run --fix on the manifests in the repository");
  if (flags.fix === true && paths.includes("-")) throw usage("--fix needs files, not stdin", "name the manifest files or directories");
  for (const flag of ["secretName", "dryRun", "force"] as const) {
    if (flags[flag] !== undefined && flags.fix !== true) throw usage(`--${flag.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} only applies with --fix`, "add --fix or drop the flag");
  }
}

/** Progress on stderr, only when a person is watching. */
function progress(context: CliContext): (text: string | undefined) => void {
  const stderr = context.terminal.stderr as NodeJS.WriteStream;
  if (stderr.isTTY !== true) return () => undefined;
  return (text) => stderr.write(text === undefined ? "\r\u001b[K" : `\r\u001b[Kcoffer: ${text}`);
}

async function scanFiles(context: CliContext, paths: readonly string[], flags: ScanFlags, scanner: Scanner) {
  const show = progress(context);
  const files: ScannedFile[] = [];
  let objects = 0;
  let problems = 0;
  for (const input of await listInputs(paths, context.cwd)) {
    show(`scanning ${input.display}`);
    const text = Buffer.from(await readInput(input.path, { maxBytes: flags.maxInputSize })).toString("utf8");
    // --fix edits the yaml package's documents; COFFER_SCAN_EXACT_YAML=1 turns the fast reader off (tests).
    const parsed = flags.fix === true || context.env.COFFER_SCAN_EXACT_YAML === "1" ? parseManifests(text) : readManifests(text);
    if (parsed.errors.length > 0) {
      // Helm chart templates are not YAML until rendered: skip them quietly in directory walks.
      if (input.discovered && text.includes("{{")) continue;
      for (const error of parsed.errors) warn(context.terminal, `${input.display}${error.line === undefined ? "" : `:${error.line}`}: not valid YAML/JSON (${error.code}); documents there were not scanned`);
      problems++;
    }
    for (const object of parsed.objects) {
      scanner.scanObject(object.obj, { file: input.display, lineOf: object.lineOf });
      objects++;
    }
    files.push({ input, text, parsed });
  }
  show(undefined);
  return { files, objects, problems };
}

async function scanCluster(context: CliContext, flags: ScanFlags, scanner: Scanner) {
  const { connectToCluster } = await import("../../kube/connect.js");
  const { CLUSTER_RESOURCES, listObjects } = await import("../../scan/cluster.js");
  const { KubeApiError } = await import("../../kube/client.js");
  const connection = await connectToCluster({ kubeconfig: flags.kubeconfig, context: flags.context, env: context.env, homeDir: context.provider.homeDir });
  const show = progress(context);
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
