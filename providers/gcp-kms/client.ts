/**
 * The wire client: a thin wrapper over `@google-cloud/kms`'s KeyManagementServiceClient that
 * picks the transport (gRPC, or REST with `fallback`), the endpoint and the credentials, and puts
 * a hard timeout on every call. It throws the SDK's errors unchanged (plus a DEADLINE_EXCEEDED
 * shaped error for its own timeout); errors.ts maps them to CofferErrors.
 */
import { KeyManagementServiceClient } from "@google-cloud/kms";
// google-gax is the transport @google-cloud/kms itself loads; its grpc-js must be the same instance.
import { grpc, routingHeader, type GoogleAuth } from "google-gax";
import { CofferError } from "../../src/errors.js";
import { Code } from "./status.js";

export type GcpKmsTransport = "grpc" | "rest";

export interface GcpKmsClientOptions {
  /** gRPC (default) or REST over HTTP/1.1 (`SOPS_GCP_KMS_CLIENT_TYPE=rest`). */
  transport?: GcpKmsTransport | undefined;
  /**
   * `host[:port]` (TLS, as `SOPS_GCP_KMS_ENDPOINT`), or `http://host:port` for a plaintext local
   * emulator (a Coffer extension used by tests). Default `cloudkms.<universe domain>:443`.
   */
  endpoint?: string | undefined;
  /** Default `googleapis.com`. */
  universeDomain?: string | undefined;
  /** The credentials; see credentials.ts. */
  auth: GoogleAuth;
  /** Per-call timeout in ms (default 10 000). */
  timeoutMs?: number | undefined;
}

export interface GcpKmsCall {
  name: string;
  additionalAuthenticatedData?: Uint8Array | undefined;
}

/** The two calls the provider needs, transport-neutral. */
export interface GcpKmsWire {
  encrypt(call: GcpKmsCall & { plaintext: Uint8Array }): Promise<Uint8Array>;
  decrypt(call: GcpKmsCall & { ciphertext: Uint8Array }): Promise<Uint8Array>;
  close(): Promise<void>;
}

interface Endpoint {
  host: string;
  port: number;
  plaintext: boolean;
}

/** Parses `host`, `host:port` or `http(s)://host:port`. */
export function parseGcpKmsEndpoint(endpoint: string): Endpoint {
  const match = /^(?:(https?):\/\/)?([^/:]+|\[[^\]]+\])(?::([0-9]{1,5}))?\/?$/.exec(endpoint.trim());
  if (match === null) {
    throw new CofferError("USAGE", `gcp kms endpoint ${JSON.stringify(endpoint)} is not host:port`, {
      hint: "set SOPS_GCP_KMS_ENDPOINT to host:port, e.g. cloudkms.googleapis.com:443",
    });
  }
  const plaintext = match[1] === "http";
  return { host: match[2] ?? "", port: match[3] === undefined ? (plaintext ? 80 : 443) : Number(match[3]), plaintext };
}

class CallTimeoutError extends Error {
  readonly code = Code.DEADLINE_EXCEEDED;
  constructor(ms: number) {
    super(`no answer within ${ms} ms`);
  }
}

/**
 * Rejects after `ms` even when the transport ignores its own deadline (REST does), and cancels
 * the call so no socket is left open to keep the process alive.
 */
function withTimeout<T>(call: Promise<T> & { cancel?: () => void }, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      call.cancel?.();
      reject(new CallTimeoutError(ms));
    }, ms);
  });
  return Promise.race([call, timeout]).finally(() => clearTimeout(timer));
}

function toBytes(value: Uint8Array | string | null | undefined): Uint8Array {
  if (value === null || value === undefined) return new Uint8Array();
  return typeof value === "string" ? Buffer.from(value, "base64") : value;
}

export function createGcpKmsWireClient(options: GcpKmsClientOptions): GcpKmsWire {
  const transport = options.transport ?? "grpc";
  const universeDomain = options.universeDomain ?? "googleapis.com";
  const timeoutMs = options.timeoutMs ?? 10_000;
  const endpoint = options.endpoint === undefined ? undefined : parseGcpKmsEndpoint(options.endpoint);
  const plaintext = endpoint?.plaintext ?? false;
  const clientOptions: Record<string, unknown> = { auth: options.auth, universeDomain };
  if (endpoint !== undefined) Object.assign(clientOptions, { apiEndpoint: endpoint.host, port: endpoint.port });
  if (transport === "rest") Object.assign(clientOptions, { fallback: true, protocol: plaintext ? "http" : "https" });
  // grpc-js refuses to attach call credentials to an insecure channel, so on a plaintext
  // endpoint the bearer token travels as per-call metadata instead (see headers()).
  else if (plaintext) clientOptions.sslCreds = grpc.credentials.createInsecure();
  const client = new KeyManagementServiceClient(clientOptions as ConstructorParameters<typeof KeyManagementServiceClient>[0]);

  const headers = async (): Promise<Record<string, string>> => {
    if (transport === "rest" || !plaintext) return {};
    const found: Record<string, string> = {};
    (await options.auth.getRequestHeaders()).forEach((value, key) => {
      found[key] = value;
    });
    return found;
  };
  // gax retries are off: retry.ts retries both transports and keeps the real status code.
  const callOptions = async (name: string) => ({
    timeout: timeoutMs,
    retry: { retryCodes: [] },
    otherArgs: { headers: { ...(await headers()), "x-goog-request-params": routingHeader.fromParams({ name }) } },
  });
  type Cancellable = Promise<[Record<string, unknown>, unknown, unknown]> & { cancel?: () => void };
  // The generated methods (client.encrypt) chain a .then that drops gax's cancel(); the inner
  // call keeps it, so a timed-out REST request is aborted instead of holding its socket open.
  const invoke = async (method: "encrypt" | "decrypt", request: Record<string, unknown> & { name: string }) => {
    await client.initialize();
    const inner = client.innerApiCalls[method] as (request: unknown, options: unknown) => Cancellable;
    const [response] = await withTimeout(inner(request, await callOptions(request.name)), timeoutMs);
    return response;
  };

  return {
    async encrypt(call) {
      const request = { name: call.name, plaintext: call.plaintext, additionalAuthenticatedData: call.additionalAuthenticatedData ?? null };
      return toBytes((await invoke("encrypt", request)).ciphertext as Uint8Array | string | null | undefined);
    },
    async decrypt(call) {
      const request = { name: call.name, ciphertext: call.ciphertext, additionalAuthenticatedData: call.additionalAuthenticatedData ?? null };
      return toBytes((await invoke("decrypt", request)).plaintext as Uint8Array | string | null | undefined);
    },
    close: () => client.close(),
  };
}
