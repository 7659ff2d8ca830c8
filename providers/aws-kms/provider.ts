/**
 * The `kms` KeyProvider (spec §6.3): Encrypt/Decrypt the raw data key (or Shamir share) with the
 * entry's ARN in the ARN's region, binding the entry's encryption context. The domain adapter:
 * it reads and writes stanzas, retries what AWS says to retry, and maps failures to codes; the
 * SDK lives behind the {@link KmsWire} seam.
 */
import { hostname as osHostname } from "node:os";
import { CofferError } from "../../src/errors.js";
import type { KeyProvider, KeyStanza } from "../../src/provider.js";
import { parseKmsKeyArn } from "./arn.js";
import type { AwsCredentials } from "./credentials.js";
import { isRetryableKmsError, kmsFailure, type KmsOperation } from "./errors.js";
import { createSdkKmsWire, type KmsCall, type KmsWire } from "./kms-client.js";
import { withRetries, type RetryPolicy } from "./retry.js";
import { buildWrappedKmsStanza, formatCreatedAt, KMS_STANZA_TYPE, readKmsStanza } from "./stanza.js";

export interface AwsKmsProviderOptions {
  /** Static credentials; a profile (the entry's `aws_profile`, else `profile`) takes precedence. */
  credentials?: AwsCredentials | undefined;
  /** Shared-config profile for entries whose `aws_profile` is empty (AWS_PROFILE). */
  profile?: string | undefined;
  /** KMS endpoint override (AWS_ENDPOINT_URL_KMS). */
  endpoint?: string | undefined;
  /** STS endpoint override for `role` entries (AWS_ENDPOINT_URL_STS). */
  stsEndpoint?: string | undefined;
  /** Timeout of each attempt in milliseconds (default 10 000). */
  timeoutMs?: number | undefined;
  /** Backoff policy for throttling, 5xx and reset connections (default 3 attempts, 200 ms base). */
  retry?: Partial<RetryPolicy> | undefined;
  /** Clock for `created_at` (default: now). */
  now?: (() => Date) | undefined;
  /** Host name for the STS session name (default: os.hostname()). */
  hostname?: string | undefined;
  /** Replaces the SDK client (tests, other transports). */
  wire?: KmsWire | undefined;
}

export const DEFAULT_KMS_TIMEOUT_MS = 10_000;
const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 3, baseDelayMs: 200, maxDelayMs: 2_000 };

/** Creates the AWS KMS provider. Nothing is read from process.env: pass what the caller has. */
export function createAwsKmsProvider(options: AwsKmsProviderOptions = {}): KeyProvider {
  const retry: RetryPolicy = { ...DEFAULT_RETRY, ...options.retry };
  const now = options.now ?? (() => new Date());
  let wire = options.wire;
  const getWire = (): KmsWire =>
    (wire ??= createSdkKmsWire({
      credentials: options.credentials,
      profile: options.profile,
      endpoint: options.endpoint,
      stsEndpoint: options.stsEndpoint,
      timeoutMs: options.timeoutMs ?? DEFAULT_KMS_TIMEOUT_MS,
      hostname: options.hostname ?? osHostname(),
    }));

  async function call<T>(operation: KmsOperation, kmsCall: KmsCall, run: (wire: KmsWire) => Promise<T>): Promise<T> {
    try {
      return await withRetries(() => run(getWire()), isRetryableKmsError, retry);
    } catch (error) {
      throw kmsFailure(error, { arn: kmsCall.target.arn, operation, role: kmsCall.target.role });
    }
  }

  function callFor(stanza: KeyStanza): { kmsCall: KmsCall; enc: string | undefined } {
    const fields = readKmsStanza(stanza);
    const { region } = parseKmsKeyArn(fields.arn);
    return {
      kmsCall: {
        target: { arn: fields.arn, region, role: fields.role, profile: fields.awsProfile },
        encryptionContext: fields.context,
      },
      enc: fields.enc,
    };
  }

  return {
    type: KMS_STANZA_TYPE,

    async wrap(dataKey, key) {
      const { kmsCall } = callFor(key);
      const blob = await call("encrypt", kmsCall, (w) => w.encrypt({ ...kmsCall, plaintext: dataKey }));
      return buildWrappedKmsStanza(key, { createdAt: formatCreatedAt(now()), enc: Buffer.from(blob).toString("base64") });
    },

    async unwrap(stanza) {
      if (stanza.type !== KMS_STANZA_TYPE) return null;
      const { kmsCall, enc } = callFor(stanza);
      if (enc === undefined) {
        throw new CofferError("METADATA_INVALID", `aws kms key ${kmsCall.target.arn} has no enc`, {
          hint: "the entry was never wrapped; run `coffer updatekeys` to re-wrap the data key",
        });
      }
      const ciphertextBlob = decodeBase64(enc, kmsCall.target.arn);
      const plaintext = await call("decrypt", kmsCall, (w) => w.decrypt({ ...kmsCall, ciphertextBlob }));
      return new Uint8Array(plaintext);
    },
  };
}

/** Strict standard base64 (Go's StdEncoding, as sops writes it); anything else is not a blob. */
function decodeBase64(enc: string, arn: string): Uint8Array {
  const text = enc.trim();
  if (text === "" || text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) {
    throw new CofferError("CIPHERTEXT_INVALID", `aws kms key ${arn}: enc is not standard base64`, {
      hint: "the entry's enc was edited; restore it from version control",
    });
  }
  return Buffer.from(text, "base64");
}
