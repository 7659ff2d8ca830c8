/** Runs the built CLI (bin/coffer.js) as a user would, in a clean environment. */
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";

export const REPO_DIR = fileURLToPath(new URL("../../", import.meta.url));
export const COFFER_BIN = join(REPO_DIR, "bin", "coffer.js");

/**
 * Keeps the cloud SDKs in a CLI child from ever probing an instance metadata service (they do
 * when no credentials are configured): tests only talk to servers on loopback.
 */
const NO_CLOUD_METADATA = {
  AWS_EC2_METADATA_DISABLED: "true",
  METADATA_SERVER_DETECTION: "none",
  GCE_METADATA_HOST: "127.0.0.1:9",
};

export interface CliResult {
  status: number;
  stdout: string;
  stdoutBytes: Buffer;
  stderr: string;
}

export interface CliOptions {
  env?: Record<string, string>;
  input?: string | Buffer;
  cwd?: string;
  nodeArgs?: string[];
}

/** A fresh HOME so no real key or config of the machine leaks into a test. */
export function freshHome(): string {
  return mkdtempSync(join(tmpdir(), "coffer-home-"));
}

export function runCoffer(args: string[], options: CliOptions = {}): CliResult {
  const home = options.env?.HOME ?? freshHome();
  const result = spawnSync(process.execPath, [...(options.nodeArgs ?? []), COFFER_BIN, ...args], {
    cwd: options.cwd ?? home,
    input: options.input,
    env: { ...NO_CLOUD_METADATA, PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: home, NO_COLOR: "1", ...options.env },
    maxBuffer: 256 * 1024 * 1024,
  });
  return {
    status: result.status ?? -1,
    stdout: result.stdout.toString("utf8"),
    stdoutBytes: result.stdout,
    stderr: result.stderr.toString("utf8"),
  };
}

/**
 * Like {@link runCoffer}, but without blocking this process: needed when the CLI talks to a fake
 * server running inside the test process (spawnSync would stop it from answering).
 */
export function runCofferAsync(args: string[], options: CliOptions = {}): Promise<CliResult> {
  const home = options.env?.HOME ?? freshHome();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), COFFER_BIN, ...args], {
      cwd: options.cwd ?? home,
      env: { ...NO_CLOUD_METADATA, PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: home, NO_COLOR: "1", ...options.env },
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
    child.on("error", reject);
    child.on("close", (status) => {
      const stdoutBytes = Buffer.concat(out);
      resolve({ status: status ?? -1, stdout: stdoutBytes.toString("utf8"), stdoutBytes, stderr: Buffer.concat(err).toString("utf8") });
    });
    child.stdin.end(options.input ?? "");
  });
}

const RECORD_LOADS = fileURLToPath(new URL("./record-loads.mjs", import.meta.url));

/** The modules (paths and URLs) a successful CLI run loads, recorded by helpers/record-loads.mjs. */
export function loadedModules(args: string[], env: Record<string, string> = {}): string[] {
  const home = freshHome();
  const log = join(home, "loads.txt");
  writeFileSync(log, "");
  const result = runCoffer(args, { env: { HOME: home, COFFER_LOAD_LOG: log, ...env }, nodeArgs: ["--import", RECORD_LOADS] });
  expect(result.status, result.stderr).toBe(0);
  return readFileSync(log, "utf8").split("\n").filter(Boolean);
}
