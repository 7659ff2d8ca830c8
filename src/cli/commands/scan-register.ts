/** `coffer scan`'s options and help; the handler (commands/scan.ts) is imported only when it runs. */
import { Option, type Command } from "commander";
import type { CliContext } from "../context.js";
import { parsePositiveInteger } from "../option-parsers.js";


export function registerScanCommand(program: Command, context: CliContext): void {
  program
    .command("scan")
    .description("find credentials where they do not belong: ConfigMaps, literal env/args, annotations, plaintext Secret manifests, Helm releases")
    .argument("[paths...]", "manifest files or directories (.yaml, .yml, .json, recursively); '-' reads stdin")
    .option("--cluster", "scan the live cluster instead of files (read-only): ConfigMaps, workloads, Helm release Secrets")
    .option("-n, --namespace <ns>", "with --cluster: only this namespace (default: all namespaces)")
    .option("--kubeconfig <file>", "with --cluster: the kubeconfig file (default: KUBECONFIG, ~/.kube/config, in-cluster)")
    .option("--context <name>", "with --cluster: the kubeconfig context")
    .option("--page-size <n>", "with --cluster: objects per list request (default 500)", parsePositiveInteger)
    .addOption(new Option("-o, --output-format <fmt>", "output format").choices(["table", "json", "sarif"]).default("table"))
    .option("--baseline <file>", "accept the findings listed in FILE (by fingerprint); report only new ones")
    .option("--write-baseline <file>", "write every current finding to FILE as the new baseline (then exit 0)")
    .option("--fix", "files only: move flagged ConfigMap keys into a new SOPS-encrypted Secret and rewrite references")
    .option("--secret-name <name>", "with --fix: name of the new Secret (default: <configmap>-secrets)")
    .option("--dry-run", "with --fix: show what would change (never the values) and write nothing")
    .option("--force", "with --fix: replace an existing <name>.enc.yaml")
    .option("--jobs <n>", "files: scan on up to N threads (default: the number of cores; small inputs use one)", parsePositiveInteger)
    .option("--max-input-size <bytes>", "refuse inputs larger than this (default 16 MiB)", parsePositiveInteger)
    .addHelpText(
      "after",
      `
Findings show at most 4 characters of a secret. Exit status: 0 no findings, 1 findings remain,
160 some inputs could not be scanned. Suppress keys of one object with the annotation
coffer.dev/scan-allow: "DB_HOST,data.PUBLIC_KEY".

Examples:
  coffer scan k8s/
  helm template my-release ./chart | coffer scan -
  kubectl kustomize overlays/prod | coffer scan - -o sarif > scan.sarif
  coffer scan --cluster -n payments -o json
  coffer scan k8s/ --write-baseline .coffer-baseline.json   # accept what is there today
  coffer scan k8s/ --baseline .coffer-baseline.json         # fail on new findings only
  coffer scan k8s/ --fix --dry-run                           # preview moving ConfigMap secrets`,
    )
    .action(async (paths: string[], options: Record<string, unknown>) => {
      const { runScan } = await import("./scan.js");
      await runScan(context, paths, { ...program.opts(), ...options });
    });
}
