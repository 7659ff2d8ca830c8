/**
 * One status vocabulary for both transports: gRPC errors carry a canonical code (0-16), the REST
 * transport throws gaxios errors with an HTTP status and a `{"error":{status}}` body, and sockets
 * fail with Node error codes. Everything is normalised to the canonical gRPC code here so the
 * domain adapter maps failures once.
 */

/** Canonical google.rpc.Code values this provider cares about. */
export const Code = {
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  UNAUTHENTICATED: 16,
} as const;

const BY_NAME: Record<string, number> = {
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  OUT_OF_RANGE: 11,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  DATA_LOSS: 15,
  UNAUTHENTICATED: 16,
};

/** The mapping Google documents between HTTP statuses and canonical codes. */
export function codeFromHttpStatus(status: number): number {
  switch (status) {
    case 400:
      return Code.INVALID_ARGUMENT;
    case 401:
      return Code.UNAUTHENTICATED;
    case 403:
      return Code.PERMISSION_DENIED;
    case 404:
      return Code.NOT_FOUND;
    case 408:
    case 504:
      return Code.DEADLINE_EXCEEDED;
    case 429:
      return Code.RESOURCE_EXHAUSTED;
    case 501:
      return Code.UNIMPLEMENTED;
    case 502:
    case 503:
      return Code.UNAVAILABLE;
    default:
      return status >= 500 ? Code.INTERNAL : Code.UNKNOWN;
  }
}

/** Socket-level failures: the service was not reached or the connection dropped. */
const NETWORK_CODES = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
]);

function field(value: unknown, key: string): unknown {
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

/**
 * The canonical gRPC code of any error the KMS client throws, or undefined when it carries none
 * (e.g. a credentials lookup that failed before any request).
 */
export function canonicalCode(error: unknown): number | undefined {
  const bodyStatus = field(field(field(field(error, "response"), "data"), "error"), "status");
  if (typeof bodyStatus === "string" && bodyStatus in BY_NAME) return BY_NAME[bodyStatus];
  const code = field(error, "code");
  if (typeof code === "number") return code <= 16 ? code : codeFromHttpStatus(code);
  if (typeof code === "string") {
    if (code in BY_NAME) return BY_NAME[code];
    if (NETWORK_CODES.has(code)) return Code.UNAVAILABLE;
    if (/^[0-9]{3}$/.test(code)) return codeFromHttpStatus(Number(code));
  }
  const status = field(field(error, "response"), "status");
  if (typeof status === "number") return codeFromHttpStatus(status);
  const cause = field(error, "cause");
  return cause !== undefined && cause !== error ? canonicalCode(cause) : undefined;
}

/** Codes worth another attempt: throttling, an unreachable or overloaded service, a deadline. */
export function isRetryableCode(code: number | undefined): boolean {
  return code === Code.UNAVAILABLE || code === Code.RESOURCE_EXHAUSTED || code === Code.DEADLINE_EXCEEDED;
}
