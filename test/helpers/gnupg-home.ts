/**
 * A throwaway GNUPGHOME for tests: short path under os.tmpdir() (agent socket paths are limited to
 * about 100 bytes), its own gpg-agent killed on close so no process outlives the tests.
 */
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface TempGnupgHome {
  dir: string;
  /** process.env with GNUPGHOME pointing here (for the provider's `env`). */
  env: Record<string, string | undefined>;
  /** Runs gpg against this home; throws when it fails. */
  gpg: (args: string[], input?: string | Uint8Array) => SpawnSyncReturns<Buffer>;
  /** Generates an unprotected key (or protected with `passphrase`) and returns its fingerprint. */
  generateKey: (uid: string, passphrase?: string) => string;
  /** Kills this home's gpg-agent and removes the directory. */
  close: () => void;
}

export function createGnupgHome(options: { agentCacheOff?: boolean } = {}): TempGnupgHome {
  const dir = mkdtempSync(join(tmpdir(), "cg-"));
  chmodSync(dir, 0o700);
  // Without a cache the agent asks for a passphrase every time, so passphrase tests are order-free.
  if (options.agentCacheOff === true) writeFileSync(join(dir, "gpg-agent.conf"), "default-cache-ttl 0\nmax-cache-ttl 0\nallow-loopback-pinentry\n");
  const env = { ...process.env, GNUPGHOME: dir };
  const gpg = (args: string[], input?: string | Uint8Array): SpawnSyncReturns<Buffer> => {
    const result = spawnSync("gpg", ["--batch", ...args], { env, input: input ?? "", timeout: 60_000 });
    if (result.status !== 0) throw new Error(`gpg ${args.join(" ")} failed: ${result.stderr.toString("utf8")}`);
    return result;
  };
  return {
    dir,
    env,
    gpg,
    generateKey(uid, passphrase) {
      const protection = passphrase === undefined ? ["--passphrase", ""] : ["--pinentry-mode", "loopback", "--passphrase", passphrase];
      gpg([...protection, "--quick-gen-key", uid, "default", "default", "never"]);
      const listing = gpg(["--with-colons", "--list-secret-keys", uid]).stdout.toString("utf8");
      const fingerprint = /^fpr:+([0-9A-F]{40,64}):/m.exec(listing)?.[1];
      if (fingerprint === undefined) throw new Error(`no fingerprint for ${uid}`);
      return fingerprint;
    },
    close() {
      spawnSync("gpgconf", ["--kill", "gpg-agent"], { env, timeout: 10_000 });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
