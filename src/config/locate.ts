/** Finding the `.sops.yaml` to use (spec §9.1). */
import { stat } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { CofferError } from "../errors.js";

export const CONFIG_FILE_NAME = ".sops.yaml";
const ALTERNATE_NAME = ".sops.yml";
/** sops looks at the starting directory and its parents, 100 directories in all. */
export const MAX_SEARCH_DEPTH = 100;

export interface FindConfigFileOptions {
  /** Where the upward search starts: the working directory (not the file's directory, as in sops). */
  cwd: string;
  /** `--config <path>`; wins over everything. Relative paths are resolved from `cwd`. */
  explicitPath?: string | undefined;
  /** The caller's environment; only `SOPS_CONFIG` is read, and only when `explicitPath` is unset. */
  env?: { readonly SOPS_CONFIG?: string | undefined } | undefined;
}

export interface FoundConfigFile {
  /** Absolute path of the config, or undefined when there is none (not an error by itself). */
  path?: string;
  /** e.g. that a `.sops.yml` was seen and ignored. */
  warnings: string[];
}

/**
 * Locates the config: `explicitPath`, else `env.SOPS_CONFIG`, else the first `.sops.yaml` in `cwd`
 * or one of its parents (at most {@link MAX_SEARCH_DEPTH} directories). A `.sops.yml` met on the way
 * is ignored, as sops does, but reported in `warnings`. An explicit path that does not exist throws
 * `CONFIG_NOT_FOUND`.
 */
export async function findConfigFile(options: FindConfigFileOptions): Promise<FoundConfigFile> {
  const explicit = nonEmpty(options.explicitPath) ?? nonEmpty(options.env?.SOPS_CONFIG);
  if (explicit !== undefined) {
    const path = resolve(options.cwd, explicit);
    if (!(await isFile(path))) {
      throw new CofferError("CONFIG_NOT_FOUND", `config file ${path} does not exist`, {
        hint:
          options.explicitPath === undefined
            ? "SOPS_CONFIG names a missing file: fix or unset it"
            : "check the --config path, or leave it out to search for .sops.yaml",
      });
    }
    return { path, warnings: [] };
  }

  let directory = resolve(options.cwd);
  let alternate: string | undefined;
  for (let level = 0; level < MAX_SEARCH_DEPTH; level++) {
    const candidate = join(directory, CONFIG_FILE_NAME);
    if (await isFile(candidate)) {
      const warnings = alternate === undefined ? [] : [ignoredWarning(alternate, candidate)];
      return { path: candidate, warnings };
    }
    if (alternate === undefined && (await isFile(join(directory, ALTERNATE_NAME)))) {
      alternate = join(directory, ALTERNATE_NAME);
    }
    const parent = dirname(directory);
    if (parent === directory) break;
    directory = parent;
  }
  return { warnings: alternate === undefined ? [] : [ignoredWarning(alternate, undefined)] };
}

function ignoredWarning(alternate: string, used: string | undefined): string {
  const base = `ignoring ${alternate}: the config file must be called ${CONFIG_FILE_NAME}`;
  return used === undefined ? base : `${base}; using ${used} instead`;
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}
