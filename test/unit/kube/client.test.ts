import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KubeClient, type KubeRequest } from "../../../src/kube/client.js";
import { staticAccess } from "../../../src/kube/cluster-access.js";
import { isCofferError } from "../../../src/errors.js";

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

describe("KubeClient", () => {
  let server: Server;
  let url: string;
  let handler: Handler = (_req, res) => res.end("{}");
  const seen: { method: string; url: string; auth: string | undefined; contentType: string | undefined }[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        seen.push({ method: req.method ?? "", url: req.url ?? "", auth: req.headers.authorization, contentType: req.headers["content-type"] });
        handler(req, res, Buffer.concat(chunks).toString("utf8"));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  async function client(options: ConstructorParameters<typeof KubeClient>[1] = {}): Promise<KubeClient> {
    const config = staticAccess({ server: url, insecureSkipTlsVerify: true, token: "sekrit-token" });
    return new KubeClient(config, { backoffMs: 1, ...options });
  }

  const patch: KubeRequest = {
    method: "PATCH",
    path: "/api/v1/namespaces/app/secrets/db",
    query: { fieldManager: "coffer", force: false, dryRun: undefined },
    body: { kind: "Secret" },
    contentType: "application/apply-patch+yaml",
    what: { verb: "patch", resource: "secrets", namespace: "app", name: "db" },
  };

  async function failure(promise: Promise<unknown>): Promise<{ code: string; status: number; message: string; hint: string | undefined }> {
    try {
      await promise;
    } catch (error) {
      if (!isCofferError(error)) throw error;
      return { code: error.code, status: (error as unknown as { status: number }).status, message: error.message, hint: error.hint };
    }
    throw new Error("expected a failure");
  }

  it("sends the token, the query and the content type, and parses the JSON answer", async () => {
    seen.length = 0;
    handler = (_req, res, body) => res.end(JSON.stringify({ echoed: JSON.parse(body) as unknown }));
    const answer = await (await client()).request<{ echoed: unknown }>(patch);
    expect(answer.echoed).toEqual({ kind: "Secret" });
    expect(seen[0]).toEqual({
      method: "PATCH",
      url: "/api/v1/namespaces/app/secrets/db?fieldManager=coffer&force=false",
      auth: "Bearer sekrit-token",
      contentType: "application/apply-patch+yaml",
    });
  });

  it("retries 429 and 503, honouring Retry-After, then succeeds", async () => {
    seen.length = 0;
    let calls = 0;
    handler = (_req, res) => {
      calls++;
      if (calls === 1) res.writeHead(429, { "retry-after": "0" }).end("{}");
      else if (calls === 2) res.writeHead(503).end("{}");
      else res.end('{"ok":true}');
    };
    expect(await (await client()).request(patch)).toEqual({ ok: true });
    expect(seen).toHaveLength(3);
  });

  it("gives up after its retries with CLUSTER_REQUEST_FAILED", async () => {
    seen.length = 0;
    handler = (_req, res) => res.writeHead(500).end('{"kind":"Status","code":500,"message":"etcd down"}');
    const failed = await failure((await client({ retries: 2 })).request(patch));
    expect(failed.code).toBe("CLUSTER_REQUEST_FAILED");
    expect(seen).toHaveLength(3);
  });

  it("maps 403 to CLUSTER_DENIED naming the verb, resource and namespace", async () => {
    handler = (_req, res) => res.writeHead(403).end('{"kind":"Status","code":403,"reason":"Forbidden","message":"secrets \\"db\\" is forbidden"}');
    const failed = await failure((await client()).request(patch));
    expect(failed.code).toBe("CLUSTER_DENIED");
    expect(failed.status).toBe(403);
    expect(failed.message).toContain("patch secrets/db in namespace app");
    expect(failed.hint).toContain("kubectl auth can-i patch secrets -n app");
  });

  it("maps 409 to CLUSTER_CONFLICT with the server's reason", async () => {
    handler = (_req, res) =>
      res.writeHead(409).end(JSON.stringify({ kind: "Status", code: 409, reason: "Conflict", message: 'Apply failed with 1 conflict: conflict with "kubectl": .data.password' }));
    const failed = await failure((await client()).request(patch));
    expect(failed.code).toBe("CLUSTER_CONFLICT");
    expect(failed.message).toContain('conflict with "kubectl"');
  });

  it("times out a request that gets no answer, retries it, and reports CLUSTER_UNREACHABLE", async () => {
    seen.length = 0;
    handler = () => undefined; // never answers
    const failed = await failure((await client({ timeoutMs: 50, retries: 1 })).request(patch));
    expect(failed.code).toBe("CLUSTER_UNREACHABLE");
    expect(seen).toHaveLength(2);
    expect(failed.message).not.toContain("sekrit-token");
  });

  it("keeps one connection alive across requests (client-node would hand out a new agent each time)", async () => {
    handler = (_req, res) => res.end("{}");
    let connections = 0;
    const count = (): void => {
      connections++;
    };
    server.on("connection", count);
    const kube = await client();
    try {
      for (let i = 0; i < 5; i++) await kube.request({ method: "GET", path: "/api/v1", what: { verb: "get", resource: "discovery" } });
    } finally {
      kube.close();
      server.off("connection", count);
    }
    expect(connections).toBe(1);
  });
});
