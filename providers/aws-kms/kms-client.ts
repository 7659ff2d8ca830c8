/**
 * The wire client: the real `@aws-sdk/client-kms`, one client per region / profile / role, with
 * the SDK's retries off (see retry.ts), an explicit endpoint when configured, and a request
 * timeout that throws instead of warning. It knows nothing about Coffer's error codes.
 */
import { DecryptCommand, EncryptCommand, KMSClient } from "@aws-sdk/client-kms";
import { assumedRoleCredentials, stsSessionName } from "./assume-role.js";
import { chooseCredentialSource, type AwsCredentials, type CredentialSettings } from "./credentials.js";
import { buildWithoutNodeWarning, quietClientOptions } from "./quiet-sdk.js";

/** Where and as whom one call goes. */
export interface KmsCallTarget {
  arn: string;
  region: string;
  role: string | undefined;
  /** The entry's `aws_profile` (undefined when ""). */
  profile: string | undefined;
}

export interface KmsCall {
  target: KmsCallTarget;
  encryptionContext: Record<string, string> | undefined;
}

/** The two KMS operations sops uses; a seam for tests and for other transports. */
export interface KmsWire {
  encrypt(call: KmsCall & { plaintext: Uint8Array }): Promise<Uint8Array>;
  decrypt(call: KmsCall & { ciphertextBlob: Uint8Array }): Promise<Uint8Array>;
  /** Closes pooled connections. */
  destroy(): void;
}

export interface SdkKmsWireOptions extends CredentialSettings {
  /** KMS endpoint override (AWS_ENDPOINT_URL_KMS), e.g. a local fake. */
  endpoint?: string | undefined;
  /** STS endpoint override (AWS_ENDPOINT_URL_STS) for role assumption. */
  stsEndpoint?: string | undefined;
  /** Connection and whole-request timeout of each attempt. */
  timeoutMs: number;
  /** For the STS session name `sops@<hostname>`. */
  hostname: string;
}

/** Builds the SDK-backed wire client. */
export function createSdkKmsWire(options: SdkKmsWireOptions): KmsWire {
  const clients = new Map<string, KMSClient>();

  function clientFor(target: KmsCallTarget): KMSClient {
    const source = chooseCredentialSource(options, target.profile);
    // Static credentials are fixed per wire, so the key needs only the kind (and no secrets).
    const cacheKey = JSON.stringify([target.region, target.role ?? "", source.kind, source.kind === "profile" ? source.profile : ""]);
    let client = clients.get(cacheKey);
    if (client !== undefined) return client;
    const profile = source.kind === "profile" ? source.profile : undefined;
    // A copy: the SDK annotates the credentials object it is given.
    const staticCredentials: AwsCredentials | undefined = source.kind === "static" ? { ...source.credentials } : undefined;
    const credentials =
      target.role === undefined
        ? staticCredentials
        : assumedRoleCredentials({
            role: target.role,
            region: target.region,
            sessionName: stsSessionName(options.hostname),
            baseCredentials: staticCredentials,
            profile,
            endpoint: options.stsEndpoint,
            timeoutMs: options.timeoutMs,
          });
    client = buildWithoutNodeWarning(
      () =>
        new KMSClient({
          ...quietClientOptions(target.region, options.timeoutMs),
          ...(credentials === undefined ? {} : { credentials }),
          ...(profile === undefined ? {} : { profile }),
          ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
        }),
    );
    clients.set(cacheKey, client);
    return client;
  }

  return {
    async encrypt(call) {
      const output = await clientFor(call.target).send(
        new EncryptCommand({
          KeyId: call.target.arn,
          Plaintext: call.plaintext,
          ...(call.encryptionContext === undefined ? {} : { EncryptionContext: call.encryptionContext }),
        }),
      );
      if (output.CiphertextBlob === undefined) throw new Error("kms Encrypt returned no CiphertextBlob");
      return output.CiphertextBlob;
    },
    async decrypt(call) {
      const output = await clientFor(call.target).send(
        new DecryptCommand({
          KeyId: call.target.arn,
          CiphertextBlob: call.ciphertextBlob,
          ...(call.encryptionContext === undefined ? {} : { EncryptionContext: call.encryptionContext }),
        }),
      );
      if (output.Plaintext === undefined) throw new Error("kms Decrypt returned no Plaintext");
      return output.Plaintext;
    },
    destroy() {
      for (const client of clients.values()) client.destroy();
      clients.clear();
    },
  };
}
