/**
 * A fake Kubernetes API server for fault injection: enough of the API for `coffer apply`
 * (discovery of the core and apps groups, GET, LIST with an equality label selector,
 * server-side apply PATCH with dry run and a 409 on demand, merge PATCH, DELETE), plus faults on
 * demand (any status with an optional Retry-After, or no answer at all). Plain HTTP on loopback
 * with a bearer token; it records every request.
 */
import { writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";

type Json = Record<string, unknown>;

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  contentType: string | undefined;
  body: string;
}

export interface Fault {
  method?: string;
  /** Matches when the request path contains this. */
  path?: string;
  /** HTTP status to answer; omitted with `hang`. */
  status?: number;
  retryAfter?: string;
  /** Never answer (the client's timeout must fire). */
  hang?: boolean;
  /** How many matching requests to fail (default: all). */
  times?: number;
  /** For 409s: the manager and field reported as conflicting. */
  conflict?: { manager: string; field: string };
}

const CORE: Array<[string, string, boolean]> = [
  ["secrets", "Secret", true],
  ["configmaps", "ConfigMap", true],
  ["namespaces", "Namespace", false],
  ["serviceaccounts", "ServiceAccount", true],
];
const APPS: Array<[string, string, boolean]> = [
  ["deployments", "Deployment", true],
  ["statefulsets", "StatefulSet", true],
  ["daemonsets", "DaemonSet", true],
];

export interface KubeApiFake {
  url: string;
  token: string;
  requests: RecordedRequest[];
  /** Stored objects by API path (`/api/v1/namespaces/default/secrets/db`). */
  objects: Map<string, Json>;
  /** TCP connections accepted so far (keep-alive keeps this low). */
  connections(): number;
  fail(fault: Fault): void;
  clearFaults(): void;
  /** Writes a kubeconfig for this server into `dir` and returns its path. */
  kubeconfig(dir: string, namespace?: string): string;
  close(): Promise<void>;
}

function status(code: number, reason: string, message: string, causes?: Json[]): Json {
  return { kind: "Status", apiVersion: "v1", status: "Failure", code, reason, message, ...(causes === undefined ? {} : { details: { causes } }) };
}

export async function startKubeApiFake(): Promise<KubeApiFake> {
  const token = "fake-token";
  const requests: RecordedRequest[] = [];
  const objects = new Map<string, Json>();
  let faults: Array<Fault & { used: number }> = [];
  let version = 1;
  const hanging = new Set<ServerResponse>();

  const send = (res: ServerResponse, code: number, body: Json, headers: Record<string, string> = {}): void => {
    res.writeHead(code, { "content-type": "application/json", ...headers });
    res.end(JSON.stringify(body));
  };

  const discovery = (path: string): Json | undefined => {
    const list = path === "/api/v1" ? CORE : path === "/apis/apps/v1" ? APPS : undefined;
    if (list === undefined) return undefined;
    return { kind: "APIResourceList", groupVersion: path === "/api/v1" ? "v1" : "apps/v1", resources: list.map(([name, kind, namespaced]) => ({ name, kind, namespaced, verbs: ["get", "list", "patch", "delete"] })) };
  };

  const handle = (req: IncomingMessage, body: string, res: ServerResponse): void => {
    const url = new URL(req.url ?? "/", "http://fake");
    const path = url.pathname;
    const query = Object.fromEntries(url.searchParams);
    const method = req.method ?? "GET";
    requests.push({ method, path, query, contentType: req.headers["content-type"], body });
    if (req.headers.authorization !== `Bearer ${token}`) return send(res, 401, status(401, "Unauthorized", "Unauthorized"));

    const fault = faults.find((f) => (f.method === undefined || f.method === method) && (f.path === undefined || path.includes(f.path)) && (f.times === undefined || f.used < f.times));
    if (fault !== undefined) {
      fault.used++;
      if (fault.hang === true) {
        hanging.add(res);
        return;
      }
      const code = fault.status ?? 500;
      const causes = fault.conflict === undefined ? undefined : [{ type: "FieldManagerConflict", message: `conflict with "${fault.conflict.manager}" using v1`, field: fault.conflict.field }];
      const reason = code === 409 ? "Conflict" : code === 403 ? "Forbidden" : code === 429 ? "TooManyRequests" : "InternalError";
      return send(res, code, status(code, reason, `injected ${code}`, causes), fault.retryAfter === undefined ? {} : { "retry-after": fault.retryAfter });
    }

    const groupVersion = discovery(path);
    if (method === "GET" && groupVersion !== undefined) return send(res, 200, groupVersion);
    if (method === "GET" && objects.has(path)) return send(res, 200, objects.get(path)!);
    if (method === "GET" && isCollection(path)) {
      // Objects directly in the collection, or in any namespace when the path names none.
      const [key, value] = (query.labelSelector ?? "").split("=");
      const items = [...objects]
        .filter(([objectPath]) => {
          const collection = objectPath.slice(0, objectPath.lastIndexOf("/"));
          return collection === path || collection.replace(/\/namespaces\/[^/]+/, "") === path;
        })
        .map(([, object]) => object)
        .filter((object) => key === undefined || key === "" || ((object.metadata as Json).labels as Json | undefined)?.[key] === value);
      return send(res, 200, { kind: "List", items });
    }
    if (method === "GET") return send(res, 404, status(404, "NotFound", "not found"));
    if (method === "PATCH") {
      const existing = objects.get(path);
      const patch = JSON.parse(body) as Json;
      if (req.headers["content-type"] === "application/apply-patch+yaml") {
        const metadata = { ...((existing?.metadata as Json | undefined) ?? {}), ...(patch.metadata as Json) };
        const next: Json = {
          ...patch,
          metadata: { ...metadata, uid: metadata.uid ?? `uid-${version}`, resourceVersion: String(++version), managedFields: [{ manager: query.fieldManager, operation: "Apply" }] },
        };
        if (query.dryRun !== "All") objects.set(path, next);
        return send(res, existing === undefined ? 201 : 200, next);
      }
      if (existing === undefined) return send(res, 404, status(404, "NotFound", "not found"));
      const merged = mergePatch(existing, patch);
      objects.set(path, merged);
      return send(res, 200, merged);
    }
    if (method === "DELETE") {
      const existing = objects.get(path);
      if (existing === undefined) return send(res, 404, status(404, "NotFound", "not found"));
      const options = body === "" ? {} : (JSON.parse(body) as Json);
      if (!Array.isArray(options.dryRun)) objects.delete(path);
      return send(res, 200, existing);
    }
    return send(res, 405, status(405, "MethodNotAllowed", "method not allowed"));
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => handle(req, Buffer.concat(chunks).toString("utf8"), res));
  });
  let connections = 0;
  server.on("connection", () => connections++);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    token,
    requests,
    objects,
    connections: () => connections,
    fail: (fault) => faults.push({ ...fault, used: 0 }),
    clearFaults: () => {
      faults = [];
    },
    kubeconfig(dir, namespace = "default") {
      const path = join(dir, "kubeconfig");
      writeFileSync(
        path,
        [
          "apiVersion: v1",
          "kind: Config",
          "clusters:",
          `- name: fake\n  cluster:\n    server: ${url}\n    insecure-skip-tls-verify: true`,
          "users:",
          `- name: fake\n  user:\n    token: ${token}`,
          "contexts:",
          `- name: fake\n  context:\n    cluster: fake\n    user: fake\n    namespace: ${namespace}`,
          "current-context: fake",
          "",
        ].join("\n"),
      );
      return path;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** `/api/v1/secrets`, `/api/v1/namespaces/NS/secrets`, `/apis/apps/v1/namespaces/NS/deployments`. */
function isCollection(path: string): boolean {
  const parts = path.split("/").filter(Boolean);
  const base = parts[0] === "api" ? 2 : 3;
  return parts.length === base + 1 || (parts[base] === "namespaces" && parts.length === base + 3);
}

function mergePatch(target: Json, patch: Json): Json {
  const out: Json = { ...target };
  for (const [key, value] of Object.entries(patch)) {
    const current = out[key];
    if (value === null) delete out[key];
    else if (typeof value === "object" && !Array.isArray(value) && typeof current === "object" && current !== null && !Array.isArray(current)) out[key] = mergePatch(current as Json, value as Json);
    else out[key] = value;
  }
  return out;
}
