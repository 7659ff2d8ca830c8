import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { isCofferError } from "../../../../src/errors.js";
import {
  defaultAgeKeyFile,
  discoverAgeIdentities,
  generateAgeIdentity,
  type RunCommand,
} from "../../../../providers/age/index.js";
import { requireTool, sshKeygen, tempDir } from "./helpers.js";

const hasSshKeygen = requireTool("/usr/bin/ssh-keygen", "ssh discovery tests");

function writeKeyFile(path: string, text: string): string {
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, text, { mode: 0o600 });
  return path;
}

async function recipients(result: { identities: Array<{ recipient(): Promise<string> }> }): Promise<string[]> {
  return Promise.all(result.identities.map((identity) => identity.recipient()));
}

describe("defaultAgeKeyFile", () => {
  it.each([
    ["linux", {}, "/home/u/.config/sops/age/keys.txt"],
    ["linux", { XDG_CONFIG_HOME: "/xdg" }, "/xdg/sops/age/keys.txt"],
    ["darwin", {}, "/home/u/Library/Application Support/sops/age/keys.txt"],
    ["darwin", { XDG_CONFIG_HOME: "/xdg" }, "/xdg/sops/age/keys.txt"],
    ["freebsd", {}, "/home/u/.config/sops/age/keys.txt"],
  ] as const)("%s %j", (platform, env, expected) => {
    expect(defaultAgeKeyFile({ env, homeDir: "/home/u", platform })).toBe(expected);
  });

  it("uses %AppData% on Windows, whatever its case", () => {
    expect(defaultAgeKeyFile({ env: { AppData: "C:\\Users\\u\\AppData\\Roaming" }, homeDir: "C:\\Users\\u", platform: "win32" })).toBe(
      "C:\\Users\\u\\AppData\\Roaming\\sops\\age\\keys.txt",
    );
  });
});

describe("discoverAgeIdentities", () => {
  it("finds nothing, silently, when no source exists", async () => {
    const result = await discoverAgeIdentities({ env: {}, homeDir: tempDir(), platform: "linux" });
    expect(result).toEqual({ identities: [], sources: [], warnings: [] });
  });

  it("loads and combines SOPS_AGE_KEY, SOPS_AGE_KEY_FILE, SOPS_AGE_KEY_CMD and the default file", async () => {
    const home = tempDir();
    const [inlineA, inlineB, file, command, fallback] = await Promise.all(
      [1, 2, 3, 4, 5].map(() => generateAgeIdentity()),
    );
    const keyFile = writeKeyFile(join(tempDir(), "explicit.txt"), file!.fileText);
    writeKeyFile(join(home, ".config", "sops", "age", "keys.txt"), fallback!.fileText);
    const calls: Array<{ argv: string[]; recipient: string | undefined }> = [];
    const runCommand: RunCommand = async (argv, { env }) => {
      calls.push({ argv, recipient: env["SOPS_AGE_RECIPIENT"] });
      return new TextEncoder().encode(`${command!.identity}\n`);
    };
    const result = await discoverAgeIdentities({
      env: {
        SOPS_AGE_KEY: `# inline\n${inlineA!.identity} ${inlineB!.identity}`,
        SOPS_AGE_KEY_FILE: keyFile,
        SOPS_AGE_KEY_CMD: "op read 'op://vault/age key'",
      },
      homeDir: home,
      platform: "linux",
      runCommand,
      recipient: "age1recipientbeingdecrypted",
    });
    expect(await recipients(result)).toEqual([
      inlineA!.recipient,
      inlineB!.recipient,
      file!.recipient,
      command!.recipient,
      fallback!.recipient,
    ]);
    expect(result.sources).toEqual([
      "SOPS_AGE_KEY",
      `SOPS_AGE_KEY_FILE (${keyFile})`,
      "SOPS_AGE_KEY_CMD",
      `default key file (${join(home, ".config", "sops", "age", "keys.txt")})`,
    ]);
    expect(calls).toEqual([{ argv: ["op", "read", "op://vault/age key"], recipient: "age1recipientbeingdecrypted" }]);
  });

  it("honours XDG_CONFIG_HOME for the default file", async () => {
    const xdg = tempDir();
    const key = await generateAgeIdentity();
    writeKeyFile(join(xdg, "sops", "age", "keys.txt"), key.fileText);
    const result = await discoverAgeIdentities({ env: { XDG_CONFIG_HOME: xdg }, homeDir: tempDir(), platform: "linux" });
    expect(await recipients(result)).toEqual([key.recipient]);
  });

  it("runs SOPS_AGE_KEY_CMD without a shell by default", async () => {
    const key = await generateAgeIdentity();
    const path = writeKeyFile(join(tempDir(), "k.txt"), key.fileText);
    const result = await discoverAgeIdentities({
      env: { SOPS_AGE_KEY_CMD: `cat "${path}"`, PATH: process.env["PATH"] },
      homeDir: tempDir(),
      platform: "linux",
    });
    expect(await recipients(result)).toEqual([key.recipient]);
  });

  it("fails with KEY_INVALID when an explicitly named source fails", async () => {
    const home = tempDir();
    const failing: Array<Record<string, string>> = [
      { SOPS_AGE_KEY_FILE: join(home, "missing.txt") },
      { SOPS_AGE_KEY: "garbage" },
      { SOPS_AGE_KEY_CMD: "'unterminated" },
      { SOPS_AGE_KEY_CMD: "/nonexistent/coffer-test-command" },
      { SOPS_AGE_SSH_PRIVATE_KEY_FILE: join(home, "missing_id") },
      { SOPS_AGE_SSH_PRIVATE_KEY_FILE: writeKeyFile(join(home, "not-a-key"), "hello\n") },
    ];
    for (const env of failing) {
      const error = await discoverAgeIdentities({ env, homeDir: home, platform: "linux" }).catch((e: unknown) => e);
      expect(isCofferError(error, "KEY_INVALID"), JSON.stringify(env)).toBe(true);
    }
  });

  it("skips a malformed default key file with a warning that names it but not its content", async () => {
    const home = tempDir();
    const path = writeKeyFile(join(home, ".config", "sops", "age", "keys.txt"), "AGE-SECRET-KEY-1BROKEN\n");
    const inline = await generateAgeIdentity();
    const result = await discoverAgeIdentities({ env: { SOPS_AGE_KEY: inline.identity }, homeDir: home, platform: "linux" });
    expect(await recipients(result)).toEqual([inline.recipient]);
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]).toContain(path);
    expect(result.warnings[0]).not.toContain("BROKEN");
  });

  it("skips an unreadable default key file silently", async () => {
    const home = tempDir();
    const path = writeKeyFile(join(home, ".config", "sops", "age", "keys.txt"), "x");
    const result = await discoverAgeIdentities({
      env: {},
      homeDir: home,
      platform: "linux",
      readFile: async (p) => {
        if (p === path) throw Object.assign(new Error("denied"), { code: "EACCES" });
        throw Object.assign(new Error("missing"), { code: "ENOENT" });
      },
    });
    expect(result).toEqual({ identities: [], sources: [], warnings: [] });
  });

  it.skipIf(!hasSshKeygen)("loads SOPS_AGE_SSH_PRIVATE_KEY_FILE, the CMD and ~/.ssh defaults", async () => {
    const home = tempDir();
    mkdirSync(join(home, ".ssh"));
    const explicit = sshKeygen(tempDir(), "ed25519");
    const fromCommand = sshKeygen(tempDir(), "ed25519");
    const defaultEd = sshKeygen(join(home, ".ssh"), "ed25519");
    const defaultRsa = sshKeygen(join(home, ".ssh"), "rsa");
    chmodSync(defaultRsa.privatePath, 0o600);
    const result = await discoverAgeIdentities({
      env: {
        SOPS_AGE_SSH_PRIVATE_KEY_FILE: explicit.privatePath,
        SOPS_AGE_SSH_PRIVATE_KEY_CMD: `cat ${fromCommand.privatePath}`,
        PATH: process.env["PATH"],
      },
      homeDir: home,
      platform: "linux",
    });
    const short = (line: string) => line.split(" ").slice(0, 2).join(" ");
    expect(await recipients(result)).toEqual([
      short(explicit.publicLine),
      short(fromCommand.publicLine),
      short(defaultEd.publicLine),
      short(defaultRsa.publicLine),
    ]);
    expect(result.identities.map((identity) => identity.kind)).toEqual(["ssh-ed25519", "ssh-ed25519", "ssh-ed25519", "ssh-rsa"]);
  });
});
