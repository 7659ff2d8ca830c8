/**
 * The domain side of a failed transit call: which wire failures are worth retrying, and which
 * CofferError code, one-line message and hint each one becomes. Messages name the key URL and
 * the reason, never the ciphertext or key bytes.
 */
import { CofferError } from "../../src/errors.js";
import type { TransitOperation, VaultWireFailure } from "./wire-client.js";

/** What the adapter knows about the call that failed, for the message and hint. */
export interface FailedCall {
  operation: TransitOperation;
  keyUrl: string;
  hasToken: boolean;
  /** Strings that must never appear in a message (the stanza's `enc`, the plaintext). */
  secrets: readonly string[];
}

const LOGIN_HINT = "set VAULT_TOKEN or run `vault login` (which writes ~/.vault-token)";

/**
 * Vault asks clients to retry on 429 (rate limit quota) and 5xx, and a reset connection is a
 * transient network failure. A sealed or uninitialised Vault needs an operator, not a retry; a
 * 500 for a failed GCM tag (older Vault versions) is a bad ciphertext, not an outage.
 */
export function isRetryableVaultFailure(failure: VaultWireFailure): boolean {
  if (failure.kind === "network") return failure.code === "ECONNRESET" || failure.code === "EPIPE";
  if (failure.kind !== "http") return false;
  if (failure.status === 429) return true;
  if (failure.status < 500) return false;
  return !isSealed(failure) && failure.status !== 501 && !isAuthenticationFailure(failure);
}

/** Maps a (final) wire failure to the CofferError the provider throws. */
export function vaultFailureToError(failure: VaultWireFailure, call: FailedCall, cause: unknown): CofferError {
  const subject = `vault transit key ${call.keyUrl}`;
  const said = serverReason(failure, call.secrets);
  const error = (code: ConstructorParameters<typeof CofferError>[0], why: string, hint: string): CofferError =>
    new CofferError(code, `${subject}: ${why}${said}`, { hint, cause, fault: "provider" });

  switch (failure.kind) {
    case "timeout":
      return error("PROVIDER_UNAVAILABLE", `no response within ${failure.timeoutMs} ms`, "check that the vault address is reachable from here; a slow server may need a longer timeout");
    case "network":
      return error("PROVIDER_UNAVAILABLE", `cannot reach the server (${failure.code})`, "check vault_address, the network path and that Vault is running");
    case "malformed":
      return error("PROVIDER_FAILED", `unusable response (${failure.why})`, "check that vault_address points at Vault and engine_path at a transit mount");
    case "http":
      return httpFailure(failure, call, error);
  }
}

type MakeError = (code: ConstructorParameters<typeof CofferError>[0], why: string, hint: string) => CofferError;

function httpFailure(failure: Extract<VaultWireFailure, { kind: "http" }>, call: FailedCall, error: MakeError): CofferError {
  const { status } = failure;
  if (status === 401 || status === 403) {
    return call.hasToken
      ? error("PROVIDER_DENIED", `permission denied (${status})`, `the token may be expired or its policy may not allow ${call.operation} on this key; run \`vault login\` or ask for the policy`)
      : error("PROVIDER_DENIED", `permission denied, no vault token (${status})`, LOGIN_HINT);
  }
  if (status === 404 || (status === 400 && mentions(failure, "key not found"))) {
    return error("PROVIDER_DENIED", `key not found (${status})`, "check engine_path and key_name, and that the transit key exists (`vault write -f <engine_path>/keys/<key_name>`)");
  }
  if (status === 400 || isAuthenticationFailure(failure)) {
    return call.operation === "decrypt"
      ? error("CIPHERTEXT_INVALID", `vault rejected the ciphertext (${status})`, "the enc value was edited, truncated or made by another key; restore the file from version control")
      : error("PROVIDER_FAILED", `vault rejected the request (${status})`, "check that engine_path is a transit mount and key_name an encryption key");
  }
  if (isSealed(failure)) {
    return error("PROVIDER_UNAVAILABLE", `vault is sealed (${status})`, "ask a Vault operator to unseal it (`vault operator unseal`), then retry");
  }
  if (status === 429 || status >= 500) {
    return error("PROVIDER_UNAVAILABLE", `vault is throttling or failing (${status}) after retries`, "retry later; if it persists, check the Vault server's health and rate-limit quotas");
  }
  return error("PROVIDER_FAILED", `unexpected response (${status})`, "check vault_address and engine_path");
}

function isSealed(failure: Extract<VaultWireFailure, { kind: "http" }>): boolean {
  return failure.status === 503 && mentions(failure, "sealed");
}

function isAuthenticationFailure(failure: Extract<VaultWireFailure, { kind: "http" }>): boolean {
  return failure.status === 500 && mentions(failure, "message authentication failed");
}

function mentions(failure: Extract<VaultWireFailure, { kind: "http" }>, text: string): boolean {
  return failure.errors.some((message) => message.toLowerCase().includes(text));
}

/** The server's own first error, as `: "…"`, kept short, single-line and free of known secrets. */
function serverReason(failure: VaultWireFailure, secrets: readonly string[]): string {
  if (failure.kind !== "http") return "";
  const first = failure.errors[0];
  if (first === undefined) return "";
  let text = first.replace(/\s+/g, " ").trim();
  for (const secret of secrets) if (secret !== "") text = text.split(secret).join("<redacted>");
  if (text === "") return "";
  return `: ${JSON.stringify(text.length > 160 ? `${text.slice(0, 160)}…` : text)}`;
}
