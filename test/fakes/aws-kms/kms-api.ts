/**
 * The KMS JSON 1.1 operations the fake serves (TrentService.Encrypt, Decrypt, GenerateDataKey,
 * DescribeKey), with the error types real KMS returns. Errors are `{"__type","message"}` bodies;
 * the SDK throws them with `name` equal to the type.
 */
import { randomBytes } from "node:crypto";
import { blobKeyId, openBlob, sealBlob } from "./blob.js";
import type { FakeAccessKey, FakeAwsAccount, FakeKmsKey } from "./state.js";

export class KmsApiError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

export interface KmsRequest {
  operation: string;
  body: Record<string, unknown>;
  caller: FakeAccessKey;
  region: string;
}

/** What the fake records about each KMS call (for assertions). */
export interface KmsCallDetails {
  keyId: string | undefined;
  encryptionContext: Record<string, string> | undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

function blob(value: unknown, name: string): Buffer {
  if (typeof value !== "string") throw new KmsApiError("ValidationException", `${name} is required`);
  return Buffer.from(value, "base64");
}

export function contextOf(body: Record<string, unknown>): Record<string, string> | undefined {
  const raw = body.EncryptionContext;
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== "object" || Array.isArray(raw)) throw new KmsApiError("ValidationException", "EncryptionContext must be a map");
  const context: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (typeof value !== "string") throw new KmsApiError("ValidationException", "EncryptionContext values must be strings");
    context[key] = value;
  }
  return context;
}

function usableKey(account: FakeAwsAccount, request: KmsRequest, keyId: string | undefined): FakeKmsKey {
  if (keyId === undefined) throw new KmsApiError("ValidationException", "KeyId is required");
  const key = account.findKey(keyId, request.region);
  if (key === undefined) throw new KmsApiError("NotFoundException", `Key '${keyId}' does not exist`);
  if (!account.allows(key.allow, request.caller)) {
    throw new KmsApiError(
      "AccessDeniedException",
      `User: ${request.caller.roleArn ?? request.caller.accessKeyId} is not authorized to perform: kms:${request.operation} on resource: ${key.arn}`,
    );
  }
  if (!key.enabled) throw new KmsApiError("DisabledException", `${key.arn} is disabled.`);
  return key;
}

function encryptWith(key: FakeKmsKey, plaintext: Buffer, context: Record<string, string> | undefined): string {
  if (plaintext.length < 1 || plaintext.length > 4096) {
    throw new KmsApiError("ValidationException", "Plaintext must be between 1 and 4096 bytes");
  }
  return sealBlob({ keyId: key.id, secret: key.secret, plaintext, context }).toString("base64");
}

/** Runs one operation; returns the JSON response body. */
export function handleKms(account: FakeAwsAccount, request: KmsRequest): Record<string, unknown> {
  const { body } = request;
  const context = contextOf(body);
  switch (request.operation) {
    case "Encrypt": {
      const key = usableKey(account, request, text(body.KeyId));
      const ciphertext = encryptWith(key, blob(body.Plaintext, "Plaintext"), context);
      return { CiphertextBlob: ciphertext, KeyId: key.arn, EncryptionAlgorithm: "SYMMETRIC_DEFAULT" };
    }
    case "GenerateDataKey": {
      const key = usableKey(account, request, text(body.KeyId));
      const size = typeof body.NumberOfBytes === "number" ? body.NumberOfBytes : body.KeySpec === "AES_128" ? 16 : 32;
      const plaintext = randomBytes(size);
      return { CiphertextBlob: encryptWith(key, plaintext, context), Plaintext: plaintext.toString("base64"), KeyId: key.arn };
    }
    case "Decrypt": {
      const ciphertext = blob(body.CiphertextBlob, "CiphertextBlob");
      const embedded = blobKeyId(ciphertext);
      if (embedded === undefined) throw new KmsApiError("InvalidCiphertextException", "");
      const key = usableKey(account, request, embedded);
      const requested = text(body.KeyId);
      if (requested !== undefined) {
        const named = usableKey(account, request, requested);
        if (named.id !== key.id) {
          throw new KmsApiError("IncorrectKeyException", "The key ID in the request does not identify a KMS key that can perform this operation.");
        }
      }
      const plaintext = openBlob({ blob: ciphertext, secret: key.secret, context });
      if (plaintext === undefined) throw new KmsApiError("InvalidCiphertextException", "");
      return { Plaintext: plaintext.toString("base64"), KeyId: key.arn, EncryptionAlgorithm: "SYMMETRIC_DEFAULT" };
    }
    case "DescribeKey": {
      const key = account.findKey(text(body.KeyId) ?? "", request.region);
      if (key === undefined) throw new KmsApiError("NotFoundException", `Key '${String(body.KeyId)}' does not exist`);
      return {
        KeyMetadata: {
          AWSAccountId: account.account,
          KeyId: key.id,
          Arn: key.arn,
          Enabled: key.enabled,
          KeyState: key.enabled ? "Enabled" : "Disabled",
          KeyUsage: "ENCRYPT_DECRYPT",
          KeySpec: "SYMMETRIC_DEFAULT",
        },
      };
    }
    default:
      throw new KmsApiError("UnknownOperationException", "");
  }
}
