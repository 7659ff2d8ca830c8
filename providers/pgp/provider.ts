/**
 * The `pgp` KeyProvider (spec §6.2): wraps a data key with the user's own `gpg` binary, keyring and
 * agent, the way sops' gpg path does, so agent, pinentry and smartcard setups keep working.
 */
import { TreeMap } from "../../src/core/tree.js";
import { CofferError } from "../../src/errors.js";
import type { KeyProvider, KeyStanza } from "../../src/provider.js";
import { isWellFormedArmor } from "./armor.js";
import { decryptFailure, encryptFailure, type GpgFailureContext } from "./failures.js";
import { longKeyId, normalizeFingerprint } from "./fingerprint.js";
import { runGpg, type GpgRunResult } from "./gpg-runner.js";

/** Options of {@link createPgpProvider}; all optional. */
export interface PgpProviderOptions {
  /** The gpg binary (sops: `SOPS_GPG_EXEC`); default `gpg` from PATH. */
  gpgExecutable?: string | undefined;
  /** The child's whole environment; default: this process's. GNUPGHOME, GPG_TTY, PATH come from here. */
  env?: Record<string, string | undefined> | undefined;
  /** Overrides `GNUPGHOME` in `env`. */
  gnupgHome?: string | undefined;
  /** How long one gpg call may take before it is killed; default 60 s (an agent may be prompting). */
  timeoutMs?: number | undefined;
  /**
   * A passphrase for the secret key, for unattended use. Only then does gpg run with
   * `--pinentry-mode loopback` (the passphrase goes on a pipe, never argv); otherwise gpg-agent asks.
   */
  passphrase?: string | undefined;
  /** The clock for `created_at`; default the system clock. */
  now?: (() => Date) | undefined;
}

/** The default per-call timeout: long enough for a human to answer a pinentry. */
export const DEFAULT_GPG_TIMEOUT_MS = 60_000;

const STANZA_TYPE = "pgp";

/** RFC 3339 UTC to the second, as sops writes `created_at`. */
function rfc3339Seconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** Creates the PGP provider. No gpg process is started until the first wrap or unwrap. */
export function createPgpProvider(options: PgpProviderOptions = {}): KeyProvider {
  const executable = options.gpgExecutable ?? "gpg";
  const timeoutMs = options.timeoutMs ?? DEFAULT_GPG_TIMEOUT_MS;
  const baseEnv = options.env ?? { ...process.env };
  const env = options.gnupgHome === undefined ? baseEnv : { ...baseEnv, GNUPGHOME: options.gnupgHome };
  const now = options.now ?? (() => new Date());

  const gpg = (args: string[], input: Uint8Array | string): Promise<GpgRunResult> =>
    runGpg({ executable, args, input, env, timeoutMs, passphrase: options.passphrase });

  const failureContext = (operation: GpgFailureContext["operation"], fingerprint: string): GpgFailureContext => ({
    operation,
    fingerprint,
    executable,
    timeoutMs,
  });

  return {
    type: STANZA_TYPE,

    async wrap(dataKey: Uint8Array, key: KeyStanza): Promise<KeyStanza> {
      const configured = key.fields.get("fp");
      const fingerprint = normalizeFingerprint(configured);
      // The same arguments as sops' gpg fallback; --trusted-key spares a trustdb decision.
      const args = ["--batch", "--no-default-recipient", "--yes", "--encrypt", "-a", "-r", fingerprint, "--trusted-key", longKeyId(fingerprint), "--no-encrypt-to"];
      const result = await gpg(args, dataKey);
      const armored = result.stdout.toString("utf8").trim();
      if (result.exitCode !== 0 || result.timedOut || !armored.startsWith("-----BEGIN PGP MESSAGE-----")) {
        throw encryptFailure(result, failureContext("encrypt", String(configured)));
      }
      const fields = new TreeMap([
        { key: "fp", value: configured as string },
        { key: "created_at", value: rfc3339Seconds(now()) },
        { key: "enc", value: armored },
      ]);
      for (const entry of key.fields.entries()) {
        if (!fields.has(entry.key)) fields.set(entry.key, entry.value);
      }
      return { type: STANZA_TYPE, fields };
    },

    async unwrap(stanza: KeyStanza): Promise<Uint8Array | null> {
      if (stanza.type !== STANZA_TYPE) return null;
      const fp = stanza.fields.get("fp");
      const name = typeof fp === "string" ? fp : "(no fingerprint)";
      const enc = stanza.fields.get("enc");
      if (typeof enc !== "string" || !isWellFormedArmor(enc)) {
        throw new CofferError("CIPHERTEXT_INVALID", `pgp key ${name}: enc is not an intact armored pgp message`, {
          hint: "the `enc` of this key was edited or truncated; decrypt with another key and re-wrap (coffer updatekeys)",
        });
      }
      const result = await gpg(["--batch", "-d"], `${enc}\n`);
      if (result.exitCode !== 0 || result.timedOut) throw decryptFailure(result, failureContext("decrypt", name));
      return new Uint8Array(result.stdout);
    },
  };
}
