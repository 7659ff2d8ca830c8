/**
 * The "wire client" of the PGP provider: runs the user's `gpg` once with bytes on stdin and
 * collects stdout, stderr and gpg's machine-readable status lines. It knows nothing about error
 * codes; `failures.ts` maps what it returns to CofferErrors.
 */
import { spawn } from "node:child_process";

/** What one gpg run needs. Secrets travel on stdin (and the passphrase on fd 3), never on argv. */
export interface GpgRunOptions {
  /** The binary: `SOPS_GPG_EXEC` or `gpg`. */
  executable: string;
  args: readonly string[];
  input: Uint8Array | string;
  /** The complete environment of the child (GNUPGHOME, GPG_TTY, PATH ... as the caller chose). */
  env: Record<string, string | undefined>;
  /** Killed after this long; an agent may be waiting on a pinentry or a smartcard. */
  timeoutMs: number;
  /** When set, gpg reads it from fd 3 with `--pinentry-mode loopback --passphrase-fd 3`. */
  passphrase?: string | undefined;
}

/** How a run ended. `spawnError` is set when the binary could not be started at all. */
export interface GpgRunResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  spawnError?: NodeJS.ErrnoException | undefined;
  stdout: Buffer;
  /** Human-readable `gpg: ...` lines (status lines removed). */
  stderrLines: string[];
  /** `[GNUPG:] KEYWORD args` lines, without the prefix, e.g. `NO_SECKEY 25294A17CD90507F`. */
  status: string[];
}

/** Output bounds: a wrapped data key is tens of bytes, so anything near these is not ours. */
const MAX_STDOUT = 1 << 20;
const MAX_STDERR = 64 << 10;
/** Grace period between SIGTERM and SIGKILL after a timeout. */
const KILL_GRACE_MS = 2000;
const STATUS_PREFIX = "[GNUPG:] ";

/** Runs gpg once. Never rejects: every failure, including a missing binary, is in the result. */
export function runGpg(options: GpgRunOptions): Promise<GpgRunResult> {
  // Status keywords on stderr (they start with "[GNUPG:] ") so failures need no message parsing.
  const passphraseArgs = options.passphrase === undefined ? [] : ["--pinentry-mode", "loopback", "--passphrase-fd", "3"];
  const args = ["--status-fd", "2", ...passphraseArgs, ...options.args];
  return new Promise((resolve) => {
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let stdoutSize = 0;
    let stderrSize = 0;
    let timedOut = false;
    let settled = false;
    let killTimer: NodeJS.Timeout | undefined;

    const child = spawn(options.executable, args, {
      env: definedOnly(options.env),
      stdio: options.passphrase === undefined ? ["pipe", "pipe", "pipe"] : ["pipe", "pipe", "pipe", "pipe"],
      windowsHide: true,
    });

    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGTERM");
      killTimer = setTimeout(() => {
        child.kill("SIGKILL");
        // A wrapper's grandchild may hold the pipes open; do not wait for it.
        finish({ exitCode: null, signal: "SIGKILL" });
      }, KILL_GRACE_MS);
    }, options.timeoutMs);

    const finish = (result: Omit<GpgRunResult, "stdout" | "stderrLines" | "status" | "timedOut">): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (killTimer !== undefined) clearTimeout(killTimer);
      const { stderrLines, status } = splitStderr(Buffer.concat(stderr).toString("utf8"));
      resolve({ ...result, timedOut, stdout: Buffer.concat(stdout), stderrLines, status });
    };

    child.on("error", (error: NodeJS.ErrnoException) => finish({ exitCode: null, signal: null, spawnError: error }));
    child.on("close", (exitCode, signal) => finish({ exitCode, signal }));
    child.stdout?.on("data", (chunk: Buffer) => {
      stdoutSize += chunk.length;
      if (stdoutSize <= MAX_STDOUT) stdout.push(chunk);
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      stderrSize += chunk.length;
      if (stderrSize <= MAX_STDERR) stderr.push(chunk);
    });
    // gpg may exit before reading all of stdin (bad arguments, missing binary): ignore EPIPE.
    child.stdin?.on("error", () => undefined);
    child.stdin?.end(options.input);
    if (options.passphrase !== undefined) {
      const passphraseStream = child.stdio[3] as NodeJS.WritableStream | null | undefined;
      passphraseStream?.on("error", () => undefined);
      passphraseStream?.end(`${options.passphrase}\n`);
    }
  });
}

function definedOnly(env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) if (value !== undefined) out[name] = value;
  return out;
}

function splitStderr(text: string): { stderrLines: string[]; status: string[] } {
  const stderrLines: string[] = [];
  const status: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (line.startsWith(STATUS_PREFIX)) status.push(line.slice(STATUS_PREFIX.length));
    else if (line.trim() !== "") stderrLines.push(line);
  }
  return { stderrLines, status };
}
