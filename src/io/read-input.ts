/**
 * Reading the input of a command (a file or stdin) as bytes, with a size limit.
 *
 * Why a limit at all: the whole input is held in memory several times over (bytes, parsed tree,
 * encrypted tree, emitted text), and a secrets file is small by nature. A 50 MB "secrets" file is
 * almost always a mistake (a binary, a log, the wrong path) or hostile input, so we refuse it with a
 * clear message instead of grinding through it.
 */
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { open } from "node:fs/promises";
import type { Readable } from "node:stream";
import { CofferError } from "../errors.js";

/**
 * The default input limit: 16 MiB. Real secrets files are kilobytes; the largest legitimate inputs
 * we know of (binary blobs such as keystores or a Kubernetes Secret with a few certificates) stay
 * far below this. Anything larger is refused with `INPUT_TOO_LARGE` and a hint on how to raise the
 * limit (`--max-input-size` in the CLI).
 */
export const DEFAULT_MAX_INPUT_BYTES = 16 * 1024 * 1024;

export interface ReadInputOptions {
  /** Refuse inputs larger than this many bytes. Default {@link DEFAULT_MAX_INPUT_BYTES}. */
  maxBytes?: number | undefined;
  /** The stream read for `-`. Default `process.stdin` (the caller decides; tests pass their own). */
  stdin?: Readable | undefined;
}

const READ_CHUNK = 64 * 1024;

/**
 * Reads a file, or stdin when `pathOrDash` is `-`, as bytes.
 *
 * Throws `INPUT_UNREADABLE` when the file is missing, a directory or unreadable, and
 * `INPUT_TOO_LARGE` as soon as more than `maxBytes` bytes are seen (the rest is never read, so a
 * huge file or an endless pipe cannot exhaust memory).
 */
export async function readInput(pathOrDash: string, options: ReadInputOptions = {}): Promise<Uint8Array> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_INPUT_BYTES;
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 0) {
    throw new CofferError("USAGE", "the input size limit must be a non-negative integer number of bytes");
  }
  if (pathOrDash === "-") {
    return readStream(options.stdin ?? process.stdin, maxBytes);
  }
  return readFileLimited(pathOrDash, maxBytes);
}

/** The chunks read from `path` so far; refuses more than `maxBytes` in all. */
class Chunks {
  private readonly list: Buffer[] = [];
  private total = 0;

  constructor(
    private readonly path: string,
    private readonly maxBytes: number,
  ) {}

  /** Adds what a read gave; false at the end of the input. */
  add(buffer: Buffer, bytesRead: number): boolean {
    if (bytesRead === 0) return false;
    this.total += bytesRead;
    if (this.total > this.maxBytes) throw tooLarge(this.path, this.maxBytes);
    this.list.push(buffer.subarray(0, bytesRead));
    return true;
  }

  bytes(): Buffer {
    return this.list.length === 1 ? (this.list[0] as Buffer) : Buffer.concat(this.list, this.total);
  }
}

async function readFileLimited(path: string, maxBytes: number): Promise<Uint8Array> {
  let handle;
  try {
    handle = await open(path, "r");
  } catch (cause) {
    throw unreadable(path, cause);
  }
  try {
    const stat = await handle.stat().catch((cause: unknown) => {
      throw unreadable(path, cause);
    });
    if (stat.isDirectory()) {
      throw new CofferError("INPUT_UNREADABLE", `cannot read ${path}: it is a directory`, {
        hint: "pass the path of a file",
      });
    }
    // A regular file announces its size; pipes and devices report 0, so the loop below still
    // enforces the limit for them.
    if (stat.isFile() && stat.size > maxBytes) throw tooLarge(path, maxBytes);
    const chunks = new Chunks(path, maxBytes);
    for (;;) {
      const buffer = Buffer.allocUnsafe(READ_CHUNK);
      let bytesRead: number;
      try {
        ({ bytesRead } = await handle.read(buffer, 0, READ_CHUNK, null));
      } catch (cause) {
        throw unreadable(path, cause);
      }
      if (!chunks.add(buffer, bytesRead)) return chunks.bytes();
    }
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/**
 * {@link readInput} for a file, synchronously: the same limit and errors, without a round trip
 * through the thread pool per step (a scan of thousands of small files spends more time there
 * than reading).
 */
export function readInputFileSync(path: string, options: { maxBytes?: number | undefined } = {}): Uint8Array {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_INPUT_BYTES;
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (cause) {
    throw unreadable(path, cause);
  }
  try {
    let stat;
    try {
      stat = fstatSync(fd);
    } catch (cause) {
      throw unreadable(path, cause);
    }
    if (stat.isDirectory()) throw new CofferError("INPUT_UNREADABLE", `cannot read ${path}: it is a directory`, { hint: "pass the path of a file" });
    const size = stat.isFile() ? stat.size : 0;
    if (size > maxBytes) throw tooLarge(path, maxBytes);
    const chunks = new Chunks(path, maxBytes);
    for (;;) {
      // A regular file: one read of its announced size, then one that sees the end.
      const buffer = Buffer.allocUnsafe(Math.max(size + 1, READ_CHUNK));
      let bytesRead: number;
      try {
        bytesRead = readSync(fd, buffer, 0, buffer.length, null);
      } catch (cause) {
        throw unreadable(path, cause);
      }
      if (!chunks.add(buffer, bytesRead)) return chunks.bytes();
    }
  } finally {
    closeSync(fd);
  }
}

async function readStream(stream: Readable, maxBytes: number): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of stream) {
      const bytes = typeof chunk === "string" ? Buffer.from(chunk) : Buffer.from(chunk as Uint8Array);
      total += bytes.length;
      if (total > maxBytes) {
        // Stop consuming; the process is about to fail anyway and we must not buffer the rest.
        stream.pause();
        throw tooLarge("stdin", maxBytes);
      }
      chunks.push(bytes);
    }
  } catch (cause) {
    if (cause instanceof CofferError) throw cause;
    throw unreadable("stdin", cause);
  }
  return Buffer.concat(chunks, total);
}

function unreadable(path: string, cause: unknown): CofferError {
  const code = (cause as NodeJS.ErrnoException | undefined)?.code;
  const reason =
    code === "ENOENT"
      ? "no such file"
      : code === "EACCES" || code === "EPERM"
        ? "permission denied"
        : code === "EISDIR"
          ? "it is a directory"
          : "read failed";
  const hint =
    code === "ENOENT"
      ? "check the path (it is resolved from the current directory)"
      : code === "EACCES" || code === "EPERM"
        ? "check the file's permissions"
        : "check that the path names a readable file, or use - for stdin";
  return new CofferError("INPUT_UNREADABLE", `cannot read ${path}: ${reason}`, { hint, cause });
}

function tooLarge(path: string, maxBytes: number): CofferError {
  return new CofferError("INPUT_TOO_LARGE", `${path} is larger than the input limit of ${maxBytes} bytes`, {
    hint: "secrets files are normally small; if this input is intended, raise the limit with --max-input-size <bytes>",
  });
}
