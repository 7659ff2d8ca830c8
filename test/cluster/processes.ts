/**
 * Child processes for the real-cluster harness: spawned with a bounded stderr tail (for
 * startup errors), killed on stop() and, as a last resort, when the test process exits.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";

/** A long-running child (etcd, kube-apiserver). */
export interface ManagedProcess {
  readonly name: string;
  readonly pid: number;
  /** Resolves with the exit code (or signal) once the process has exited. */
  readonly exited: Promise<string>;
  /** The last lines the process wrote to stdout/stderr, newest last. */
  tail(): string;
  /** True until the process has exited. */
  running(): boolean;
  /** SIGKILL and wait for the exit; the harness never needs a graceful shutdown. */
  kill(): Promise<void>;
}

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // 'exit' handlers must be synchronous: a plain kill is all that fits.
  process.on("exit", () => {
    for (const child of live) child.kill("SIGKILL");
  });
}

const TAIL_LINES = 40;

/** Spawn `command` with `args`; output is kept only as a short tail for error messages. */
export function startProcess(name: string, command: string, args: readonly string[]): ManagedProcess {
  installExitHook();
  const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] });
  if (child.pid === undefined) throw new Error(`${name}: could not start ${command}`);
  live.add(child);
  const lines: string[] = [];
  let partial = "";
  const collect = (chunk: Buffer): void => {
    const parts = (partial + chunk.toString("utf8")).split("\n");
    partial = parts.pop() ?? "";
    lines.push(...parts);
    if (lines.length > TAIL_LINES) lines.splice(0, lines.length - TAIL_LINES);
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  let isRunning = true;
  const exited = new Promise<string>((resolve) => {
    child.on("error", (err) => {
      lines.push(`spawn error: ${err.message}`);
    });
    child.on("close", (code, signal) => {
      isRunning = false;
      live.delete(child);
      resolve(signal ?? `exit ${String(code)}`);
    });
  });
  const pid = child.pid;
  return {
    name,
    pid,
    exited,
    tail: () => [...lines, partial].filter((l) => l !== "").join("\n"),
    running: () => isRunning,
    async kill() {
      if (isRunning) child.kill("SIGKILL");
      await exited;
    },
  };
}

/** A loopback port that was free a moment ago (the OS picks it when binding port 0). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error("no port from the OS"))));
    });
  });
}

/**
 * Poll `check` every `intervalMs` until it returns true; fail after `timeoutMs`, or as soon as
 * `proc` exits, with the process's last output in the message.
 */
export async function waitUntil(
  proc: ManagedProcess,
  what: string,
  check: () => Promise<boolean>,
  timeoutMs: number,
  intervalMs = 50,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!proc.running()) {
      throw new Error(`${proc.name} exited before ${what}:\n${proc.tail()}`);
    }
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) {
      throw new Error(`${proc.name}: no ${what} after ${timeoutMs} ms; last output:\n${proc.tail()}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
