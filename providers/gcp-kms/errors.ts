/**
 * The domain adapter's error half: turns whatever the wire client threw (gRPC status, REST
 * gaxios error, socket error, our timeout, a credentials lookup failure) into one CofferError
 * with a stable code, a message naming the key and the reason, and a hint. Never includes the
 * ciphertext or key material.
 */
import { CofferError } from "../../src/errors.js";
import { canonicalCode, Code } from "./status.js";

export const CREDENTIALS_HINT =
  "set GOOGLE_OAUTH_ACCESS_TOKEN, GOOGLE_CREDENTIALS or GOOGLE_APPLICATION_CREDENTIALS, or run `gcloud auth application-default login`";

export type GcpKmsOperation = "encrypt" | "decrypt";

/** google-auth-library fails before any request when it finds no usable credentials. */
function isCredentialsLookupFailure(error: unknown): boolean {
  const message = error instanceof Error ? error.message : "";
  return /default credentials|could not load|credentials|invalid_grant|refresh.*token|access token/i.test(message);
}

export function gcpKmsError(error: unknown, operation: GcpKmsOperation, resourceId: string): CofferError {
  if (error instanceof CofferError) return error;
  const code = canonicalCode(error);
  const what = `gcp kms ${operation} with ${resourceId}`;
  const provider = (errorCode: ConstructorParameters<typeof CofferError>[0], reason: string, hint: string): CofferError =>
    new CofferError(errorCode, `${what} failed: ${reason}`, { hint, cause: error, fault: "provider" });
  switch (code) {
    case Code.UNAUTHENTICATED:
      return provider("PROVIDER_DENIED", "not authenticated", CREDENTIALS_HINT);
    case Code.PERMISSION_DENIED:
      return provider("PROVIDER_DENIED", "permission denied", `grant roles/cloudkms.cryptoKeyEncrypterDecrypter on ${resourceId} to the caller, or check the resource_id`);
    case Code.NOT_FOUND:
      return provider("PROVIDER_DENIED", "key not found", "check the project, location, key ring and key name in resource_id");
    case Code.INVALID_ARGUMENT:
      return operation === "decrypt"
        ? new CofferError("CIPHERTEXT_INVALID", `${what} failed: the service rejected the ciphertext`, {
            hint: "the enc value was edited, truncated or wrapped by another key; restore the file from version control",
            cause: error,
          })
        : provider("PROVIDER_FAILED", "the service rejected the request", "check that resource_id names a symmetric ENCRYPT_DECRYPT key");
    case Code.UNAVAILABLE:
      return provider("PROVIDER_UNAVAILABLE", "service unreachable", "check the network and SOPS_GCP_KMS_ENDPOINT, then retry");
    case Code.RESOURCE_EXHAUSTED:
      return provider("PROVIDER_UNAVAILABLE", "throttled (quota exceeded)", "retry later or raise the Cloud KMS request quota");
    case Code.DEADLINE_EXCEEDED:
      return provider("PROVIDER_UNAVAILABLE", "timed out", "check the network and retry");
    case Code.FAILED_PRECONDITION:
      return provider("PROVIDER_FAILED", "key is not usable (disabled or destroyed version)", "enable a primary key version in Cloud KMS");
    case undefined:
      if (isCredentialsLookupFailure(error)) return provider("PROVIDER_DENIED", "no usable credentials", CREDENTIALS_HINT);
      return provider("PROVIDER_FAILED", "unexpected error", "rerun with the cause shown (e.g. --verbose) and check the key service");
    default:
      return provider("PROVIDER_FAILED", `service error (code ${code})`, "retry later; if it persists, check the Cloud KMS status page");
  }
}
