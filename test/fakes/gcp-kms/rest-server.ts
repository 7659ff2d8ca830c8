/**
 * The REST face of the GCP KMS fake: `POST /v1/{name}:encrypt|decrypt` with proto3 JSON bodies
 * (bytes as standard base64) and Google's JSON error shape `{"error":{code,message,status}}`,
 * which google-gax's REST transport turns back into a gRPC status code.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { KmsFakeCore, KmsFakeStatus } from "./core.js";

const MAX_BODY = 1 << 20;
const ROUTE = /^\/v1\/(projects\/[^:?]+):(encrypt|decrypt)(?:\?.*)?$/;

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) request.destroy(new Error("body too large"));
      else chunks.push(chunk);
    });
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

function send(response: ServerResponse, status: number, body: unknown): void {
  if (response.destroyed) return;
  response.writeHead(status, { "content-type": "application/json; charset=UTF-8" });
  response.end(JSON.stringify(body));
}

function sendStatus(response: ServerResponse, status: KmsFakeStatus): void {
  send(response, status.httpStatus, { error: { code: status.httpStatus, message: status.message, status: status.status } });
}

function bytesField(body: Record<string, unknown>, field: string): Buffer | undefined {
  const value = body[field];
  return typeof value === "string" ? Buffer.from(value, "base64") : undefined;
}

export interface RestFakeServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startRestKmsServer(core: KmsFakeCore): Promise<RestFakeServer> {
  const timers = new Set<NodeJS.Timeout>();
  const server = createServer((request, response) => {
    void (async () => {
      const match = ROUTE.exec(request.url ?? "");
      if (request.method !== "POST" || match === null) {
        sendStatus(response, { grpcCode: 12, httpStatus: 404, status: "NOT_FOUND", message: "unknown route" });
        return;
      }
      let body: Record<string, unknown>;
      try {
        body = JSON.parse((await readBody(request)) || "{}") as Record<string, unknown>;
      } catch {
        sendStatus(response, { grpcCode: 3, httpStatus: 400, status: "INVALID_ARGUMENT", message: "invalid JSON payload" });
        return;
      }
      const method = match[2] === "encrypt" ? "encrypt" : "decrypt";
      const plaintext = bytesField(body, "plaintext");
      const ciphertext = bytesField(body, "ciphertext");
      const aad = bytesField(body, "additionalAuthenticatedData");
      const result = core.handle({
        method,
        transport: "rest",
        name: decodeURIComponent(match[1] ?? ""),
        authorization: request.headers.authorization,
        ...(plaintext === undefined ? {} : { plaintext }),
        ...(ciphertext === undefined ? {} : { ciphertext }),
        ...(aad === undefined ? {} : { aad }),
      });
      const answer = (): void => {
        if (result.error !== undefined) sendStatus(response, result.error.status);
        else if (result.response !== undefined) {
          const { name, plaintext: clear, ciphertext: blob } = result.response;
          send(response, 200, method === "encrypt" ? { name, ciphertext: Buffer.from(blob ?? []).toString("base64") } : { plaintext: Buffer.from(clear ?? []).toString("base64") });
        }
      };
      const directive = result.directive;
      if (directive !== undefined && "reset" in directive) request.socket.destroy();
      else if (directive !== undefined) {
        const timer = setTimeout(() => {
          timers.delete(timer);
          answer();
        }, directive.delayMs);
        timers.add(timer);
        response.on("close", () => {
          if (!response.writableEnded) core.abandoned++;
        });
      } else answer();
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
