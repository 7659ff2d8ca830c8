/**
 * A local AWS KMS (JSON 1.1, `X-Amz-Target: TrentService.*`) and STS (query protocol) on
 * 127.0.0.1 with an ephemeral port, so the real SDK sends real signed requests to it. It checks
 * the signing access key id (and the session token of role credentials), enforces key names,
 * regions, policies, enabled flags and EncryptionContext binding, and injects faults on demand.
 *
 *   const fake = await startAwsKmsFake();
 *   const key = fake.createKey({ alias: "app" });
 *   fake.inject({ kind: "throttle", times: 2 });
 *   ...
 *   await fake.close();
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { handleKms, KmsApiError, contextOf } from "./kms-api.js";
import { signingScope } from "./sigv4.js";
import { FakeAwsAccount, type CreateKeyOptions, type FakeAccessKey, type FakeKmsKey, type FakeRole } from "./state.js";
import { handleSts, stsError } from "./sts-api.js";

/** A fault applied to the next `times` KMS requests (default 1). */
export type AwsKmsFault =
  | { kind: "throttle"; times?: number }
  | { kind: "server-error"; times?: number; status?: number }
  | { kind: "delay"; ms: number; times?: number }
  | { kind: "reset"; times?: number };

export interface AwsKmsFakeCall {
  /** `Encrypt`, `Decrypt`, ... or `AssumeRole`. */
  operation: string;
  accessKeyId: string | undefined;
  /** The region of the signing scope (the SDK's client region). */
  region: string | undefined;
  keyId?: string | undefined;
  encryptionContext?: Record<string, string> | undefined;
  roleArn?: string | undefined;
  roleSessionName?: string | undefined;
  /** HTTP status sent, or 0 when the connection was reset. */
  status: number;
  /** The error `__type` / code sent, if any. */
  error?: string | undefined;
  fault?: AwsKmsFault["kind"] | undefined;
}

export interface AwsKmsFake {
  url: string;
  port: number;
  region: string;
  account: string;
  /** A known static access key. */
  credentials: { accessKeyId: string; secretAccessKey: string };
  calls: AwsKmsFakeCall[];
  createKey(options?: CreateKeyOptions): FakeKmsKey;
  createRole(name: string, allow?: string[]): FakeRole;
  addAccessKey(): FakeAccessKey;
  inject(fault: AwsKmsFault): void;
  /** Milliseconds added to every KMS answer (a network round trip); settable at any time. */
  latencyMs: number;
  close(): Promise<void>;
}

const MAX_BODY = 1 << 20;

export async function startAwsKmsFake(options: { region?: string; latencyMs?: number } = {}): Promise<AwsKmsFake> {
  const account = new FakeAwsAccount(options.region ?? "us-east-1");
  const primary = account.addAccessKey();
  const calls: AwsKmsFakeCall[] = [];
  const faults: Array<{ fault: AwsKmsFault; left: number }> = [];
  /** Ends pending delays early on close. */
  const delays = new Set<() => void>();
  let latencyMs = options.latencyMs ?? 0;

  /** Waits `ms` (ended early by close). */
  function pause(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const finish = (): void => {
        clearTimeout(timer);
        delays.delete(finish);
        resolve();
      };
      const timer = setTimeout(finish, ms);
      delays.add(finish);
    });
  }

  function takeFault(): AwsKmsFault | undefined {
    const next = faults[0];
    if (next === undefined) return undefined;
    next.left -= 1;
    if (next.left <= 0) faults.shift();
    return next.fault;
  }

  function sendJson(res: ServerResponse, status: number, body: unknown): void {
    const payload = JSON.stringify(body);
    res.writeHead(status, { "content-type": "application/x-amz-json-1.1", "content-length": Buffer.byteLength(payload), "x-amzn-requestid": "fake" });
    res.end(payload);
  }

  function authenticate(req: IncomingMessage): { caller?: FakeAccessKey; region?: string; accessKeyId?: string } {
    const scope = signingScope(req.headers);
    if (scope === undefined) return {};
    const known = account.accessKeys.get(scope.accessKeyId);
    const tokenOk = known?.sessionToken === undefined || req.headers["x-amz-security-token"] === known.sessionToken;
    return { ...(known !== undefined && tokenOk ? { caller: known } : {}), region: scope.region, accessKeyId: scope.accessKeyId };
  }

  async function serveKms(req: IncomingMessage, res: ServerResponse, raw: string, target: string): Promise<void> {
    const operation = target.slice(target.indexOf(".") + 1);
    const auth = authenticate(req);
    const call: AwsKmsFakeCall = { operation, accessKeyId: auth.accessKeyId, region: auth.region, status: 0 };
    calls.push(call);
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(raw || "{}") as Record<string, unknown>;
      call.keyId = typeof body.KeyId === "string" ? body.KeyId : undefined;
      call.encryptionContext = contextOf(body);
    } catch {
      // reported below as a validation error
    }
    const fault = takeFault();
    if (fault !== undefined) {
      call.fault = fault.kind;
      if (fault.kind === "reset") {
        req.socket.destroy();
        return;
      }
      if (fault.kind === "throttle") {
        call.status = 400;
        call.error = "ThrottlingException";
        sendJson(res, 400, { __type: "ThrottlingException", message: "Rate exceeded" });
        return;
      }
      if (fault.kind === "server-error") {
        call.status = fault.status ?? 500;
        call.error = "KMSInternalException";
        sendJson(res, call.status, { __type: "KMSInternalException", message: "internal error" });
        return;
      }
      // delay: answer normally later (the client may have given up by then)
      await pause(fault.ms);
      if (res.destroyed) return;
    }
    if (latencyMs > 0) {
      await pause(latencyMs);
      if (res.destroyed) return;
    }
    let status = 200;
    let response: Record<string, unknown>;
    try {
      if (auth.caller === undefined) {
        throw new KmsApiError("UnrecognizedClientException", "The security token included in the request is invalid.");
      }
      response = handleKms(account, { operation, body, caller: auth.caller, region: auth.region ?? "" });
    } catch (error) {
      const apiError = error instanceof KmsApiError ? error : new KmsApiError("SerializationException", "malformed request");
      status = apiError.status;
      call.error = apiError.type;
      response = { __type: apiError.type, message: apiError.message };
    }
    call.status = status;
    sendJson(res, status, response);
  }

  function serveSts(req: IncomingMessage, res: ServerResponse, raw: string): void {
    const auth = authenticate(req);
    const form = new URLSearchParams(raw);
    const result = auth.caller === undefined ? stsError(403, "InvalidClientTokenId", "The security token included in the request is invalid.") : handleSts(account, form, auth.caller);
    calls.push({
      operation: form.get("Action") ?? "",
      accessKeyId: auth.accessKeyId,
      region: auth.region,
      roleArn: form.get("RoleArn") ?? undefined,
      roleSessionName: form.get("RoleSessionName") ?? undefined,
      status: result.status,
      ...(result.status === 200 ? {} : { error: /<Code>([^<]*)<\/Code>/.exec(result.xml)?.[1] }),
    });
    res.writeHead(result.status, { "content-type": "text/xml", "content-length": Buffer.byteLength(result.xml) });
    res.end(result.xml);
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) req.socket.destroy();
      else chunks.push(chunk);
    });
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      const target = req.headers["x-amz-target"];
      if (req.method !== "POST") {
        sendJson(res, 405, { __type: "UnknownOperationException", message: "" });
      } else if (typeof target === "string" && target.startsWith("TrentService.")) {
        void serveKms(req, res, raw, target);
      } else if (String(req.headers["content-type"] ?? "").startsWith("application/x-www-form-urlencoded")) {
        serveSts(req, res, raw);
      } else {
        sendJson(res, 400, { __type: "UnknownOperationException", message: "" });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    region: account.defaultRegion,
    account: account.account,
    credentials: { accessKeyId: primary.accessKeyId, secretAccessKey: primary.secretAccessKey },
    calls,
    createKey: (keyOptions) => account.createKey(keyOptions),
    createRole: (name, allow) => account.createRole(name, allow),
    addAccessKey: () => account.addAccessKey(),
    inject(fault) {
      faults.push({ fault, left: Math.max(1, fault.times ?? 1) });
    },
    get latencyMs() {
      return latencyMs;
    },
    set latencyMs(ms: number) {
      latencyMs = ms;
    },
    async close() {
      for (const finish of [...delays]) finish();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
