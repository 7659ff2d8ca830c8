/**
 * The AWS KMS key provider: SOPS `kms` entries (spec §6.3) through `@aws-sdk/client-kms`, with
 * roles assumed through STS, per-entry profiles and encryption contexts.
 */
export { createAwsKmsProvider, DEFAULT_KMS_TIMEOUT_MS, type AwsKmsProviderOptions } from "./provider.js";
export { awsKmsOptionsFromEnv } from "./env.js";
export { parseKmsKeyArn, type KmsKeyArn } from "./arn.js";
export { stsSessionName } from "./assume-role.js";
export type { AwsCredentials } from "./credentials.js";
export type { KmsWire, KmsCall, KmsCallTarget } from "./kms-client.js";
export type { RetryPolicy } from "./retry.js";
