/**
 * The one place that maps error codes to exit statuses. Statuses reuse sops's where sops has
 * one (spec §11.1), so scripts written for sops keep working; the rest are Coffer's own and
 * stable. The README's table is checked against this map by a test.
 */
import type { ErrorCode } from "../errors.js";

export const EXIT_OK = 0;
/**
 * `scan` and `audit` exit 1 while findings remain (at or above `--fail-on`), as secret scanners
 * do; that is an answer, not an error, so no error code maps to 1.
 */
export const EXIT_FINDINGS = 1;
export const EXIT_INTERRUPTED = 85;
/**
 * `audit apiserver` on a managed control plane (EKS, GKE, AKS): neither the kube-apiserver
 * manifest nor etcd is reachable, so the check does not apply there; the output names the
 * provider's own setting. Not an error, and not a pass either.
 */
export const EXIT_NOT_APPLICABLE = 159;

export const exitStatusByCode: Readonly<Record<ErrorCode, number>> = {
  INTERNAL: 70,
  INPUT_UNREADABLE: 2,
  OUTPUT_UNWRITABLE: 3,
  EMIT_FAILED: 4,
  CONFIG_INVALID: 5,
  ENCRYPTION_CONTEXT_INVALID: 6,
  USAGE: 8,
  FILES_FAILED: 9,
  FORMAT_INVALID: 10,
  INPUT_TOO_LARGE: 11,
  METADATA_INVALID: 12,
  KEY_INVALID: 13,
  FILE_EXISTS: 14,
  CRYPT_RULE_CONFLICT: 15,
  NOT_ENCRYPTED: 20,
  MAC_DECRYPT_FAILED: 24,
  VALUE_DECRYPT_FAILED: 25,
  CIPHERTEXT_INVALID: 26,
  MAC_MISMATCH: 51,
  MAC_MISSING: 52,
  CONFIG_NOT_FOUND: 61,
  NO_MATCHING_RULE: 62,
  PATH_INVALID: 91,
  NO_DOCUMENTS: 92,
  NO_RECIPIENTS: 111,
  PROVIDER_UNAVAILABLE: 121,
  PROVIDER_DENIED: 122,
  PROVIDER_FAILED: 123,
  NO_MATCHING_KEY: 128,
  KUBECONFIG_INVALID: 140,
  CLUSTER_UNREACHABLE: 141,
  CLUSTER_DENIED: 142,
  CLUSTER_CONFLICT: 143,
  CLUSTER_REQUEST_FAILED: 144,
  OBJECTS_FAILED: 145,
  GENERATOR_INVALID: 180,
  SCAN_INCOMPLETE: 160,
  BASELINE_INVALID: 161,
  MANIFEST_INVALID: 170,
  KIND_UNKNOWN: 171,
  ALREADY_ENCRYPTED: 203,
};

export function exitStatusFor(code: ErrorCode): number {
  return exitStatusByCode[code];
}
