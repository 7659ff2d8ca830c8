/**
 * GCP KMS key provider for library users and tests.
 *
 *   const provider = createGcpKmsProvider({ accessToken, transport: "rest" });
 *   const stanza = await provider.wrap(dataKey, { type: "gcp_kms", fields: TreeMap.from({ resource_id }) });
 */
import type { KeyProvider } from "../../src/provider.js";
import { createGcpKmsWireClient, type GcpKmsClientOptions, type GcpKmsWire } from "./client.js";
import { staticTokenAuth } from "./credentials.js";
import { createGcpKmsProviderWithClient } from "./provider.js";
import type { RetryPolicy } from "./retry.js";

export { createGcpKmsWireClient, parseGcpKmsEndpoint } from "./client.js";
export type { GcpKmsCall, GcpKmsClientOptions, GcpKmsTransport, GcpKmsWire } from "./client.js";
export { gcpCredentialsFromEnv, staticTokenAuth, GCP_KMS_SCOPES } from "./credentials.js";
export type { GcpCredentials } from "./credentials.js";
export { gcpKmsError } from "./errors.js";
export { createGcpKmsProviderWithClient, formatCreatedAt, GCP_KMS_TYPE } from "./provider.js";
export { isGcpKmsResourceId, parseGcpKmsResourceId } from "./resource-id.js";
export { canonicalCode } from "./status.js";
export type { RetryPolicy } from "./retry.js";

export type GcpKmsProviderOptions = Omit<GcpKmsClientOptions, "auth"> & {
  /** Credentials: an auth object, or a static OAuth access token. */
  auth?: GcpKmsClientOptions["auth"] | undefined;
  accessToken?: string | undefined;
  /** An existing wire client (the other connection options are then ignored). */
  client?: GcpKmsWire | undefined;
  now?: (() => Date) | undefined;
  retry?: RetryPolicy | undefined;
};

/**
 * Builds a `gcp_kms` provider. Pass `auth` or `accessToken` explicitly: the library never reads
 * the environment (the CLI does that in load.ts).
 */
export function createGcpKmsProvider(options: GcpKmsProviderOptions): KeyProvider {
  let client = options.client;
  if (client === undefined) {
    const auth = options.auth ?? (options.accessToken === undefined ? undefined : staticTokenAuth(options.accessToken, options.universeDomain));
    if (auth === undefined) throw new TypeError("createGcpKmsProvider needs auth, accessToken or client");
    client = createGcpKmsWireClient({ ...options, auth });
  }
  return createGcpKmsProviderWithClient({ client, now: options.now, retry: options.retry });
}
