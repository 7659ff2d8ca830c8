/**
 * The `coffer audit` command group: encryption at rest, checked where it is configured
 * (`encryption-config`, `apiserver`) and where it lands (`etcd`). Only commander options live
 * here; each handler is imported when its subcommand runs.
 */
import { Command, Option } from "commander";
import type { CliContext } from "../context.js";
import { registerAuditEtcdCommand } from "./audit-etcd.js";
import { addAuditOutputOptions } from "./audit-options.js";

const EXIT_STATUSES = `
Exit statuses:
  0    no finding at or above --fail-on (and the configuration is valid)
  1    findings at or above --fail-on, or kube-apiserver would refuse the configuration
  159  not applicable: a managed control plane (EKS, GKE, AKS) keeps the configuration out of reach
  2    the file cannot be read; 8 wrong usage (see README "Exit statuses")`;

function addKubeVersionOption(command: Command): Command {
  return command.option("--kube-version <version>", "judge the file as this kube-apiserver release would (e.g. 1.20; default: the newest rules)");
}

export function registerAuditCommands(program: Command, context: CliContext): void {
  const audit = program
    .command("audit")
    .description("check that Kubernetes Secrets are really encrypted at rest (configuration, manifest, etcd)")
    .addHelpText(
      "after",
      `
Each subcommand prints a table, JSON or SARIF (-o) and exits 1 on findings at or above --fail-on.

Examples:
  coffer audit encryption-config /etc/kubernetes/enc/enc.yaml
  sudo coffer audit apiserver -o json`,
    );

  addKubeVersionOption(
    addAuditOutputOptions(
      audit
        .command("encryption-config")
        .description("validate an EncryptionConfiguration as kube-apiserver would, then report weak or missing encryption")
        .argument("<file>", "the EncryptionConfiguration (YAML or JSON), e.g. /etc/kubernetes/enc/enc.yaml")
        .option("--automatic-reload", "the apiserver runs with --encryption-provider-config-automatic-reload (KMS names must be unique)"),
      "high",
    ),
  )
    .addHelpText(
      "after",
      `
Key material is never printed. The file's mode and owner are checked too (expect 0600, root).
${EXIT_STATUSES}

Examples:
  coffer audit encryption-config /etc/kubernetes/enc/enc.yaml
  coffer audit encryption-config enc.yaml -o sarif > encryption.sarif
  coffer audit encryption-config enc.yaml --kube-version 1.26 --fail-on medium`,
    )
    .action(async (file: string, options: Record<string, unknown>) => {
      const { runAuditEncryptionConfig } = await import("./audit-encryption-config.js");
      await runAuditEncryptionConfig(context, file, options);
    });

  addKubeVersionOption(
    addAuditOutputOptions(
      audit
        .command("apiserver")
        .description("check the kube-apiserver static Pod: encryption flag, mounted config file, then audit that file")
        .option("--manifest <file>", "the static Pod manifest", "/etc/kubernetes/manifests/kube-apiserver.yaml")
        .option("--host-root <dir>", "where the node's filesystem is mounted (e.g. /host in a debug pod)", "/")
        .addOption(new Option("--provider <name>", "a managed control plane: report where its encryption is set instead").choices(["eks", "gke", "aks"]))
        .option("--kubeconfig <file>", "kubeconfig to look at for a managed cluster's endpoint (default: KUBECONFIG, ~/.kube/config)"),
      "high",
    ),
  )
    .addHelpText(
      "after",
      `
Without the manifest (a managed cluster), the kubeconfig's server (*.eks.amazonaws.com,
*.azmk8s.io, GKE) names the provider and its setting, and the command exits 159.
The release is read from the manifest's image tag unless --kube-version is given.
${EXIT_STATUSES}

Examples:
  sudo coffer audit apiserver
  coffer audit apiserver --manifest /host/etc/kubernetes/manifests/kube-apiserver.yaml --host-root /host -o json
  coffer audit apiserver --provider eks`,
    )
    .action(async (options: Record<string, unknown>) => {
      const { runAuditApiserver } = await import("./audit-apiserver.js");
      await runAuditApiserver(context, options);
    });

  registerAuditEtcdCommand(audit, context);
}
