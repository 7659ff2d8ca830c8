/**
 * The CLI's entry into the GCP KMS provider: reads sops's variables from the context env
 * (§6.4) and builds the provider. Loaded lazily by providers/registry.ts, so the Google SDK is
 * imported only when a file has a gcp_kms key.
 */
import { CofferError } from "../../src/errors.js";
import type { KeyProvider } from "../../src/provider.js";
import type { ProviderContext } from "../registry.js";
import { createGcpKmsWireClient, type GcpKmsTransport } from "./client.js";
import { gcpCredentialsFromEnv } from "./credentials.js";
import { createGcpKmsProviderWithClient } from "./provider.js";

function transportFrom(value: string | undefined): GcpKmsTransport {
  const text = (value ?? "").trim().toLowerCase();
  if (text === "" || text === "grpc") return "grpc";
  if (text === "rest") return "rest";
  throw new CofferError("USAGE", `SOPS_GCP_KMS_CLIENT_TYPE must be grpc or rest, not ${JSON.stringify(value)}`, {
    hint: "unset SOPS_GCP_KMS_CLIENT_TYPE or set it to grpc or rest",
  });
}

function timeoutFrom(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  const ms = Number(value);
  if (!Number.isInteger(ms) || ms <= 0) {
    throw new CofferError("USAGE", "COFFER_GCP_KMS_TIMEOUT_MS must be a positive integer", { hint: "e.g. COFFER_GCP_KMS_TIMEOUT_MS=10000" });
  }
  return ms;
}

export async function loadGcpKmsProvider(context: ProviderContext): Promise<KeyProvider> {
  const env = context.env;
  const universeDomain = env.SOPS_GCP_KMS_UNIVERSE_DOMAIN?.trim() || "googleapis.com";
  const { auth } = gcpCredentialsFromEnv(env, universeDomain);
  const endpoint = env.SOPS_GCP_KMS_ENDPOINT?.trim() || undefined;
  const client = createGcpKmsWireClient({
    transport: transportFrom(env.SOPS_GCP_KMS_CLIENT_TYPE),
    endpoint,
    universeDomain,
    auth,
    timeoutMs: timeoutFrom(env.COFFER_GCP_KMS_TIMEOUT_MS),
  });
  return createGcpKmsProviderWithClient({ client });
}
