/**
 * GCP KMS key names as sops stores them in `resource_id` (§6.4):
 * `projects/<p>/locations/<l>/keyRings/<r>/cryptoKeys/<k>`.
 */
import { CofferError } from "../../src/errors.js";

const RESOURCE_ID = /^projects\/[^/\s]+\/locations\/[^/\s]+\/keyRings\/[^/\s]+\/cryptoKeys\/[^/\s]+$/;

/** True when `value` is a crypto key resource name (no key version suffix). */
export function isGcpKmsResourceId(value: string): boolean {
  return RESOURCE_ID.test(value);
}

/** Returns the trimmed resource id, or throws `KEY_INVALID` naming the expected shape. */
export function parseGcpKmsResourceId(value: unknown): string {
  const text = typeof value === "string" ? value.trim() : "";
  if (!isGcpKmsResourceId(text)) {
    throw new CofferError("KEY_INVALID", `gcp kms resource id ${JSON.stringify(String(value ?? ""))} is malformed`, {
      hint: "use projects/<project>/locations/<location>/keyRings/<ring>/cryptoKeys/<key>",
    });
  }
  return text;
}
