/**
 * The files a scan reads: named files, directories walked recursively for .yaml/.yml/.json
 * (never following symlinked directories, skipping node_modules and .git), and `-` for stdin.
 */
import { readdir, stat } from "node:fs/promises";
import { isAbsolute, relative, resolve, sep } from "node:path";
import { CofferError } from "../errors.js";

export interface InputFile {
  /** Absolute path, or "-" for stdin. */
  path: string;
  /** What findings show: relative to the working directory, or "-". */
  display: string;
  /** Found by walking a directory (not named on the command line). */
  discovered: boolean;
}

const MANIFEST_EXTENSION = /\.(ya?ml|json)$/i;
const SKIPPED_DIRS = new Set(["node_modules", ".git"]);

export async function listInputs(args: readonly string[], cwd: string): Promise<InputFile[]> {
  const inputs: InputFile[] = [];
  for (const arg of args) {
    if (arg === "-") {
      inputs.push({ path: "-", display: "-", discovered: false });
      continue;
    }
    const path = resolve(cwd, arg);
    const info = await stat(path).catch((cause: unknown) => {
      throw new CofferError("INPUT_UNREADABLE", `cannot read ${arg}: ${(cause as NodeJS.ErrnoException).code ?? "error"}`, {
        hint: "check the path",
        cause,
      });
    });
    if (info.isDirectory()) await walk(path, cwd, relativeToCwd(path, cwd), inputs);
    else inputs.push({ path, display: displayPath(path, cwd), discovered: false });
  }
  return inputs;
}

/**
 * Walks `dir`. Under the working directory, entries are shown as `display` + their name (names
 * hold no separator): path.join and path.relative for each of thousands of files cost more than
 * the walk itself. Outside it (display undefined), each entry's display is worked out in full.
 */
async function walk(dir: string, cwd: string, display: string | undefined, out: InputFile[]): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const prefix = dir.endsWith(sep) ? dir : dir + sep;
  const shownPrefix = display === undefined || display === "" ? "" : display + sep;
  for (const entry of entries) {
    const path = prefix + entry.name;
    const shown = display === undefined ? undefined : shownPrefix + entry.name;
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name)) await walk(path, cwd, shown ?? relativeToCwd(path, cwd), out);
    } else if (MANIFEST_EXTENSION.test(entry.name)) {
      // A symlink to a file is read; to a directory it is not followed (no loops).
      const isFile = entry.isFile() || (entry.isSymbolicLink() && (await stat(path).catch(() => undefined))?.isFile() === true);
      if (isFile) out.push({ path, display: shown ?? displayPath(path, cwd), discovered: true });
    }
  }
}

/** A path relative to cwd ("" for cwd itself), or undefined when it lies outside cwd. */
function relativeToCwd(path: string, cwd: string): string | undefined {
  const rel = relative(cwd, path);
  return rel.startsWith("..") || isAbsolute(rel) ? undefined : rel;
}

/** How a file is shown: relative to cwd, or its absolute path outside it. */
function displayPath(path: string, cwd: string): string {
  const rel = relativeToCwd(path, cwd);
  return rel === undefined || rel === "" ? path : rel;
}
