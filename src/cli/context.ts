/**
 * The CLI is the only layer that reads the process environment; it turns it into explicit
 * options for the library and the providers.
 */
import { homedir } from "node:os";
import type { ProviderContext } from "../../providers/registry.js";
import type { Terminal } from "./terminal.js";

export interface CliContext {
  env: Record<string, string | undefined>;
  cwd: string;
  terminal: Terminal;
  provider: ProviderContext;
  /** Set by a command that succeeded but must exit non-zero (findings remain: EXIT_FINDINGS). */
  exitStatus?: number;
}

export function providerContextFromProcess(env: Record<string, string | undefined>, warn: (message: string) => void): ProviderContext {
  return { env, homeDir: homedir(), platform: process.platform, warn };
}

/** Splits a comma list from a flag or environment variable, dropping blanks. */
export function commaList(...values: Array<string | string[] | undefined>): string[] {
  return values
    .flatMap((value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]))
    .flatMap((value) => value.split(","))
    .map((value) => value.trim())
    .filter((value) => value !== "");
}
