/** `coffer apply`: the options and help; the handler (apply.ts) is imported only when it runs. */
import { Option, type Command } from "commander";
import type { CliContext } from "../context.js";
import { parseCount } from "../option-parsers.js";

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

export function registerApplyCommand(program: Command, context: CliContext): void {
  program
    .command("apply")
    .description("decrypt manifests in memory and server-side apply them (any kind; encrypted or not)")
    .option("-f, --filename <path>", "a manifest file (YAML, multi-document, or JSON), a directory (recursive: *.yaml, *.yml, *.json), or '-' for stdin; repeatable", collect)
    .option("-n, --namespace <ns>", "namespace for objects that name none (default: the kubeconfig context's)")
    .option("--kubeconfig <file>", "kubeconfig to use (default: KUBECONFIG, ~/.kube/config, or the pod's service account)")
    .option("--context <name>", "kubeconfig context to use")
    .option("--secret <name>", "generator mode: build a Secret NAME from the --from-file inputs")
    .option("--from-file <file>", "with --secret: an encrypted dotenv (key per variable), YAML/JSON (key per top-level key) or other file (one key, named after the file without .enc); repeatable", collect)
    .option("--type <type>", "with --secret: the Secret type (default Opaque)")
    .addOption(new Option("--dry-run [mode]", "ask the server to check everything and change nothing (only 'server')").preset("server"))
    .option("--diff", "show what would change, per object and per Secret key, with fingerprints instead of values (implies --dry-run=server)")
    .option("--fingerprint-key <key>", "key for the --diff fingerprints (prefer env COFFER_FINGERPRINT_KEY; default: a public key, see README)")
    .option("--force-conflicts", "take over fields another field manager owns (server-side apply force)")
    .option("--prune", "delete objects of --prune-set that are no longer in the input")
    .option("--prune-set <name>", "label applied objects coffer.dev/prune-set=NAME (the inventory --prune works from)")
    .option("--restart-dependents", "roll the Deployments, StatefulSets and DaemonSets that use a Secret whose data changed")
    .addOption(new Option("-o, --output-format <fmt>", "print the result as data on stdout").choices(["table", "json", "yaml"]).default("table"))
    .option("--concurrency <n>", "API requests in flight at once (default 32)", parseCount)
    .option("--request-timeout <duration>", "timeout of each API request, e.g. 30s, 500ms (default 30s)")
    .addHelpText(
      "after",
      `
Server-side apply only (field manager "coffer"): no last-applied-configuration annotation ever
holds a decrypted value (one in the input is removed). Plaintext stays in memory. Decryption keys
come from the same places as for 'coffer decrypt'.

Examples:
  coffer apply -f k8s/                                  # every manifest under k8s/, encrypted or not
  coffer apply -f k8s/ --diff                           # review: per-key changes, no values
  coffer apply -f k8s/ --prune --prune-set payments     # delete what left the set since last time
  coffer apply -f db.enc.yaml --restart-dependents      # roll workloads using a changed Secret
  coffer apply --secret app-env --from-file app.enc.env -n app
  coffer apply -f k8s/ --dry-run=server -o json`,
    )
    .action(async (options: Record<string, unknown>) => {
      const { runApply } = await import("./apply.js");
      await runApply(context, options);
    });
}
