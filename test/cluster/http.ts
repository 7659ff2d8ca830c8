/**
 * Minimal HTTP(S) requests for health probes and raw API calls. The test apiserver serves a
 * self-signed certificate from its temp cert dir, so TLS verification is off here (loopback
 * only, test-only code).
 */
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";

export interface RequestOptions {
  method?: string;
  /** Sent as `Authorization: Bearer ...`. */
  token?: string;
  body?: string;
  contentType?: string;
  timeoutMs?: number;
}

/** Status and body text of one request; rejects only on transport errors and timeouts. */
export function requestText(url: string, options: RequestOptions = {}): Promise<{ status: number; body: string }> {
  const headers: Record<string, string> = {};
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  if (options.contentType !== undefined) headers["content-type"] = options.contentType;
  const send = url.startsWith("https:") ? httpsRequest : httpRequest;
  const method = options.method ?? "GET";
  return new Promise((resolve, reject) => {
    const req = send(url, { method, headers, rejectUnauthorized: false, timeout: options.timeoutMs ?? 5000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", reject);
    });
    req.on("timeout", () => req.destroy(new Error(`${method} ${url} timed out`)));
    req.on("error", reject);
    req.end(options.body);
  });
}

/** `GET url` with an optional bearer token (a short timeout: used for polling). */
export function getText(url: string, token?: string): Promise<{ status: number; body: string }> {
  return requestText(url, token === undefined ? { timeoutMs: 2000 } : { token, timeoutMs: 2000 });
}
