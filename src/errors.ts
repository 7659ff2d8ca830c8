/**
 * Every failure Coffer reports is a {@link CofferError} with a stable `code`. Messages are one
 * lowercase line and never contain secret material; `hint` says what to do next.
 * The CLI maps codes to exit statuses in one place (`src/cli/exit.ts`).
 */
export type ErrorCode =
  | "USAGE" // conflicting or missing parameters
  | "INPUT_UNREADABLE" // cannot read the input file
  | "OUTPUT_UNWRITABLE" // cannot write the output file
  | "FORMAT_INVALID" // malformed YAML/JSON/dotenv/INI, duplicate keys, hostile input
  | "INPUT_TOO_LARGE" // input over the size limit
  | "EMIT_FAILED" // the tree cannot be written in the output format
  | "CONFIG_INVALID" // .sops.yaml is malformed
  | "ENCRYPTION_CONTEXT_INVALID" // --encryption-context is not k1:v1,k2:v2
  | "CONFIG_NOT_FOUND" // --config names a file that does not exist
  | "NO_MATCHING_RULE" // .sops.yaml has no creation rule for this file
  | "CRYPT_RULE_CONFLICT" // more than one crypt selector
  | "ALREADY_ENCRYPTED" // refusing to encrypt a file that has sops metadata
  | "NOT_ENCRYPTED" // the file has no sops metadata
  | "NO_DOCUMENTS" // nothing to encrypt
  | "METADATA_INVALID" // the sops block is malformed
  | "CIPHERTEXT_INVALID" // an ENC[...] value is truncated, edited or has an unknown type
  | "VALUE_DECRYPT_FAILED" // AES-GCM authentication failed for a value
  | "MAC_MISMATCH" // the file's MAC does not match its contents
  | "MAC_MISSING" // the file has no MAC
  | "MAC_DECRYPT_FAILED" // the MAC itself could not be decrypted
  | "NO_RECIPIENTS" // nothing to encrypt the data key for
  | "NO_MATCHING_KEY" // no available identity unwraps the data key
  | "KEY_INVALID" // a recipient or identity string is malformed
  | "PROVIDER_UNAVAILABLE" // a key service is unreachable or timed out
  | "PROVIDER_DENIED" // a key service refused the call
  | "PROVIDER_FAILED" // a key service failed otherwise
  | "PATH_INVALID" // an --extract path is malformed or does not exist
  | "FILE_EXISTS" // refusing to overwrite
  | "FILES_FAILED" // a run over many files: several failed, with different errors
  | "KUBECONFIG_INVALID" // no usable kubeconfig, unknown context, no in-cluster credentials
  | "CLUSTER_UNREACHABLE" // the API server or etcd cannot be reached or timed out
  | "CLUSTER_DENIED" // the API server refused the request (401/403)
  | "CLUSTER_CONFLICT" // server-side apply conflict with another field manager (409)
  | "CLUSTER_REQUEST_FAILED" // the API server rejected the request otherwise (422, 5xx after retries)
  | "OBJECTS_FAILED" // a run over many objects: several failed, with different errors
  | "GENERATOR_INVALID" // kustomize: a malformed CofferGenerator or ResourceList, or a file outside the kustomization
  | "SCAN_INCOMPLETE" // scan: some inputs or resources could not be read or parsed (the rest were scanned)
  | "BASELINE_INVALID" // scan: the --baseline file is not a coffer scan baseline
  | "MANIFEST_INVALID" // a manifest lacks apiVersion/kind/name, repeats an object, or contradicts -n
  | "KIND_UNKNOWN" // the cluster serves no resource for a manifest's apiVersion and kind
  | "INTERNAL";

export type ErrorFault = "user" | "provider" | "internal";

export interface CofferErrorOptions {
  hint?: string | undefined;
  cause?: unknown;
  fault?: ErrorFault;
}

export class CofferError extends Error {
  override readonly name = "CofferError";
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  readonly fault: ErrorFault;

  constructor(code: ErrorCode, message: string, options: CofferErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.hint = options.hint;
    this.fault = options.fault ?? (code === "INTERNAL" ? "internal" : "user");
  }
}

export function isCofferError(error: unknown, code?: ErrorCode): error is CofferError {
  return error instanceof CofferError && (code === undefined || error.code === code);
}

/** An error's code and message for a report; anything but a CofferError is INTERNAL, its text withheld. */
export function errorData(error: unknown): { code: ErrorCode; message: string } {
  return isCofferError(error) ? { code: error.code, message: error.message } : { code: "INTERNAL", message: "internal error" };
}
