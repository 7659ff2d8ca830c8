/**
 * The CLI's entry into the AWS KMS provider: credentials, profile and endpoints from the context's
 * environment map (never process.env). Loaded lazily by providers/registry.ts, so the SDK is only
 * imported when a file has `kms` entries.
 */
import type { KeyProvider } from "../../src/provider.js";
import type { ProviderContext } from "../registry.js";
import { awsKmsOptionsFromEnv } from "./env.js";
import { createAwsKmsProvider } from "./provider.js";

export async function loadAwsKmsProvider(context: ProviderContext): Promise<KeyProvider> {
  return createAwsKmsProvider(awsKmsOptionsFromEnv(context.env));
}
