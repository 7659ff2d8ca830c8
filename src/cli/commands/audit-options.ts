/**
 * Options every `coffer audit` subcommand shares. A module of its own so that the audit group
 * (audit-program.ts) and `audit etcd` (audit-etcd.ts, registered by the group) both use it.
 */
import { type Command, Option } from "commander";

/**
 * -o and --fail-on. `failOn`: the default threshold (`high` for configuration checks; `low` for
 * etcd, where any plaintext or stale object is worth an exit status).
 */
export function addAuditOutputOptions(command: Command, failOn: "low" | "high"): Command {
  return command
    .addOption(new Option("-o, --output-format <format>", "how to print the report").choices(["table", "json", "sarif"]).default("table"))
    .addOption(new Option("--fail-on <severity>", "exit 1 when a finding is at or above this severity").choices(["low", "medium", "high", "critical"]).default(failOn));
}
