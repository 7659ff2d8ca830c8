/**
 * The real clients, run against a test cluster: kubectl (with its own cache dir, so nothing is
 * written to ~/.kube) and etcdctl for the raw bytes a key holds in etcd.
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import type { Cluster } from "./harness.js";
import { ETCDCTL, KUBECTL } from "./paths.js";

export interface RunResult {
  code: number | null;
  stdout: Buffer;
  stderr: string;
}

/** Run a command to completion, feeding `input` on stdin; never throws on a non-zero exit. */
export function run(
  command: string,
  args: readonly string[],
  options: { input?: string | Buffer; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      stdio: ["pipe", "pipe", "pipe"],
      env: options.env ?? process.env,
      timeout: options.timeoutMs ?? 20_000,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (c: Buffer) => out.push(c));
    child.stderr.on("data", (c: Buffer) => err.push(c));
    child.on("error", reject);
    child.on("close", (code) =>
      resolve({ code, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString("utf8") }),
    );
    child.stdin.end(options.input ?? "");
  });
}

/** `kubectl --kubeconfig <cluster> --cache-dir <cluster dir> ARGS`. */
export function kubectl(cluster: Cluster, args: readonly string[], input?: string): Promise<RunResult> {
  const base = ["--kubeconfig", cluster.kubeconfigPath, "--cache-dir", join(cluster.dir, "kube-cache")];
  return run(KUBECTL, [...base, ...args], input === undefined ? {} : { input });
}

/** The raw value etcd holds at `key` (undefined when absent), read with etcdctl (v3 API). */
export async function etcdGet(cluster: Cluster, key: string): Promise<Buffer | undefined> {
  const env = { ...process.env, ETCDCTL_API: "3" };
  const res = await run(ETCDCTL, ["--endpoints", cluster.etcdEndpoint, "get", key, "-w", "json"], { env });
  if (res.code !== 0) throw new Error(`etcdctl get failed: ${res.stderr.trim()}`);
  // JSON output carries the value base64-encoded, so binary values survive intact.
  const parsed = JSON.parse(res.stdout.toString("utf8")) as { kvs?: { value?: string }[] };
  const value = parsed.kvs?.[0]?.value;
  return value === undefined ? undefined : Buffer.from(value, "base64");
}
