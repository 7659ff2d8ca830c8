/**
 * `coffer audit etcd`: prove from etcd itself what is encrypted at rest and with which key, and
 * with `--rewrite` have kube-apiserver re-encrypt what is stale. The registration is here so the
 * `audit` group needs one line for it; the work is lazy-imported when the command runs.
 */
import type { Command } from "commander";
import type { CliContext } from "../context.js";
import { parsePositiveInteger } from "../option-parsers.js";
import { addAuditOutputOptions } from "./audit-options.js";

export function registerAuditEtcdCommand(auditGroup: Command, context: CliContext): Command {
  const command = auditGroup
    .command("etcd")
    .description("read every Secret (and each resource the EncryptionConfiguration covers) from etcd and report how each is stored")
    .option("--endpoints <urls>", "etcd client URLs, comma separated, e.g. https://10.0.0.5:2379 (env ETCDCTL_ENDPOINTS)")
    .option("--cacert <file>", "CA certificate to verify etcd's server certificate (env ETCDCTL_CACERT)")
    .option("--cert <file>", "client certificate for etcd, e.g. kube-apiserver's --etcd-certfile (env ETCDCTL_CERT)")
    .option("--key <file>", "client key for etcd, e.g. kube-apiserver's --etcd-keyfile (env ETCDCTL_KEY)")
    .option("--config <file>", "kube-apiserver's EncryptionConfiguration (--encryption-provider-config): tells stale and unknown keys apart")
    .option("--resources <list>", "resources to read, comma separated: secrets,configmaps,deployments.apps (default: secrets and every resource the config names)");
  return addAuditOutputOptions(command, "low")
    .option("--rewrite", "re-encrypt each stale or plaintext object with the current writing key (GET + PUT through the Kubernetes API), then audit again")
    .option("--kubeconfig <file>", "with --rewrite: the kubeconfig (default: KUBECONFIG, ~/.kube/config, in-cluster)")
    .option("--context <name>", "with --rewrite: the kubeconfig context")
    .option("--concurrency <n>", "with --rewrite: updates in flight at once (default 8)", parsePositiveInteger)
    .option("--page-size <n>", "keys per etcd range read (default 500)", parsePositiveInteger)
    .addHelpText(
      "after",
      `
Values are read for their prefix only and never printed: reports name objects by etcd key
(/registry/secrets/NAMESPACE/NAME). Finding ids: etcd-plaintext-secret (critical),
etcd-unknown-key (critical), etcd-plaintext-object (high), etcd-unrecognized-value (high),
etcd-stale-key (medium). Exit status 1 when a finding at or above --fail-on remains.

Examples:
  coffer audit etcd --endpoints https://127.0.0.1:2379 --cacert ca.crt --cert apiserver-etcd-client.crt --key apiserver-etcd-client.key
  coffer audit etcd --endpoints https://127.0.0.1:2379 ... --config /etc/kubernetes/encryption-config.yaml -o json
  coffer audit etcd --endpoints https://127.0.0.1:2379 ... --config encryption-config.yaml --rewrite --kubeconfig admin.conf
  coffer audit etcd --endpoints http://127.0.0.1:2379 --resources secrets,configmaps -o sarif > etcd.sarif`,
    )
    .action(async (_options: Record<string, unknown>, command: Command) => {
      const { runAuditEtcd } = await import("./audit-etcd-run.js");
      // `coffer --config` (the .sops.yaml) is a program option, so commander hands a `--config`
      // written after `audit etcd` to the program: read it back from there.
      await runAuditEtcd(context, command.optsWithGlobals());
    });
}

