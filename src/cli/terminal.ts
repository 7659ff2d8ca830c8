/**
 * Everything the CLI writes for humans goes to stderr; stdout carries data only, so
 * `coffer decrypt f | kubectl apply -f -` is safe. Colour only on a TTY and never with NO_COLOR.
 */
import { CofferError } from "../errors.js";
import { DataKeyUnavailableError, type UnwrapAttempt } from "../core/data-key.js";
import { exitStatusFor } from "./exit.js";

export interface Terminal {
  stdout: NodeJS.WriteStream | NodeJS.WritableStream;
  stderr: NodeJS.WriteStream | NodeJS.WritableStream;
  color: boolean;
}

export function createTerminal(env: Record<string, string | undefined>): Terminal {
  const isTty = Boolean((process.stderr as NodeJS.WriteStream).isTTY);
  const color = isTty && (env.NO_COLOR === undefined || env.NO_COLOR === "") && env.TERM !== "dumb";
  return { stdout: process.stdout, stderr: process.stderr, color };
}

function paint(terminal: Terminal, code: string, text: string): string {
  return terminal.color ? `\u001b[${code}m${text}\u001b[0m` : text;
}

export function warn(terminal: Terminal, message: string): void {
  terminal.stderr.write(`coffer: ${paint(terminal, "33", "warning:")} ${message}\n`);
}

export function info(terminal: Terminal, message: string): void {
  terminal.stderr.write(`coffer: ${message}\n`);
}

/**
 * A progress line on stderr, rewritten in place, only when a person is watching (a TTY): call it
 * with the text to show, or with nothing to clear the line. Elsewhere it writes nothing.
 */
export function statusLine(terminal: Terminal): (text?: string) => void {
  const stderr = terminal.stderr as NodeJS.WriteStream;
  if (stderr.isTTY !== true) return () => undefined;
  return (text) => stderr.write(text === undefined ? "\r\u001b[K" : `\r\u001b[Kcoffer: ${text}`);
}

/** Prints one error line (and a hint line) and returns the exit status to use. */
export function reportError(terminal: Terminal, error: unknown): number {
  if (error instanceof DataKeyUnavailableError && error.attempts.length > 0) {
    // One readable block: every key tried, and why it did not open the file.
    const count = error.attempts.length;
    terminal.stderr.write(`coffer: ${paint(terminal, "31", "error:")} could not decrypt the data key with ${count === 1 ? "the only key" : `any of the ${count} keys`} in the file [${error.code}]\n`);
    for (const attempt of error.attempts) terminal.stderr.write(`coffer:   ${attempt.key}: ${attempt.reason}${attempt.code ? ` (${attempt.code})` : ""}\n`);
    terminal.stderr.write(`coffer: ${paint(terminal, "36", "hint:")} ${hintForAttempts(error.attempts) ?? error.hint ?? ""}\n`);
    return exitStatusFor(error.code);
  }
  if (error instanceof CofferError) {
    terminal.stderr.write(`coffer: ${paint(terminal, "31", "error:")} ${error.message} [${error.code}]\n`);
    if (error.hint !== undefined) terminal.stderr.write(`coffer: ${paint(terminal, "36", "hint:")} ${error.hint}\n`);
    return exitStatusFor(error.code);
  }
  // An unexpected failure: say so plainly, without a stack trace (which might echo input).
  const kind = error instanceof Error ? error.name : typeof error;
  terminal.stderr.write(`coffer: ${paint(terminal, "31", "error:")} internal error (${kind}) [INTERNAL]\n`);
  terminal.stderr.write(`coffer: ${paint(terminal, "36", "hint:")} this is a bug in coffer; run with COFFER_DEBUG=1 to see details and report it\n`);
  if (process.env.COFFER_DEBUG === "1" && error instanceof Error) terminal.stderr.write(`${error.stack ?? ""}\n`);
  return exitStatusFor("INTERNAL");
}

const CREDENTIAL_HINTS: Record<string, string> = {
  age: "an age identity (SOPS_AGE_KEY_FILE, SOPS_AGE_KEY, or ~/.config/sops/age/keys.txt)",
  pgp: "the PGP secret key in your gpg keyring (GNUPGHOME)",
  kms: "AWS credentials (AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY)",
  gcp_kms: "Google credentials (GOOGLE_APPLICATION_CREDENTIALS or GOOGLE_OAUTH_ACCESS_TOKEN)",
  hc_vault: "a Vault token (VAULT_TOKEN or ~/.vault-token)",
};

/** Names the credentials that would open one of the keys tried, in the order they were tried. */
function hintForAttempts(attempts: readonly UnwrapAttempt[]): string | undefined {
  const needs = [...new Set(attempts.map((a) => a.type))].flatMap((type) => CREDENTIAL_HINTS[type] ?? []);
  return needs.length === 0 ? undefined : `provide ${needs.join(", or ")}`;
}
