/**
 * The transport-free heart of the GCP KMS fake: known keys with a real AES-256-GCM secret each,
 * bearer-token checks, AAD binding, the call log and injected faults. The gRPC and REST servers
 * beside it only translate their wire shapes to and from {@link KmsFakeCore.handle}.
 */
import { createCipheriv, createDecipheriv, createPublicKey, randomBytes, verify, type KeyObject } from "node:crypto";

export type KmsMethod = "encrypt" | "decrypt";

/** A canonical Google RPC status, carried by both transports. */
export interface KmsFakeStatus {
  grpcCode: number;
  httpStatus: number;
  status: string;
  message: string;
}

export const STATUS = {
  INVALID_ARGUMENT: { grpcCode: 3, httpStatus: 400, status: "INVALID_ARGUMENT" },
  DEADLINE_EXCEEDED: { grpcCode: 4, httpStatus: 504, status: "DEADLINE_EXCEEDED" },
  NOT_FOUND: { grpcCode: 5, httpStatus: 404, status: "NOT_FOUND" },
  PERMISSION_DENIED: { grpcCode: 7, httpStatus: 403, status: "PERMISSION_DENIED" },
  RESOURCE_EXHAUSTED: { grpcCode: 8, httpStatus: 429, status: "RESOURCE_EXHAUSTED" },
  INTERNAL: { grpcCode: 13, httpStatus: 500, status: "INTERNAL" },
  UNAVAILABLE: { grpcCode: 14, httpStatus: 503, status: "UNAVAILABLE" },
  UNAUTHENTICATED: { grpcCode: 16, httpStatus: 401, status: "UNAUTHENTICATED" },
} as const;

export class KmsFakeError extends Error {
  constructor(
    readonly status: KmsFakeStatus,
  ) {
    super(status.message);
  }
}

function fail(kind: keyof typeof STATUS, message: string): KmsFakeError {
  return new KmsFakeError({ ...STATUS[kind], message });
}

/**
 * A fault for the next `times` calls (default 1), optionally only for one method:
 * `unavailable` (gRPC 14 / HTTP 503), `resource_exhausted` (8 / 429), `internal` (13 / 500),
 * `delay` (answer after `delayMs`, e.g. beyond the client timeout), `reset` (drop the connection).
 */
export interface KmsFault {
  kind: "unavailable" | "resource_exhausted" | "internal" | "delay" | "reset";
  times?: number;
  delayMs?: number;
  method?: KmsMethod;
}

export interface KmsCall {
  method: KmsMethod;
  transport: "grpc" | "rest";
  name: string;
  /** The authorization value the caller sent (undefined when absent). */
  authorization: string | undefined;
  aad: string;
  outcome: string;
}

export interface KmsRequest {
  method: KmsMethod;
  transport: "grpc" | "rest";
  name: string;
  authorization: string | undefined;
  plaintext?: Uint8Array;
  ciphertext?: Uint8Array;
  aad?: Uint8Array;
}

export interface KmsResponse {
  name: string;
  plaintext?: Uint8Array;
  ciphertext?: Uint8Array;
}

/** What the transport should do instead of answering. */
export type KmsDirective = { reset: true } | { delayMs: number };

const VERSION = 0x01;
const MAX_DELAY_MS = 60_000;

export class KmsFakeCore {
  readonly calls: KmsCall[] = [];
  /** Calls the client gave up on (cancelled or disconnected) before the fake answered. */
  abandoned = 0;
  private readonly secrets = new Map<string, Buffer>();
  private readonly denied = new Set<string>();
  private readonly faults: KmsFault[] = [];
  private readonly serviceAccounts = new Map<string, KeyObject>();

  constructor(
    readonly token: string,
    keys: readonly string[],
  ) {
    for (const key of keys) this.addKey(key);
  }

  /** Adds a key with a fresh random secret (idempotent). */
  addKey(name: string): void {
    if (!this.secrets.has(name)) this.secrets.set(name, randomBytes(32));
  }

  /** Makes a known key refuse the caller (PERMISSION_DENIED), as a missing IAM binding would. */
  deny(name: string): void {
    this.denied.add(name);
  }

  inject(fault: KmsFault): void {
    this.faults.push({ ...fault, times: Math.max(1, Math.min(fault.times ?? 1, 1000)) });
  }

  /**
   * Accepts self-signed JWTs (RS256, `iss` = `email`, not expired) from this service account, as
   * google-auth-library sends for a service account key with a custom endpoint.
   */
  addServiceAccount(email: string, publicKeyPem: string): void {
    this.serviceAccounts.set(email, createPublicKey(publicKeyPem));
  }

  private authorized(header: string | undefined): boolean {
    if (header === `Bearer ${this.token}`) return true;
    const parts = /^Bearer ([\w-]+)\.([\w-]+)\.([\w-]+)$/.exec(header ?? "");
    if (parts === null) return false;
    try {
      const claims = JSON.parse(Buffer.from(parts[2] ?? "", "base64url").toString("utf8")) as { iss?: string; exp?: number };
      const key = this.serviceAccounts.get(claims.iss ?? "");
      if (key === undefined || typeof claims.exp !== "number" || claims.exp * 1000 < Date.now()) return false;
      return verify("RSA-SHA256", Buffer.from(`${parts[1]}.${parts[2]}`), key, Buffer.from(parts[3] ?? "", "base64url"));
    } catch {
      return false;
    }
  }

  /** Drops faults not yet consumed. */
  clearFaults(): void {
    this.faults.length = 0;
  }

  /** Takes the fault that applies to this call, if any, counting it down. */
  takeFault(method: KmsMethod): KmsFault | undefined {
    const index = this.faults.findIndex((fault) => fault.method === undefined || fault.method === method);
    if (index < 0) return undefined;
    const fault = this.faults[index]!;
    fault.times = (fault.times ?? 1) - 1;
    if (fault.times <= 0) this.faults.splice(index, 1);
    return fault;
  }

  /**
   * Runs one call. A fault or a refusal throws {@link KmsFakeError}; `delay` and `reset` faults
   * come back as a directive for the transport to act on before (or instead of) answering.
   */
  handle(request: KmsRequest): { response?: KmsResponse; error?: KmsFakeError; directive?: KmsDirective } {
    const record: KmsCall = {
      method: request.method,
      transport: request.transport,
      name: request.name,
      authorization: request.authorization,
      aad: Buffer.from(request.aad ?? []).toString("base64"),
      outcome: "ok",
    };
    this.calls.push(record);
    const fault = this.takeFault(request.method);
    let directive: KmsDirective | undefined;
    if (fault !== undefined) {
      record.outcome = fault.kind;
      if (fault.kind === "reset") return { directive: { reset: true } };
      if (fault.kind === "delay") directive = { delayMs: Math.min(fault.delayMs ?? 5_000, MAX_DELAY_MS) };
      else {
        const kind = fault.kind === "unavailable" ? "UNAVAILABLE" : fault.kind === "internal" ? "INTERNAL" : "RESOURCE_EXHAUSTED";
        return { error: fail(kind, `injected ${fault.kind}`) };
      }
    }
    try {
      const response = this.answer(request);
      return directive === undefined ? { response } : { response, directive };
    } catch (error) {
      if (!(error instanceof KmsFakeError)) throw error;
      if (record.outcome === "ok") record.outcome = error.status.status;
      return directive === undefined ? { error } : { error, directive };
    }
  }

  private answer(request: KmsRequest): KmsResponse {
    if (!this.authorized(request.authorization)) {
      throw fail("UNAUTHENTICATED", "Request had invalid authentication credentials.");
    }
    const secret = this.secrets.get(request.name);
    if (secret === undefined) throw fail("NOT_FOUND", `${request.name} not found.`);
    if (this.denied.has(request.name)) {
      throw fail("PERMISSION_DENIED", `Permission 'cloudkms.cryptoKeyVersions.use${request.method === "encrypt" ? "ToEncrypt" : "ToDecrypt"}' denied on resource '${request.name}' (or it may not exist).`);
    }
    const aad = Buffer.from(request.aad ?? []);
    if (request.method === "encrypt") {
      const plaintext = Buffer.from(request.plaintext ?? []);
      if (plaintext.length === 0) throw fail("INVALID_ARGUMENT", "Plaintext is required.");
      const nonce = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", secret, nonce);
      cipher.setAAD(aad);
      const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
      return { name: `${request.name}/cryptoKeyVersions/1`, ciphertext: Buffer.concat([Buffer.from([VERSION]), nonce, body, cipher.getAuthTag()]) };
    }
    const blob = Buffer.from(request.ciphertext ?? []);
    const invalid = fail("INVALID_ARGUMENT", "Decryption failed: the ciphertext is invalid.");
    if (blob.length < 1 + 12 + 16 || blob[0] !== VERSION) throw invalid;
    try {
      const decipher = createDecipheriv("aes-256-gcm", secret, blob.subarray(1, 13));
      decipher.setAAD(aad);
      decipher.setAuthTag(blob.subarray(blob.length - 16));
      return { name: request.name, plaintext: Buffer.concat([decipher.update(blob.subarray(13, blob.length - 16)), decipher.final()]) };
    } catch {
      throw invalid;
    }
  }
}
