/**
 * Writing output so that a crash, a full disk or a kill never leaves a half-written secrets file.
 *
 * The pattern: write a temporary file in the same directory (so the rename stays on one file
 * system), flush it to disk, rename it over the target (atomic on POSIX), then flush the directory
 * so the rename itself survives a power loss. Readers see the old file or the new one, never a mix.
 */
import { randomBytes } from "node:crypto";
import { constants } from "node:fs";
import { mkdir, open, realpath, rename, stat, unlink } from "node:fs/promises";
import type { FileHandle } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { CofferError } from "../errors.js";

/**
 * The mode of a file that did not exist before: 0600. Coffer writes both ciphertext and plaintext
 * (`decrypt --output`, `edit` temp files, keygen), and from the path alone it cannot tell which;
 * owner-only is the only default that cannot leak. Callers that write encrypted files meant to be
 * shared may pass `mode: 0o644` explicitly. An existing target always keeps its own mode.
 */
export const DEFAULT_NEW_FILE_MODE = 0o600;

export interface WriteFileAtomicOptions {
  /** Mode for a target that does not exist yet (and no `keepModeOf`). Default 0600. */
  mode?: number | undefined;
  /**
   * Copy the permission bits of this file when the target does not exist yet (e.g. `--output`
   * written next to its input). An existing target always keeps its own mode.
   */
  keepModeOf?: string | undefined;
}

/**
 * Atomically replaces `path` with `data`.
 *
 * If the target exists its permission bits are kept (and its owner and group when running as
 * root); a symlink target is followed so the link itself survives. On any failure the temporary
 * file is removed, the original is left untouched, and `OUTPUT_UNWRITABLE` is thrown.
 */
export async function writeFileAtomic(
  path: string,
  data: Uint8Array | string,
  options: WriteFileAtomicOptions = {},
): Promise<void> {
  const target = await resolveTarget(path);
  if (await isSpecialFile(target)) {
    // A device or FIFO (`--output /dev/stdout`, a named pipe): renaming over it would replace the
    // device node with a regular file (as root, even /dev/null). Write into it instead; atomicity
    // means nothing for a stream.
    await writeIntoSpecialFile(path, target, data);
    return;
  }
  const existing = await statOrUndefined(target);
  let mode = options.mode ?? DEFAULT_NEW_FILE_MODE;
  if (existing !== undefined) {
    mode = existing.mode & 0o7777;
  } else if (options.keepModeOf !== undefined) {
    const model = await statOrUndefined(options.keepModeOf);
    if (model !== undefined) mode = model.mode & 0o7777;
  }

  const directory = dirname(target);
  const temp = join(directory, `.${basename(target)}.coffer-${randomBytes(6).toString("hex")}.tmp`);
  let handle: FileHandle | undefined;
  try {
    // 0600 while the content is being written, whatever the final mode: plaintext never sits in
    // a world-readable temp file.
    handle = await open(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
    await handle.writeFile(data);
    if (existing !== undefined && isRoot() && (existing.uid !== process.getuid?.() || existing.gid !== process.getgid?.())) {
      await handle.chown(existing.uid, existing.gid);
    }
    // chmod after chown: chown may clear setuid/setgid bits.
    await handle.chmod(mode);
    await handle.sync();
    await handle.close();
    handle = undefined;
    await rename(temp, target);
  } catch (cause) {
    await handle?.close().catch(() => undefined);
    await unlink(temp).catch(() => undefined);
    throw unwritable(path, cause);
  }
  await syncDirectory(directory);
}

/**
 * Creates `path` with `data`, refusing to overwrite anything (`FILE_EXISTS`). Missing parent
 * directories are created with mode 0700, since this is used for private key files.
 */
export async function writeNewFileExclusive(path: string, data: Uint8Array | string, mode = DEFAULT_NEW_FILE_MODE): Promise<void> {
  const directory = dirname(resolve(path));
  try {
    await mkdir(directory, { recursive: true, mode: 0o700 });
  } catch (cause) {
    throw unwritable(path, cause);
  }
  let handle: FileHandle;
  try {
    handle = await open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, mode);
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === "EEXIST") {
      throw new CofferError("FILE_EXISTS", `refusing to overwrite ${path}`, {
        hint: "move the existing file away or choose another path",
        cause,
      });
    }
    throw unwritable(path, cause);
  }
  try {
    await handle.writeFile(data);
    // open() applies the umask; set the requested mode exactly.
    await handle.chmod(mode);
    await handle.sync();
    await handle.close();
  } catch (cause) {
    await handle.close().catch(() => undefined);
    // The file is ours (O_EXCL) and incomplete: remove it rather than leave a truncated key.
    await unlink(path).catch(() => undefined);
    throw unwritable(path, cause);
  }
  await syncDirectory(directory);
}

async function resolveTarget(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch {
    return resolve(path);
  }
}

async function statOrUndefined(path: string) {
  try {
    const info = await stat(path);
    return info.isFile() ? info : undefined;
  } catch {
    return undefined;
  }
}

async function isSpecialFile(path: string): Promise<boolean> {
  try {
    const info = await stat(path);
    return !info.isFile() && !info.isDirectory();
  } catch {
    return false;
  }
}

async function writeIntoSpecialFile(path: string, target: string, data: Uint8Array | string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(target, constants.O_WRONLY);
    await handle.writeFile(data);
  } catch (cause) {
    throw unwritable(path, cause);
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

function isRoot(): boolean {
  return process.getuid?.() === 0;
}

/** Makes a completed rename durable. Some platforms cannot fsync a directory; that is not fatal. */
async function syncDirectory(directory: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(directory, "r");
    await handle.sync();
  } catch {
    // EISDIR/EINVAL/EPERM on platforms without directory fsync: the data itself is already synced.
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

function unwritable(path: string, cause: unknown): CofferError {
  const code = (cause as NodeJS.ErrnoException | undefined)?.code;
  const reason =
    code === "EACCES" || code === "EPERM"
      ? "permission denied"
      : code === "ENOSPC" || code === "EDQUOT"
        ? "no space left on device"
        : code === "EISDIR"
          ? "it is a directory"
          : code === "ENOENT"
            ? "the directory does not exist"
            : "write failed";
  return new CofferError("OUTPUT_UNWRITABLE", `cannot write ${path}: ${reason}`, {
    hint: "check that the directory exists and is writable; the original file was left unchanged",
    cause,
  });
}
