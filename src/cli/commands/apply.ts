/**
 * `coffer apply`: decrypt manifests in memory and put them in the cluster with server-side apply
 * (field manager "coffer"), optionally as a dry run with a per-key diff, pruning a labelled set,
 * and restarting the workloads that use a changed Secret. Every object is tried; failures are
 * summed up at the end and decide the exit status.
 */
import { CofferError, errorData, isCofferError } from "../../errors.js";
import { buildApplyPlan, checkPruneSet, describeRef, LAST_APPLIED, type PlanItem } from "../../kube/apply-plan.js";
import { connectToCluster, type ClusterConnection } from "../../kube/connect.js";
import { Discovery } from "../../kube/discovery.js";
import { executeApply, type ApplyOutcome } from "../../kube/executor.js";
import { readLiveInBulk } from "../../kube/live-state.js";
import { createFingerprinter } from "../../kube/fingerprint.js";
import { buildGeneratedSecret } from "../../kube/secret-generator.js";
import { restartDependents, type Restart } from "../../kube/dependents.js";
import { deleteTarget, findPruneTargets } from "../../kube/prune.js";
import type { SourcedObject } from "../../kube/manifests.js";
import type { CliContext } from "../context.js";
import { info, statusLine, warn } from "../terminal.js";
import { loadGeneratorInputs, loadManifestFiles, manifestPaths, type InputFailure } from "./apply-inputs.js";
import { loadManifestsOffThread, unwrapCache } from "./apply-worker.js";
import { printReport, reportOf, type PrunedObject } from "./apply-output.js";

export interface ApplyFlags {
  filename?: string[];
  namespace?: string;
  kubeconfig?: string;
  context?: string;
  secret?: string;
  fromFile?: string[];
  type?: string;
  dryRun?: string;
  diff?: boolean;
  fingerprintKey?: string;
  forceConflicts?: boolean;
  prune?: boolean;
  pruneSet?: string;
  restartDependents?: boolean;
  outputFormat?: string;
  concurrency?: number;
  requestTimeout?: string;
}

const DEFAULT_CONCURRENCY = 32;

/** `30s`, `500ms`, `1m` or plain seconds, in milliseconds. */
export function parseDuration(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(text.trim());
  if (match === null) throw new CofferError("USAGE", `--request-timeout '${text}' is not a duration`, { hint: "write e.g. 30s, 500ms or 2m" });
  const value = Number(match[1]);
  const ms = match[2] === "ms" ? value : match[2] === "m" ? value * 60_000 : value * 1000;
  if (ms < 1) throw new CofferError("USAGE", "--request-timeout must be at least 1ms");
  return ms;
}

function checkFlags(flags: ApplyFlags): { dryRun: boolean; concurrency: number; timeoutMs: number | undefined } {
  const files = flags.filename ?? [];
  if (files.length === 0 && flags.secret === undefined) {
    throw new CofferError("USAGE", "nothing to apply", { hint: "pass -f FILE|DIR, or --secret NAME --from-file FILE" });
  }
  if (flags.secret !== undefined && (flags.fromFile ?? []).length === 0) {
    throw new CofferError("USAGE", "--secret needs at least one --from-file", { hint: "e.g. coffer apply --secret app-env --from-file app.enc.env" });
  }
  if (flags.secret === undefined && (flags.fromFile !== undefined || flags.type !== undefined)) {
    throw new CofferError("USAGE", "--from-file and --type build a Secret and need --secret NAME", { hint: "add --secret NAME" });
  }
  if (flags.dryRun !== undefined && flags.dryRun !== "server") {
    throw new CofferError("USAGE", `--dry-run=${flags.dryRun} is not supported`, { hint: "use --dry-run=server: the API server checks everything and stores nothing" });
  }
  if (flags.prune === true && flags.pruneSet === undefined) {
    throw new CofferError("USAGE", "--prune needs --prune-set NAME", { hint: "only objects labelled coffer.dev/prune-set=NAME by an earlier apply are ever deleted" });
  }
  if (flags.pruneSet !== undefined) checkPruneSet(flags.pruneSet);
  const concurrency = flags.concurrency ?? DEFAULT_CONCURRENCY;
  if (concurrency < 1 || concurrency > 256) throw new CofferError("USAGE", "--concurrency must be between 1 and 256", { hint: `the default is ${DEFAULT_CONCURRENCY}` });
  return {
    dryRun: flags.dryRun !== undefined || flags.diff === true,
    concurrency,
    timeoutMs: flags.requestTimeout === undefined ? undefined : parseDuration(flags.requestTimeout),
  };
}

/** From this many manifest files on, they are decrypted on a second thread. */
const OFF_THREAD_FILES = 64;

/** Reads and decrypts every input; file failures are kept, generator failures abort. */
async function loadObjects(context: CliContext, flags: ApplyFlags): Promise<{ objects: SourcedObject[]; failures: InputFailure[] }> {
  const cache = unwrapCache(context);
  const paths = await manifestPaths(context, flags.filename ?? []);
  const offThread = paths.length >= OFF_THREAD_FILES && !paths.includes("-");
  const [manifests, generated] = await Promise.all([
    offThread ? loadManifestsOffThread(context, paths) : loadManifestFiles(context, paths, cache.resolve),
    flags.secret === undefined ? undefined : loadGeneratorInputs(context, flags.fromFile ?? [], cache.resolve),
  ]);
  const objects = [...manifests.objects];
  if (flags.secret !== undefined && generated !== undefined) {
    objects.push({ object: buildGeneratedSecret({ name: flags.secret, namespace: flags.namespace, type: flags.type, inputs: generated }), source: `--secret ${flags.secret}` });
  }
  return { objects, failures: manifests.failures };
}

function progressReporter(context: CliContext, total: number): ((outcome: ApplyOutcome) => void) | undefined {
  if (total < 2) return undefined;
  const show = statusLine(context.terminal);
  let done = 0;
  return () => {
    done++;
    show(done < total ? `applying [${done}/${total}]` : undefined);
  };
}

async function prune(
  connection: ClusterConnection,
  discovery: Discovery,
  context: CliContext,
  options: { set: string; items: readonly PlanItem[]; outcomes: readonly ApplyOutcome[]; dryRun: boolean },
): Promise<PrunedObject[]> {
  const kinds = options.items.map((item) => ({ apiVersion: item.ref.apiVersion, kind: item.ref.kind }));
  const namespaces = [...new Set(options.outcomes.flatMap((o) => (o.namespace === undefined ? [] : [o.namespace])))];
  let warned = false;
  const targets = await findPruneTargets(connection.client, discovery, {
    set: options.set,
    kinds,
    keep: new Set(options.outcomes.flatMap((o) => (o.key === undefined ? [] : [o.key]))),
    namespaces: namespaces.length > 0 ? namespaces : [connection.defaultNamespace],
    onFallback: (resource) => {
      if (!warned) warn(context.terminal, `cannot list ${resource} in every namespace; pruning only in the namespaces of the input`);
      warned = true;
    },
  });
  const results: PrunedObject[] = [];
  for (const target of targets) {
    const entry: PrunedObject = { apiVersion: target.apiVersion, kind: target.kind, namespace: target.namespace, name: target.name };
    try {
      await deleteTarget(connection.client, target, options.dryRun);
    } catch (error) {
      entry.error = errorData(error);
    }
    results.push(entry);
  }
  return results;
}

async function restart(connection: ClusterConnection, outcomes: readonly ApplyOutcome[], dryRun: boolean): Promise<Restart[]> {
  const changed = new Map<string, Set<string>>();
  for (const outcome of outcomes) {
    if (outcome.secretChanged !== true || outcome.namespace === undefined) continue;
    const names = changed.get(outcome.namespace) ?? new Set<string>();
    names.add(outcome.item.ref.name);
    changed.set(outcome.namespace, names);
  }
  const now = new Date();
  const restarts = await Promise.all([...changed].map(([namespace, names]) => restartDependents(connection.client, namespace, names, { dryRun, now })));
  return restarts.flat();
}

/** Prints each failure on stderr and throws the run's error: the shared code, else OBJECTS_FAILED. */
function finish(context: CliContext, failures: ReadonlyArray<{ what: string; error: unknown }>, total: number): void {
  for (const failure of failures) {
    const { code, message } = errorData(failure.error);
    info(context.terminal, `failed: ${failure.what}: ${message} [${code}]`);
    if (code === "INTERNAL" && context.env.COFFER_DEBUG === "1" && failure.error instanceof Error) context.terminal.stderr.write(`${failure.error.stack ?? ""}\n`);
  }
  if (failures.length === 0) return;
  const codes = new Set(failures.map((failure) => errorData(failure.error).code));
  const [code] = codes;
  const message = `${failures.length} of ${total} object${total === 1 ? "" : "s"} or files failed; every other object was applied`;
  const first = failures[0]!.error;
  if (codes.size === 1 && code !== undefined) throw new CofferError(code, message, { hint: isCofferError(first) ? first.hint : undefined, cause: first });
  throw new CofferError("OBJECTS_FAILED", `${message} (with different errors: ${[...codes].join(", ")})`, { hint: "see the lines above" });
}

export async function runApply(context: CliContext, flags: ApplyFlags): Promise<void> {
  const { dryRun, concurrency, timeoutMs } = checkFlags(flags);
  const [loaded, connection] = await Promise.all([
    loadObjects(context, flags),
    connectToCluster({
      kubeconfig: flags.kubeconfig,
      context: flags.context,
      env: context.env,
      homeDir: context.provider.homeDir,
      client: { maxSockets: concurrency, ...(timeoutMs === undefined ? {} : { timeoutMs }) },
    }),
  ]);
  try {
    const plan = buildApplyPlan(loaded.objects, { namespace: flags.namespace, defaultNamespace: connection.defaultNamespace, pruneSet: flags.pruneSet });
    if (plan.strippedLastApplied > 0) {
      warn(context.terminal, `removed the ${LAST_APPLIED} annotation from ${plan.strippedLastApplied} object(s): it would store their content in clear text`);
    }
    const discovery = new Discovery(connection.client);
    const total = plan.first.length + plan.rest.length;
    const options = {
      dryRun,
      forceConflicts: flags.forceConflicts === true,
      concurrency,
      fingerprints: createFingerprinter(flags.fingerprintKey ?? context.env.COFFER_FINGERPRINT_KEY),
      onDone: progressReporter(context, total),
    };
    const first = await executeApply(connection.client, discovery, plan.first, options);
    const live = await readLiveInBulk(connection.client, discovery, plan.rest);
    const outcomes = [...first, ...(await executeApply(connection.client, discovery, plan.rest, { ...options, live }))];
    const failed = outcomes.filter((outcome) => outcome.action === "failed");

    // Pruning and restarting run after every apply; a failure there is reported like an object's.
    const stepFailures: InputFailure[] = [];
    const step = async <T>(source: string, fallback: T, work: () => Promise<T>): Promise<T> => {
      try {
        return await work();
      } catch (error) {
        stepFailures.push({ source, error });
        return fallback;
      }
    };
    let pruned: PrunedObject[] = [];
    const pruneSet = flags.pruneSet;
    if (flags.prune === true && pruneSet !== undefined) {
      if (failed.length > 0 || loaded.failures.length > 0) warn(context.terminal, "not pruning: some inputs or objects failed, so the set is not known to be complete");
      else pruned = await step("pruning", [], () => prune(connection, discovery, context, { set: pruneSet, items: [...plan.first, ...plan.rest], outcomes, dryRun }));
    }
    const restarted = flags.restartDependents === true ? await step("restarting dependents", [], () => restart(connection, outcomes, dryRun)) : [];

    const report = reportOf({ dryRun, diff: flags.diff === true, outcomes, inputFailures: [...loaded.failures, ...stepFailures], pruned, restarted });
    printReport(context, report, flags.outputFormat ?? "table");
    const s = report.summary;
    info(
      context.terminal,
      `${dryRun ? "dry run (nothing changed): " : ""}${s.created} created, ${s.configured} configured, ${s.unchanged} unchanged, ${s.failed} failed` +
        `${flags.prune === true ? `, ${s.pruned} pruned` : ""}${flags.restartDependents === true ? `, ${s.restarted} restarted` : ""}`,
    );
    finish(
      context,
      [
        ...[...loaded.failures, ...stepFailures].map((failure) => ({ what: failure.source, error: failure.error })),
        ...failed.map((outcome) => ({ what: `${describeRef({ ...outcome.item.ref, namespace: outcome.namespace })} (${outcome.item.source})`, error: outcome.error })),
        ...pruned.filter((p) => p.error !== undefined).map((p) => ({ what: `pruning ${describeRef(p)}`, error: new CofferError(p.error!.code, p.error!.message) })),
      ],
      total + loaded.failures.length,
    );
  } finally {
    connection.client.close();
  }
}
