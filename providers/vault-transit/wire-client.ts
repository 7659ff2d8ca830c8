/**
 * The wire client: one transit call (`PUT/POST /v1/<engine_path>/<encrypt|decrypt>/<key_name>`)
 * through node-vault, with a hard deadline. It knows nothing about Coffer's error codes: every
 * failure is a {@link VaultWireError} describing what happened on the wire, and the adapter
 * (failures.ts, provider.ts) decides what that means and whether to retry.
 */
import nodeVault from "node-vault";

/** How a call failed: an HTTP error response, a network error, a timeout, or a 2xx we cannot use. */
export type VaultWireFailure =
  | { kind: "http"; status: number; errors: string[] }
  | { kind: "network"; code: string }
  | { kind: "timeout"; timeoutMs: number }
  | { kind: "malformed"; why: string };

export class VaultWireError extends Error {
  override readonly name = "VaultWireError";
  constructor(
    readonly failure: VaultWireFailure,
    options?: { cause?: unknown },
  ) {
    super(describeFailure(failure), options);
  }
}

export interface VaultWireClientOptions {
  /** `vault_address` from the stanza: scheme, host and port. */
  address: string;
  token?: string | undefined;
  /** Sent as `X-Vault-Namespace` (Vault Enterprise / HCP namespaces). */
  namespace?: string | undefined;
  timeoutMs: number;
  /** PEM CA bundle for https (the content of `VAULT_CACERT`). */
  ca?: string | undefined;
  /** `VAULT_SKIP_VERIFY`: do not verify the server certificate. */
  skipVerify?: boolean | undefined;
}

export type TransitOperation = "encrypt" | "decrypt";

/** One client per Vault address; node-vault keeps the token and namespace on the client. */
export interface VaultWireClient {
  /** Sends `body` to the transit endpoint and returns the response's `data` object. */
  transit(operation: TransitOperation, enginePath: string, keyName: string, body: Record<string, string>): Promise<Record<string, unknown>>;
}

export function createVaultWireClient(options: VaultWireClientOptions): VaultWireClient {
  const config: nodeVault.VaultOptions & { rpDefaults: { strictSSL: boolean } } = {
    endpoint: options.address,
    token: options.token ?? "",
    // node-vault's own timeout option is forwarded to axios per request.
    requestOptions: { timeout: options.timeoutMs, ...(options.ca === undefined ? {} : { ca: options.ca }) },
    // node-vault reads VAULT_SKIP_VERIFY from process.env unless this is given; we decide from the context env.
    rpDefaults: { strictSSL: options.skipVerify !== true },
  };
  if (options.namespace !== undefined && options.namespace !== "") config.namespace = options.namespace;
  const client = nodeVault(config) as nodeVault.client & { namespace?: string | undefined; pathPrefix: string };
  // node-vault falls back to process.env (VAULT_TOKEN, VAULT_NAMESPACE, VAULT_PREFIX) for unset
  // options; the library must not read the environment behind the caller's back, so pin them.
  client.token = options.token ?? "";
  client.namespace = options.namespace === "" ? undefined : options.namespace;
  client.pathPrefix = "";

  return {
    async transit(operation, enginePath, keyName, body) {
      const path = `${encodePath(enginePath)}/${operation}/${encodeURIComponent(keyName)}`;
      const response = await withDeadline(client.write(path, body), options.timeoutMs);
      const data = (response as { data?: unknown } | undefined)?.data;
      if (typeof data !== "object" || data === null) throw new VaultWireError({ kind: "malformed", why: "the response has no data object" });
      return data as Record<string, unknown>;
    },
  };
}

function encodePath(path: string): string {
  return path.split("/").map(encodeURIComponent).join("/");
}

/**
 * node-vault cannot take an AbortSignal, and axios' timeout is a socket-idle timer; this outer
 * deadline makes sure a call never takes much longer than `timeoutMs`, whatever the server does.
 */
async function withDeadline<T>(call: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new VaultWireError({ kind: "timeout", timeoutMs })), timeoutMs + 50);
    timer.unref();
  });
  try {
    return await Promise.race([call, deadline]);
  } catch (error) {
    throw toWireError(error, timeoutMs);
  } finally {
    clearTimeout(timer);
  }
}

/** Turns node-vault's ApiResponseError and axios' network errors into a {@link VaultWireError}. */
function toWireError(error: unknown, timeoutMs: number): VaultWireError {
  if (error instanceof VaultWireError) return error;
  const response = (error as { response?: { statusCode?: unknown; body?: unknown } } | null)?.response;
  if (response !== undefined && typeof response.statusCode === "number") {
    return new VaultWireError({ kind: "http", status: response.statusCode, errors: errorsOf(response.body) }, { cause: error });
  }
  const code = (error as { code?: unknown } | null)?.code;
  if (code === "ECONNABORTED" || code === "ETIMEDOUT") return new VaultWireError({ kind: "timeout", timeoutMs }, { cause: error });
  if (typeof code === "string") return new VaultWireError({ kind: "network", code }, { cause: error });
  return new VaultWireError({ kind: "network", code: "UNKNOWN" }, { cause: error });
}

function errorsOf(body: unknown): string[] {
  const errors = (body as { errors?: unknown } | null | undefined)?.errors;
  return Array.isArray(errors) ? errors.filter((item): item is string => typeof item === "string") : [];
}

function describeFailure(failure: VaultWireFailure): string {
  switch (failure.kind) {
    case "http":
      return `vault responded ${failure.status}`;
    case "network":
      return `network error ${failure.code}`;
    case "timeout":
      return `no response within ${failure.timeoutMs} ms`;
    case "malformed":
      return `unusable response: ${failure.why}`;
  }
}
