/**
 * A small JSON REST client for the Kubernetes API: credentials and TLS from the kubeconfig (via
 * `@kubernetes/client-node`), keep-alive connections, a timeout on every request, retries with
 * backoff on 429 and 5xx (honouring Retry-After), and failures mapped to coded errors that name
 * the verb, resource and namespace. Response bodies are never put into messages beyond the
 * API server's own one-line `Status.message`.
 */
import { createHash } from "node:crypto";
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest, type RequestOptions } from "node:https";
import type { ClusterAccess } from "./cluster-access.js";
import { CofferError, type ErrorCode } from "../errors.js";

export interface KubeRequest {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** API path, e.g. `/api/v1/namespaces/default/secrets/db`. */
  path: string;
  query?: Readonly<Record<string, string | number | boolean | undefined>>;
  /** Sent as JSON (a string is sent as is). */
  body?: unknown;
  /** Default `application/json`; server-side apply uses `application/apply-patch+yaml`. */
  contentType?: string;
  /** For messages: what was attempted, e.g. {verb: "patch", resource: "secrets", namespace: "app"}. */
  what: { verb: string; resource: string; namespace?: string | undefined; name?: string | undefined };
}

export interface KubeClientOptions {
  /** Per-request timeout (default 30 s). */
  timeoutMs?: number;
  /** Retries after a 429, 5xx or connection failure (default 4). */
  retries?: number;
  /** First backoff delay; doubles per retry, capped at 5 s (default 200 ms). */
  backoffMs?: number;
  /** Sockets kept per host (default 32). */
  maxSockets?: number;
}

/** A Kubernetes `Status` from an error response, as far as it was readable. */
export interface KubeStatus {
  code: number;
  reason?: string;
  message?: string;
  details?: { name?: string; kind?: string; causes?: { type?: string; message?: string; field?: string }[] };
}

/** A failed API call: a CofferError with the HTTP status and the server's Status attached. */
export class KubeApiError extends CofferError {
  readonly status: number;
  readonly kubeStatus: KubeStatus | undefined;
  constructor(code: ErrorCode, message: string, init: { status: number; kubeStatus?: KubeStatus | undefined; hint?: string; cause?: unknown }) {
    super(code, message, { hint: init.hint, cause: init.cause, fault: code === "CLUSTER_UNREACHABLE" ? "provider" : "user" });
    this.status = init.status;
    this.kubeStatus = init.kubeStatus;
  }
}

const RETRYABLE_STATUS = new Set([429, 500, 502, 503, 504]);

export class KubeClient {
  readonly server: string;
  private readonly access: ClusterAccess;
  private readonly agentOptions: { keepAlive: true; maxSockets: number };
  /** One keep-alive agent per TLS setup (client-node hands out a fresh agent on every call). */
  private readonly agents = new Map<string, HttpAgent | HttpsAgent>();
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly backoffMs: number;

  /** `access` as loadKubeConfig() resolves it. */
  constructor(access: ClusterAccess, options: KubeClientOptions = {}) {
    this.access = access;
    this.server = this.access.server;
    this.agentOptions = { keepAlive: true, maxSockets: options.maxSockets ?? 32 };
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.retries = options.retries ?? 4;
    this.backoffMs = options.backoffMs ?? 200;
  }

  /** Send one request, retrying transient failures; resolves with the parsed JSON body. */
  async request<T = unknown>(req: KubeRequest): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      let outcome: { status: number; body: string; retryAfter?: string | undefined } | undefined;
      let transportError: unknown;
      try {
        outcome = await this.send(req);
      } catch (error) {
        transportError = error;
      }
      const retryable = outcome === undefined || RETRYABLE_STATUS.has(outcome.status);
      if (outcome !== undefined && outcome.status < 400) {
        return (outcome.body === "" ? undefined : JSON.parse(outcome.body)) as T;
      }
      if (retryable && attempt < this.retries) {
        await sleep(this.delay(attempt, outcome?.retryAfter));
        continue;
      }
      if (outcome === undefined) throw this.unreachable(req, transportError);
      throw apiError(req, outcome.status, outcome.body);
    }
  }

  /** Close idle keep-alive sockets so the process can exit. */
  close(): void {
    for (const agent of this.agents.values()) agent.destroy();
    this.agents.clear();
  }

  private agentFor(plain: boolean, tls: RequestOptions): HttpAgent | HttpsAgent {
    const material = [tls.ca, tls.cert, tls.key, tls.pfx, tls.passphrase, tls.rejectUnauthorized, tls.servername];
    const key = plain ? "http" : createHash("sha256").update(JSON.stringify(material, (_, value: unknown) => (Buffer.isBuffer(value) ? value.toString("base64") : value))).digest("hex");
    let agent = this.agents.get(key);
    if (agent === undefined) {
      const { ca, cert, key: privateKey, pfx, passphrase, rejectUnauthorized, servername } = tls;
      const settings = { ...this.agentOptions, ca, cert, key: privateKey, pfx, passphrase, servername };
      agent = plain ? new HttpAgent(this.agentOptions) : new HttpsAgent(rejectUnauthorized === undefined ? settings : { ...settings, rejectUnauthorized });
      this.agents.set(key, agent);
    }
    return agent;
  }

  private delay(attempt: number, retryAfter: string | undefined): number {
    const seconds = retryAfter === undefined ? Number.NaN : Number(retryAfter);
    if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds * 1000, 30_000);
    const base = Math.min(this.backoffMs * 2 ** attempt, 5_000);
    return base / 2 + Math.random() * (base / 2);
  }

  private unreachable(req: KubeRequest, cause: unknown): KubeApiError {
    const reason = cause instanceof Error ? cause.message : String(cause);
    return new KubeApiError("CLUSTER_UNREACHABLE", `cannot reach the API server at ${this.server} (${describe(req)}): ${reason}`, {
      status: 0,
      hint: "check the cluster is up and the kubeconfig's server address (kubectl cluster-info)",
      cause,
    });
  }

  private async send(req: KubeRequest): Promise<{ status: number; body: string; retryAfter?: string | undefined }> {
    const url = new URL(this.server + req.path);
    for (const [key, value] of Object.entries(req.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    const payload = req.body === undefined ? undefined : typeof req.body === "string" ? req.body : JSON.stringify(req.body);
    const options: RequestOptions = {
      method: req.method,
      headers: {
        accept: "application/json",
        "user-agent": "coffer",
        ...(payload === undefined ? {} : { "content-type": req.contentType ?? "application/json", "content-length": Buffer.byteLength(payload) }),
      },
    };
    await this.access.applyTo(options);
    // client-node's applyToHTTPSOptions puts a new agent (no keep-alive) on every call: a TLS
    // handshake per request. Keep one keep-alive agent per TLS setup instead (certificates may rotate).
    options.agent = this.agentFor(url.protocol === "http:", options);
    const send = url.protocol === "http:" ? httpRequest : httpsRequest;
    return new Promise((resolve, reject) => {
      const request = send(url, options, (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("error", reject);
        res.on("end", () => {
          const retryAfter = res.headers["retry-after"];
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8"), retryAfter });
        });
      });
      request.setTimeout(this.timeoutMs, () => request.destroy(new Error(`no answer within ${this.timeoutMs} ms`)));
      request.on("error", reject);
      request.end(payload);
    });
  }
}

function describe(req: KubeRequest): string {
  const { verb, resource, namespace, name } = req.what;
  return `${verb} ${resource}${name === undefined ? "" : `/${name}`}${namespace === undefined ? "" : ` in namespace ${namespace}`}`;
}

function parseStatus(status: number, body: string): KubeStatus | undefined {
  try {
    const parsed = JSON.parse(body) as Partial<KubeStatus> & { kind?: string };
    return parsed.kind === "Status" ? { ...parsed, code: parsed.code ?? status } : undefined;
  } catch {
    return undefined;
  }
}

/** Map an error response to a coded error naming what was attempted. */
export function apiError(req: KubeRequest, status: number, body: string): KubeApiError {
  const kubeStatus = parseStatus(status, body);
  // The server's message is one line about names and fields; cut it short all the same.
  const serverMessage = (kubeStatus?.message ?? `HTTP ${status}`).split("\n")[0]?.slice(0, 300) ?? "";
  const init = { status, kubeStatus };
  if (status === 401) {
    return new KubeApiError("CLUSTER_DENIED", `unauthorized: the API server rejected the credentials (${describe(req)})`, {
      ...init,
      hint: "refresh the credentials in the kubeconfig (kubectl auth whoami, or log in again)",
    });
  }
  if (status === 403) {
    return new KubeApiError("CLUSTER_DENIED", `forbidden: cannot ${describe(req)}`, {
      ...init,
      hint: `grant the '${req.what.verb}' verb on '${req.what.resource}'${req.what.namespace === undefined ? "" : ` in namespace ${req.what.namespace}`} (kubectl auth can-i ${req.what.verb} ${req.what.resource}${req.what.namespace === undefined ? "" : ` -n ${req.what.namespace}`})`,
    });
  }
  if (status === 409) {
    return new KubeApiError("CLUSTER_CONFLICT", `conflict: ${describe(req)}: ${serverMessage}`, init);
  }
  if (status === 404) {
    return new KubeApiError("CLUSTER_REQUEST_FAILED", `not found: ${describe(req)}: ${serverMessage}`, init);
  }
  const hint = status >= 500 ? "the API server failed after retries; try again later" : "fix the object the server rejected";
  return new KubeApiError("CLUSTER_REQUEST_FAILED", `${describe(req)} failed (HTTP ${status}): ${serverMessage}`, { ...init, hint });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
