/** The work behind `coffer audit etcd` (registered in ./audit-etcd.ts): audit, rewrite, report. */
import { homedir } from "node:os";
import { resolve } from "node:path";
import { auditEtcd, type EtcdAuditResult, type EtcdRuleId, type Severity } from "../../audit/etcd/audit.js";
import { connectEtcd } from "../../audit/etcd/etcd-source.js";
import { loadEncryptionModel } from "../../audit/etcd/load-model.js";
import { findingsAtOrAbove, renderJson, renderSarif, renderTable, type EtcdReport } from "../../audit/etcd/render.js";
import { parseResourceRef } from "../../audit/etcd/resources.js";
import { rewriteFailure, rewriteObjects } from "../../audit/etcd/rewrite.js";
import { CofferError } from "../../errors.js";
import { connectToCluster } from "../../kube/connect.js";
import { commaList, type CliContext } from "../context.js";
import { EXIT_FINDINGS } from "../exit.js";
import { VERSION } from "../program.js";
import { statusLine } from "../terminal.js";

interface AuditEtcdFlags {
  endpoints?: string;
  cacert?: string;
  cert?: string;
  key?: string;
  config?: string;
  resources?: string;
  outputFormat?: "table" | "json" | "sarif";
  failOn?: Severity;
  rewrite?: boolean;
  kubeconfig?: string;
  context?: string;
  concurrency?: number;
  pageSize?: number;
}

/** Findings a no-op update through the API fixes (once the configuration is right). */
const REWRITABLE = new Set<EtcdRuleId>(["etcd-plaintext-secret", "etcd-plaintext-object", "etcd-stale-key", "etcd-unknown-key"]);

export async function runAuditEtcd(context: CliContext, options: Record<string, unknown>): Promise<void> {
  const flags = options as AuditEtcdFlags;
  const { env, terminal } = context;
  if (flags.rewrite !== true && (flags.kubeconfig !== undefined || flags.context !== undefined || flags.concurrency !== undefined)) {
    throw new CofferError("USAGE", "--kubeconfig, --context and --concurrency go with --rewrite", { hint: "add --rewrite, or drop them" });
  }
  const endpoints = commaList(flags.endpoints ?? env.ETCDCTL_ENDPOINTS);
  if (endpoints.length === 0) {
    throw new CofferError("USAGE", "no etcd endpoint given", { hint: "pass --endpoints https://HOST:2379 (kube-apiserver's --etcd-servers) or set ETCDCTL_ENDPOINTS" });
  }
  const path = (file: string | undefined) => (file === undefined ? undefined : resolve(context.cwd, file));
  const model = flags.config === undefined ? undefined : await loadEncryptionModel(path(flags.config)!);
  const resources = flags.resources === undefined ? undefined : commaList(flags.resources).map(parseResourceRef);
  if (resources !== undefined && resources.length === 0) throw new CofferError("USAGE", "--resources names no resource", { hint: "e.g. --resources secrets,configmaps" });

  const show = statusLine(terminal);
  const source = await connectEtcd({
    endpoints,
    cacert: path(flags.cacert ?? env.ETCDCTL_CACERT),
    cert: path(flags.cert ?? env.ETCDCTL_CERT),
    key: path(flags.key ?? env.ETCDCTL_KEY),
  });
  const audit = (): Promise<EtcdAuditResult> =>
    auditEtcd(source, {
      model,
      resources,
      pageSize: flags.pageSize,
      onPage: (keys) => show(`read ${keys} keys from etcd`),
    }).finally(() => show());

  let report: EtcdReport;
  let failure: CofferError | undefined;
  try {
    const first = await audit();
    report = { endpoints, config: flags.config, audit: first };
    if (flags.rewrite === true) {
      const targets = first.findings.filter((finding) => REWRITABLE.has(finding.id)).map((finding) => ({ etcdKey: finding.etcdKey, object: finding.object }));
      if (targets.length > 0) {
        const { client } = await connectToCluster({ kubeconfig: flags.kubeconfig, context: flags.context, env, homeDir: homedir() });
        try {
          const summary = await rewriteObjects(client, targets, {
            concurrency: flags.concurrency,
            onProgress: (done, total) => show(`rewritten ${done}/${total}`),
          });
          show();
          failure = rewriteFailure(summary);
          report = { endpoints, config: flags.config, before: first, rewrite: summary, audit: await audit() };
        } finally {
          client.close();
        }
      } else {
        report = { ...report, before: first, rewrite: { rewritten: 0, unchanged: 0, gone: 0, skipped: 0, failed: 0, problems: [] } };
      }
    }
  } finally {
    source.close();
  }

  const format = flags.outputFormat ?? "table";
  terminal.stdout.write(format === "json" ? renderJson(report) : format === "sarif" ? renderSarif(report, VERSION) : renderTable(report));
  if (failure !== undefined) throw failure;
  if (findingsAtOrAbove(report.audit.findings, flags.failOn ?? "low").length > 0) context.exitStatus = EXIT_FINDINGS;
}
