/**
 * Maps what the AWS SDK throws to Coffer's codes. Kept apart from the wire client so the mapping
 * is one table that tests exercise fault by fault (sigstore-js style). Messages name the key ARN
 * and the reason, never the ciphertext or key bytes.
 */
import { CofferError, isCofferError } from "../../src/errors.js";

export type KmsOperation = "encrypt" | "decrypt";

export interface KmsFailureContext {
  arn: string;
  operation: KmsOperation;
  role?: string | undefined;
}

const CREDENTIALS_HINT =
  "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN), or AWS_PROFILE / the entry's aws_profile, for an identity allowed to use this key";

/** Errors whose `name` means "who you are was not accepted". */
const AUTH_ERRORS = new Set([
  "UnrecognizedClientException",
  "InvalidSignatureException",
  "IncompleteSignature",
  "IncompleteSignatureException",
  "ExpiredTokenException",
  "ExpiredToken",
  "InvalidClientTokenId",
  "SignatureDoesNotMatch",
  "CredentialsProviderError",
]);

/** Errors whose `name` means the key exists for the service but may not be used now. */
const KEY_STATE_ERRORS: Record<string, string> = {
  NotFoundException: "the key does not exist (or is not visible to these credentials)",
  DisabledException: "the key is disabled",
  KMSInvalidStateException: "the key is not in a usable state (pending deletion or import)",
  InvalidKeyUsageException: "the key cannot be used to encrypt and decrypt",
};

const RETRYABLE_NAMES = new Set([
  "ThrottlingException",
  "Throttling",
  "TooManyRequestsException",
  "RequestLimitExceeded",
  "KMSInternalException",
  "DependencyTimeoutException",
  "KeyUnavailableException",
  "InternalFailure",
  "ServiceUnavailable",
]);

const RESET_CODES = new Set(["ECONNRESET", "EPIPE", "ECONNABORTED"]);
const UNREACHABLE_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "ETIMEDOUT"]);
const TIMEOUT_NAMES = new Set(["TimeoutError", "AbortError", "RequestTimeout", "RequestTimeoutException"]);

interface SdkErrorShape {
  name?: unknown;
  code?: unknown;
  $metadata?: { httpStatusCode?: unknown };
}

function shape(error: unknown): SdkErrorShape {
  return typeof error === "object" && error !== null ? (error as SdkErrorShape) : {};
}

function statusOf(error: unknown): number | undefined {
  const status = shape(error).$metadata?.httpStatusCode;
  return typeof status === "number" ? status : undefined;
}

function nameOf(error: unknown): string {
  const name = shape(error).name;
  return typeof name === "string" ? name : "";
}

function codeOf(error: unknown): string {
  const code = shape(error).code;
  return typeof code === "string" ? code : "";
}

/** Throttling, 5xx and a reset connection: the failures AWS asks clients to retry. */
export function isRetryableKmsError(error: unknown): boolean {
  if (isCofferError(error)) return false;
  const status = statusOf(error);
  return RETRYABLE_NAMES.has(nameOf(error)) || status === 429 || (status !== undefined && status >= 500) || RESET_CODES.has(codeOf(error));
}

function isUnreachable(error: unknown): boolean {
  return TIMEOUT_NAMES.has(nameOf(error)) || UNREACHABLE_CODES.has(codeOf(error)) || RESET_CODES.has(codeOf(error));
}

/** Turns an SDK failure into a CofferError naming the key; CofferErrors pass through. */
export function kmsFailure(error: unknown, context: KmsFailureContext): CofferError {
  if (isCofferError(error)) return error;
  const name = nameOf(error);
  const key = `aws kms key ${context.arn}`;
  const options = { cause: error, fault: "provider" as const };
  if (name === "InvalidCiphertextException" || name === "IncorrectKeyException") {
    return new CofferError("CIPHERTEXT_INVALID", `${key} rejected the wrapped data key as invalid ciphertext`, {
      ...options,
      hint: "the entry's enc, arn or encryption context was changed, or it was wrapped by another key",
    });
  }
  if (name === "AccessDeniedException" || name === "AccessDenied" || AUTH_ERRORS.has(name)) {
    const why = name === "CredentialsProviderError" ? "no aws credentials were found" : `access denied (${name})`;
    const roleNote = context.role !== undefined && name === "AccessDenied" ? ` while assuming role ${context.role}` : "";
    return new CofferError("PROVIDER_DENIED", `cannot ${context.operation} with ${key}: ${why}${roleNote}`, {
      ...options,
      hint: CREDENTIALS_HINT,
    });
  }
  const stateReason = KEY_STATE_ERRORS[name];
  if (stateReason !== undefined) {
    return new CofferError("PROVIDER_DENIED", `cannot ${context.operation} with ${key}: ${stateReason}`, {
      ...options,
      hint: "check the key arn and region, and that the key is enabled, in the AWS KMS console",
    });
  }
  if (isRetryableKmsError(error)) {
    const why = name.includes("Throttl") || statusOf(error) === 429 ? "throttled" : "service error";
    return new CofferError("PROVIDER_UNAVAILABLE", `aws kms did not answer for ${key} after retries (${why})`, {
      ...options,
      hint: "try again later; lower --concurrency if many files are decrypted at once",
    });
  }
  if (isUnreachable(error)) {
    const why = TIMEOUT_NAMES.has(name) ? "timed out" : `unreachable (${codeOf(error) || name})`;
    return new CofferError("PROVIDER_UNAVAILABLE", `aws kms ${why} for ${key}`, {
      ...options,
      hint: "check the network and AWS_ENDPOINT_URL_KMS; the key's region comes from its arn",
    });
  }
  return new CofferError("PROVIDER_FAILED", `cannot ${context.operation} with ${key}: ${name || "unexpected error"}`, options);
}
