/**
 * A wire-level fake of HashiCorp Vault's transit engine on 127.0.0.1 (ephemeral port), so the
 * real node-vault client sends real HTTP. It checks `X-Vault-Token`, honours `X-Vault-Namespace`,
 * does real AES-256-GCM, answers with Vault's JSON shapes (`{"data":…}` / `{"errors":[…]}`) and
 * injects faults on demand: throttling (429), 500, sealed (503), a delay beyond the client's
 * timeout, or a reset connection.
 *
 * Routes: GET /v1/sys/health; /v1/<mount…>/encrypt/<key>, /decrypt/<key> (PUT or POST);
 * /v1/<mount…>/keys/<key> (POST/PUT creates, GET reads). Mounts may contain slashes.
 */
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { TransitKeyring, TransitUserError } from "./transit-keys.js";

export type VaultFault =
  | { kind: "throttle" | "error500" | "sealed" | "reset"; times?: number }
  | { kind: "delay"; delayMs: number; times?: number };

export interface VaultCall {
  method: string;
  path: string;
  token: string | undefined;
  namespace: string | undefined;
  body: Record<string, unknown> | undefined;
}

export interface VaultFakeOptions {
  /** Tokens the fake accepts (default: one generated root token, see `rootToken`). */
  tokens?: string[];
  /** Real Vault creates a missing key on encrypt when the token may `create`; off by default. */
  upsertOnEncrypt?: boolean;
}

export interface VaultFake {
  /** `http://127.0.0.1:<port>`, the `vault_address` to use. */
  url: string;
  port: number;
  rootToken: string;
  /** Every request received, in order (health checks included). */
  calls: VaultCall[];
  /** Queues a fault for the next `times` (default 1) transit/keys requests. */
  inject(fault: VaultFault): void;
  /** Drops every queued fault. */
  clearFaults(): void;
  /** Creates a transit key (and its mount); `namespace` "" is the root namespace. */
  createKey(mount: string, name: string, namespace?: string): void;
  /** Adds a key version; returns the new latest version. */
  rotateKey(mount: string, name: string, namespace?: string): number;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 1024 * 1024;

export async function startVaultFake(options: VaultFakeOptions = {}): Promise<VaultFake> {
  const rootToken = `hvs.fake-${randomUUID()}`;
  const tokens = new Set(options.tokens ?? [rootToken]);
  const keyring = new TransitKeyring();
  keyring.addMount("", "transit");
  const faults: Array<{ fault: VaultFault; remaining: number }> = [];
  const calls: VaultCall[] = [];
  const timers = new Set<NodeJS.Timeout>();

  const takeFault = (): VaultFault | undefined => {
    const head = faults[0];
    if (head === undefined) return undefined;
    head.remaining -= 1;
    if (head.remaining <= 0) faults.shift();
    return head.fault;
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    const token = header(request, "x-vault-token");
    const namespace = normalizeNamespace(header(request, "x-vault-namespace"));
    const raw = await readBody(request);
    let body: Record<string, unknown> | undefined;
    if (raw.length > 0) {
      try {
        const parsed: unknown = JSON.parse(raw.toString("utf8"));
        body = typeof parsed === "object" && parsed !== null ? (parsed as Record<string, unknown>) : undefined;
      } catch {
        return send(response, 400, { errors: ["failed to parse JSON input"] });
      }
    }
    const method = request.method ?? "GET";
    calls.push({ method, path: url.pathname, token, namespace: namespace === "" ? undefined : namespace, body });

    if (url.pathname === "/v1/sys/health") {
      const sealed = faults[0]?.fault.kind === "sealed";
      return send(response, sealed ? 503 : 200, { initialized: true, sealed, standby: false, version: "1.17.0+fake" });
    }

    const fault = takeFault();
    if (fault !== undefined) {
      switch (fault.kind) {
        case "reset":
          request.socket.destroy();
          return;
        case "throttle":
          return send(response, 429, { errors: [`request path "${url.pathname.slice(4)}": rate limit quota exceeded`] });
        case "error500":
          return send(response, 500, { errors: ["internal error"] });
        case "sealed":
          return send(response, 503, { errors: ["Vault is sealed"] });
        case "delay":
          await new Promise<void>((resolve) => {
            const timer = setTimeout(() => {
              timers.delete(timer);
              resolve();
            }, fault.delayMs);
            timers.add(timer);
          });
          if (response.destroyed || request.socket.destroyed) return;
          break;
      }
    }

    if (token === undefined || !tokens.has(token)) return send(response, 403, { errors: ["permission denied"] });
    const route = parseTransitRoute(url.pathname);
    if (route === undefined || !keyring.hasMount(namespace, route.mount)) {
      return send(response, 404, { errors: [`no handler for route "${url.pathname.slice(4)}". route entry not found.`] });
    }
    const write = method === "POST" || method === "PUT";
    try {
      if (route.operation === "keys") {
        if (write) {
          keyring.create(namespace, route.mount, route.key);
          return send(response, 204);
        }
        if (method !== "GET") return send(response, 405, { errors: ["1 error occurred:\n\t* unsupported operation\n\n"] });
        if (!keyring.has(namespace, route.mount, route.key)) return send(response, 404, { errors: [] });
        return sendData(response, {
          name: route.key,
          type: "aes256-gcm96",
          latest_version: keyring.latestVersion(namespace, route.mount, route.key),
        });
      }
      if (!write) return send(response, 405, { errors: ["1 error occurred:\n\t* unsupported operation\n\n"] });
      if (route.operation === "encrypt") {
        if (options.upsertOnEncrypt === true) keyring.create(namespace, route.mount, route.key);
        const ciphertext = keyring.encrypt(namespace, route.mount, route.key, body?.["plaintext"]);
        return sendData(response, { ciphertext, key_version: Number(ciphertext.split(":")[1]?.slice(1)) });
      }
      return sendData(response, { plaintext: keyring.decrypt(namespace, route.mount, route.key, body?.["ciphertext"]) });
    } catch (error) {
      if (error instanceof TransitUserError) return send(response, 400, { errors: [error.message] });
      throw error;
    }
  };

  const server = createServer((request, response) => {
    handle(request, response).catch(() => {
      if (!response.headersSent) send(response, 500, { errors: ["internal error"] });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    rootToken,
    calls,
    inject(fault) {
      faults.push({ fault, remaining: Math.max(1, fault.times ?? 1) });
    },
    clearFaults() {
      faults.length = 0;
    },
    createKey(mount, name, namespace = "") {
      keyring.create(normalizeNamespace(namespace), mount, name);
    },
    rotateKey(mount, name, namespace = "") {
      return keyring.rotate(normalizeNamespace(namespace), mount, name);
    },
    async close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** `/v1/<mount…>/<encrypt|decrypt|keys>/<key>`; the mount is every segment before the operation. */
function parseTransitRoute(pathname: string): { mount: string; operation: "encrypt" | "decrypt" | "keys"; key: string } | undefined {
  const segments = pathname.split("/").filter((segment) => segment !== "").map(decodeURIComponent);
  if (segments[0] !== "v1" || segments.length < 4) return undefined;
  const operation = segments[segments.length - 2];
  const key = segments[segments.length - 1] ?? "";
  if (operation !== "encrypt" && operation !== "decrypt" && operation !== "keys") return undefined;
  return { mount: segments.slice(1, -2).join("/"), operation, key };
}

function normalizeNamespace(namespace: string | undefined): string {
  return (namespace ?? "").replace(/^\/+|\/+$/g, "");
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) break;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function sendData(response: ServerResponse, data: Record<string, unknown>): void {
  send(response, 200, { request_id: randomUUID(), lease_id: "", renewable: false, lease_duration: 0, data, wrap_info: null, warnings: null, auth: null });
}

function send(response: ServerResponse, status: number, body?: unknown): void {
  if (body === undefined) {
    response.writeHead(status).end();
    return;
  }
  const text = JSON.stringify(body);
  response.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) }).end(text);
}
