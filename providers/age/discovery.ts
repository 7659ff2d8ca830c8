/**
 * Finds the age identities sops 3.11+ would use (spec §10.1). Pure: the caller passes the
 * environment, home directory and platform; file reads and commands go through injectable hooks.
 *
 * Every source is loaded and the identities combined. A source the user named explicitly (an
 * environment variable) that cannot be read, run or parsed is a KEY_INVALID error; an optional
 * default location that is absent or unreadable is skipped silently, and one that exists but is
 * unusable (malformed, passphrase-protected) is skipped with a warning.
 */
import { execFile } from "node:child_process";
import { readFile as fsReadFile } from "node:fs/promises";
import { posix, win32 } from "node:path";
import { CofferError, isCofferError } from "../../src/errors.js";
import type { AgeIdentitySource } from "./identity.js";
import { loadSshIdentity, parseAgeIdentities } from "./identity-file.js";
import { splitShellWords } from "./shell-words.js";

export type Env = Record<string, string | undefined>;

/** Runs `argv[0]` with arguments (no shell) and resolves to its stdout. */
export type RunCommand = (argv: string[], options: { env: Env }) => Promise<Uint8Array>;

export interface DiscoverAgeIdentitiesOptions {
  env: Env;
  homeDir: string;
  /** Defaults to the running platform. */
  platform?: NodeJS.Platform | undefined;
  /** Defaults to node:fs readFile. */
  readFile?: ((path: string) => Promise<Uint8Array>) | undefined;
  /** Defaults to node:child_process execFile with the given env. */
  runCommand?: RunCommand | undefined;
  /** The recipient being decrypted, passed to key commands as SOPS_AGE_RECIPIENT (sops 3.12+). */
  recipient?: string | undefined;
  /** Asked for the passphrase of an age-encrypted identity file. */
  passphrase?: ((source: string) => Promise<string>) | undefined;
}

export interface DiscoveredAgeIdentities {
  identities: AgeIdentitySource[];
  /** The sources that contributed identities, in load order (names and paths, no contents). */
  sources: string[];
  warnings: string[];
}

/** `<user config dir>/sops/age/keys.txt` for the platform, as sops computes it. */
export function defaultAgeKeyFile(options: { env: Env; homeDir: string; platform?: NodeJS.Platform | undefined }): string {
  const { env, homeDir } = options;
  const platform = options.platform ?? process.platform;
  const xdg = nonEmpty(env["XDG_CONFIG_HOME"]);
  if (platform === "win32") {
    const appData = nonEmpty(lookupInsensitive(env, "APPDATA")) ?? win32.join(homeDir, "AppData", "Roaming");
    return win32.join(appData, "sops", "age", "keys.txt");
  }
  if (platform === "darwin") {
    return posix.join(xdg ?? posix.join(homeDir, "Library", "Application Support"), "sops", "age", "keys.txt");
  }
  return posix.join(xdg ?? posix.join(homeDir, ".config"), "sops", "age", "keys.txt");
}

/** Loads and combines every age identity source of §10.1. */
export async function discoverAgeIdentities(options: DiscoverAgeIdentitiesOptions): Promise<DiscoveredAgeIdentities> {
  const { env } = options;
  const platform = options.platform ?? process.platform;
  const readFile = options.readFile ?? defaultReadFile;
  const runCommand = options.runCommand ?? defaultRunCommand;
  const join = platform === "win32" ? win32.join : posix.join;
  const result: DiscoveredAgeIdentities = { identities: [], sources: [], warnings: [] };
  const commandEnv: Env = { ...env };
  if (options.recipient !== undefined) commandEnv["SOPS_AGE_RECIPIENT"] = options.recipient;

  const add = async (source: string, content: string | Uint8Array, explicit: boolean): Promise<void> => {
    try {
      const parsed = await parseAgeIdentities(content, { source, passphrase: options.passphrase });
      result.identities.push(...parsed.identities);
      result.warnings.push(...parsed.warnings);
      if (parsed.identities.length > 0) result.sources.push(source);
    } catch (error) {
      if (explicit || !isCofferError(error)) throw error;
      result.warnings.push(`skipped: ${error.message}`);
    }
  };
  const addSsh = (source: string, content: Uint8Array, explicit: boolean): void => {
    try {
      result.identities.push(loadSshIdentity(new TextDecoder().decode(content), source));
      result.sources.push(source);
    } catch (error) {
      if (explicit || !isCofferError(error)) throw error;
      result.warnings.push(`skipped: ${error.message}`);
    }
  };
  const readExplicit = async (variable: string, path: string): Promise<Uint8Array> => {
    try {
      return await readFile(path);
    } catch (cause) {
      throw new CofferError("KEY_INVALID", `cannot read the age identity file named by ${variable}`, {
        hint: `check that ${path} exists and is readable`,
        cause,
      });
    }
  };
  const run = async (variable: string, command: string): Promise<Uint8Array> => {
    let argv: string[];
    try {
      argv = splitShellWords(command);
    } catch (cause) {
      throw new CofferError("KEY_INVALID", `cannot parse the command in ${variable}`, { hint: "check its quoting", cause });
    }
    if (argv.length === 0) throw new CofferError("KEY_INVALID", `the command in ${variable} is empty`);
    try {
      return await runCommand(argv, { env: commandEnv });
    } catch (cause) {
      throw new CofferError("KEY_INVALID", `the command in ${variable} failed`, {
        hint: "run it by hand to see its error; its stdout must be an identity file",
        cause,
      });
    }
  };

  const inline = nonEmpty(env["SOPS_AGE_KEY"]);
  if (inline !== undefined) await add("SOPS_AGE_KEY", inline, true);

  const keyFile = nonEmpty(env["SOPS_AGE_KEY_FILE"]);
  if (keyFile !== undefined) {
    await add(`SOPS_AGE_KEY_FILE (${keyFile})`, await readExplicit("SOPS_AGE_KEY_FILE", keyFile), true);
  }

  const keyCmd = nonEmpty(env["SOPS_AGE_KEY_CMD"]);
  if (keyCmd !== undefined) await add("SOPS_AGE_KEY_CMD", await run("SOPS_AGE_KEY_CMD", keyCmd), true);

  const defaultFile = defaultAgeKeyFile({ env, homeDir: options.homeDir, platform });
  const defaultContent = await readOptional(readFile, defaultFile);
  if (defaultContent !== undefined) await add(`default key file (${defaultFile})`, defaultContent, false);

  const sshFile = nonEmpty(env["SOPS_AGE_SSH_PRIVATE_KEY_FILE"]);
  if (sshFile !== undefined) {
    const content = await readExplicit("SOPS_AGE_SSH_PRIVATE_KEY_FILE", sshFile);
    addSsh(`SOPS_AGE_SSH_PRIVATE_KEY_FILE (${sshFile})`, content, true);
  }

  const sshCmd = nonEmpty(env["SOPS_AGE_SSH_PRIVATE_KEY_CMD"]);
  if (sshCmd !== undefined) {
    addSsh("SOPS_AGE_SSH_PRIVATE_KEY_CMD", await run("SOPS_AGE_SSH_PRIVATE_KEY_CMD", sshCmd), true);
  }

  for (const name of ["id_ed25519", "id_rsa"]) {
    const path = join(options.homeDir, ".ssh", name);
    if (path === sshFile) continue;
    const content = await readOptional(readFile, path);
    if (content !== undefined) addSsh(`default ssh key (${path})`, content, false);
  }
  return result;
}

async function readOptional(readFile: (path: string) => Promise<Uint8Array>, path: string): Promise<Uint8Array | undefined> {
  try {
    return await readFile(path);
  } catch {
    return undefined;
  }
}

async function defaultReadFile(path: string): Promise<Uint8Array> {
  return new Uint8Array(await fsReadFile(path));
}

const defaultRunCommand: RunCommand = (argv, options) =>
  new Promise((resolve, reject) => {
    const [file, ...args] = argv;
    if (file === undefined) {
      reject(new Error("empty command"));
      return;
    }
    const env = Object.fromEntries(Object.entries(options.env).filter((entry): entry is [string, string] => entry[1] !== undefined));
    execFile(file, args, { env, encoding: "buffer", maxBuffer: 1 << 20, timeout: 60_000 }, (error, stdout) => {
      if (error) reject(new Error(`command exited with ${String(error.code ?? "an error")}`));
      else resolve(new Uint8Array(stdout));
    });
  });

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value;
}

function lookupInsensitive(env: Env, name: string): string | undefined {
  for (const [key, value] of Object.entries(env)) {
    if (key.toUpperCase() === name) return value;
  }
  return undefined;
}
