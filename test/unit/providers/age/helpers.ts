/** Shared test helpers: temp dirs, external tools (age, ssh-keygen) and stanza builders. */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { TreeMap } from "../../../../src/core/tree.js";
import type { KeyStanza } from "../../../../src/provider.js";

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "coffer-age-"));
}

export function ageStanza(fields: Record<string, string>): KeyStanza {
  return { type: "age", fields: TreeMap.from(fields) };
}

/**
 * Whether an external tool exists. When it is missing the caller's tests are skipped loudly, except
 * under CI=true, where a failing test is registered instead: CI must exercise interop.
 */
export function requireTool(path: string, purpose: string): boolean {
  if (existsSync(path)) return true;
  if (process.env["CI"] === "true") {
    describe(`${path} (${purpose})`, () => {
      it("is installed on CI", () => {
        expect.fail(`${path} is missing on CI; install it (apt-get install -y age openssh-client)`);
      });
    });
  } else {
    console.warn(`SKIPPING ${purpose}: ${path} is not installed`);
  }
  return false;
}

export function run(command: string, args: string[], input?: Uint8Array | string): Buffer {
  return execFileSync(command, args, { input, stdio: ["pipe", "pipe", "pipe"] });
}

/** Generates an unencrypted SSH key pair with ssh-keygen; returns the private and public key paths. */
export function sshKeygen(dir: string, type: "ed25519" | "rsa", format?: "PEM"): { privatePath: string; publicLine: string } {
  const privatePath = join(dir, `id_${type}${format === undefined ? "" : "_pem"}`);
  const args = ["-q", "-t", type, "-N", "", "-C", "test@coffer", "-f", privatePath];
  if (type === "rsa") args.push("-b", "2048");
  if (format !== undefined) args.push("-m", format);
  run("/usr/bin/ssh-keygen", args);
  return { privatePath, publicLine: readFileSync(`${privatePath}.pub`, "utf8").trim() };
}

export const FIXTURES = new URL("../../../../../shared/fixtures/sops/", import.meta.url);
