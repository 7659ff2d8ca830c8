/**
 * The GCP KMS KeyProvider (stanza type `gcp_kms`, §6.4): wraps the raw data key (or Shamir
 * share) with Encrypt(name=resource_id) and stores `enc = base64-std(ciphertext)`; unwraps with
 * Decrypt. Retries throttling and unavailability with backoff, and maps every failure to a
 * CofferError through errors.ts.
 */
import { CofferError } from "../../src/errors.js";
import { TreeMap } from "../../src/core/tree.js";
import type { KeyProvider, KeyStanza } from "../../src/provider.js";
import type { GcpKmsWire } from "./client.js";
import { gcpKmsError, type GcpKmsOperation } from "./errors.js";
import { parseGcpKmsResourceId } from "./resource-id.js";
import { withRetry, type RetryPolicy } from "./retry.js";
import { canonicalCode, isRetryableCode } from "./status.js";

export const GCP_KMS_TYPE = "gcp_kms";

export interface GcpKmsProviderCoreOptions {
  /** The wire client (see createGcpKmsWireClient). */
  client: GcpKmsWire;
  /** Clock for `created_at` (default: now). */
  now?: (() => Date) | undefined;
  retry?: RetryPolicy | undefined;
}

/** RFC 3339 UTC with whole seconds, as sops writes `created_at`. */
export function formatCreatedAt(date: Date): string {
  return date.toISOString().replace(/\.[0-9]{3}Z$/, "Z");
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function decodeEnc(value: unknown, resourceId: string): Uint8Array {
  const text = typeof value === "string" ? value.trim() : "";
  if (text === "" || !BASE64.test(text)) {
    throw new CofferError("CIPHERTEXT_INVALID", `gcp kms enc for ${resourceId} is not standard base64`, {
      hint: "the enc value was edited or truncated; restore the file from version control",
    });
  }
  return Buffer.from(text, "base64");
}

export function createGcpKmsProviderWithClient(options: GcpKmsProviderCoreOptions): KeyProvider {
  const { client } = options;
  const now = options.now ?? (() => new Date());
  const call = <T>(operation: GcpKmsOperation, resourceId: string, run: () => Promise<T>): Promise<T> =>
    withRetry(run, (error) => isRetryableCode(canonicalCode(error)), options.retry).catch((error: unknown) => {
      throw gcpKmsError(error, operation, resourceId);
    });

  return {
    type: GCP_KMS_TYPE,

    async wrap(dataKey: Uint8Array, key: KeyStanza): Promise<KeyStanza> {
      if (key.type !== GCP_KMS_TYPE) {
        throw new CofferError("INTERNAL", `gcp kms provider asked to wrap a ${key.type} key`);
      }
      const resourceId = parseGcpKmsResourceId(key.fields.get("resource_id"));
      const ciphertext = await call("encrypt", resourceId, () => client.encrypt({ name: resourceId, plaintext: dataKey }));
      const fields = new TreeMap(key.fields.items.map((item) => ({ ...item })));
      fields.set("created_at", formatCreatedAt(now()));
      fields.set("enc", Buffer.from(ciphertext).toString("base64"));
      return { type: GCP_KMS_TYPE, fields };
    },

    async unwrap(stanza: KeyStanza): Promise<Uint8Array | null> {
      if (stanza.type !== GCP_KMS_TYPE) return null;
      const raw = stanza.fields.get("resource_id");
      let resourceId: string;
      try {
        resourceId = parseGcpKmsResourceId(raw);
      } catch (error) {
        throw new CofferError("METADATA_INVALID", "a gcp_kms entry has no valid resource_id", {
          hint: "restore the sops metadata from version control",
          cause: error,
        });
      }
      const ciphertext = decodeEnc(stanza.fields.get("enc"), resourceId);
      return call("decrypt", resourceId, () => client.decrypt({ name: resourceId, ciphertext }));
    },
  };
}
