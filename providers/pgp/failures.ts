/**
 * The domain adapter of the PGP provider: turns a finished gpg run into a CofferError with a
 * stable code. Decisions use gpg's status lines (locale-independent); the message quotes only
 * gpg's last `gpg: ...` reason line, shortened, never its whole stderr.
 */
import { CofferError } from "../../src/errors.js";
import type { GpgRunResult } from "./gpg-runner.js";

/** What the caller was doing, for the message. */
export interface GpgFailureContext {
  operation: "encrypt" | "decrypt";
  /** The fingerprint as configured (it names the key in the message). */
  fingerprint: string;
  executable: string;
  timeoutMs: number;
}

const INSTALL_HINT = "install GnuPG (e.g. `apt-get install gnupg`) or set SOPS_GPG_EXEC to the gpg binary";
const MAX_REASON = 160;

/** gpg's own explanation: the last `gpg: ...` line, without the prefix, shortened. */
export function gpgReason(result: GpgRunResult): string {
  const line = [...result.stderrLines].reverse().find((text) => text.startsWith("gpg: ")) ?? result.stderrLines.at(-1) ?? "";
  const reason = line.replace(/^gpg:\s*/, "").trim();
  if (reason === "") return result.exitCode === null ? "no exit status" : `exit status ${result.exitCode}`;
  return reason.length > MAX_REASON ? `${reason.slice(0, MAX_REASON - 1)}…` : reason;
}

function has(result: GpgRunResult, keyword: string): boolean {
  return result.status.some((line) => line === keyword || line.startsWith(`${keyword} `));
}

/** The error for a run that could not start or did not finish; undefined when gpg ran to its end. */
function launchFailure(result: GpgRunResult, context: GpgFailureContext): CofferError | undefined {
  const what = `gpg ${context.operation} for pgp key ${context.fingerprint}`;
  if (result.spawnError !== undefined) {
    const missing = result.spawnError.code === "ENOENT" || result.spawnError.code === "EACCES";
    return new CofferError("PROVIDER_UNAVAILABLE", `${what}: cannot run ${JSON.stringify(context.executable)} (${result.spawnError.code ?? "spawn failed"})`, {
      hint: missing ? INSTALL_HINT : "check that SOPS_GPG_EXEC names an executable gpg",
      cause: result.spawnError,
      fault: "provider",
    });
  }
  if (result.timedOut) {
    return new CofferError("PROVIDER_UNAVAILABLE", `${what}: gpg did not finish within ${Math.round(context.timeoutMs / 1000)} s`, {
      hint: "gpg-agent may be waiting for a pinentry or a smartcard: set GPG_TTY=$(tty), check `gpg-connect-agent /bye`, or insert the card",
      fault: "provider",
    });
  }
  return undefined;
}

/** Maps a failed `gpg -d` run to NO_MATCHING_KEY, PROVIDER_DENIED, CIPHERTEXT_INVALID or PROVIDER_UNAVAILABLE/FAILED. */
export function decryptFailure(result: GpgRunResult, context: GpgFailureContext): CofferError {
  const launch = launchFailure(result, context);
  if (launch !== undefined) return launch;
  const key = `pgp key ${context.fingerprint}`;
  const reason = gpgReason(result);
  // A secret key we hold but could not use (bad or missing passphrase, cancelled pinentry, card error).
  if (has(result, "NEED_PASSPHRASE") || result.status.some((line) => line.startsWith("ERROR pkdecrypt_failed"))) {
    return new CofferError("PROVIDER_DENIED", `${key}: the secret key could not be used: ${reason}`, {
      hint: "unlock it in gpg-agent (set GPG_TTY=$(tty) for a terminal pinentry) or insert its smartcard, then retry",
      fault: "provider",
    });
  }
  if (has(result, "NO_SECKEY") || /no secret key/i.test(reason)) {
    return new CofferError("NO_MATCHING_KEY", `${key}: no secret key in the gpg keyring`, {
      hint: "import the secret key (gpg --import) or point GNUPGHOME at the keyring that has it",
    });
  }
  const damaged = ["NODATA", "BADARMOR", "DECRYPTION_FAILED", "BADMDC"].some((keyword) => has(result, keyword));
  // A damaged armor gets no status keyword at all, only an (English, unless translated) line.
  if (damaged || result.stderrLines.some((line) => /CRC error|invalid armor|no valid OpenPGP data/i.test(line))) {
    return new CofferError("CIPHERTEXT_INVALID", `${key}: the pgp message is not valid: ${reason}`, {
      hint: "the `enc` of this key was edited or truncated; decrypt with another key and re-wrap (coffer updatekeys)",
    });
  }
  return new CofferError("PROVIDER_FAILED", `${key}: gpg failed: ${reason}`, {
    hint: "run `gpg -d` on this key's enc to see the full gpg output",
    fault: "provider",
  });
}

/** Maps a failed `gpg --encrypt` run; a key missing from the keyring is PROVIDER_DENIED (not found). */
export function encryptFailure(result: GpgRunResult, context: GpgFailureContext): CofferError {
  const launch = launchFailure(result, context);
  if (launch !== undefined) return launch;
  const key = `pgp key ${context.fingerprint}`;
  const reason = gpgReason(result);
  if (has(result, "INV_RECP") || /no public key/i.test(reason)) {
    return new CofferError("PROVIDER_DENIED", `${key}: cannot encrypt to it: ${reason}`, {
      hint: `import the public key first (gpg --import, or gpg --recv-keys ${context.fingerprint})`,
      fault: "provider",
    });
  }
  return new CofferError("PROVIDER_FAILED", `${key}: gpg encrypt failed: ${reason}`, {
    hint: "run the same `gpg --encrypt -r` by hand to see the full gpg output",
    fault: "provider",
  });
}
