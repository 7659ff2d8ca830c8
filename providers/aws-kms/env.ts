/**
 * The environment variables the AWS KMS provider reads (see README.md in this folder), turned
 * into explicit provider options.
 */
import { CofferError } from "../../src/errors.js";
import { credentialSettingsFromEnv } from "./credentials.js";
import type { AwsKmsProviderOptions } from "./provider.js";

/** Options from an environment map: credentials, AWS_PROFILE, endpoints, COFFER_AWS_KMS_TIMEOUT_MS. */
export function awsKmsOptionsFromEnv(env: Record<string, string | undefined>): AwsKmsProviderOptions {
  const settings = credentialSettingsFromEnv(env);
  const endpoint = nonEmpty(env.AWS_ENDPOINT_URL_KMS) ?? nonEmpty(env.AWS_ENDPOINT_URL);
  const stsEndpoint = nonEmpty(env.AWS_ENDPOINT_URL_STS) ?? nonEmpty(env.AWS_ENDPOINT_URL);
  const timeout = nonEmpty(env.COFFER_AWS_KMS_TIMEOUT_MS);
  let timeoutMs: number | undefined;
  if (timeout !== undefined) {
    timeoutMs = Number(timeout);
    if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) {
      throw new CofferError("USAGE", "COFFER_AWS_KMS_TIMEOUT_MS must be a positive whole number of milliseconds");
    }
  }
  return {
    ...settings,
    ...(endpoint === undefined ? {} : { endpoint }),
    ...(stsEndpoint === undefined ? {} : { stsEndpoint }),
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value.trim();
}
