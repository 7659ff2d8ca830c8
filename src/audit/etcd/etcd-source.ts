/**
 * Paginated reads straight from etcd (v3 API, through the `etcd3` client, imported lazily): a
 * prefix is read `pageSize` keys at a time, each page starting just after the last key of the
 * previous one, all at the revision of the first page, so memory stays bounded and the scan is
 * one consistent snapshot.
 */
import { readFile } from "node:fs/promises";
import { CofferError } from "../../errors.js";

export interface EtcdPage {
  kvs: Array<{ key: Buffer; value: Buffer }>;
  more: boolean;
  /** The store revision the page was read at. */
  revision: string;
}

/** The one call the audit needs; a fake in unit tests, etcd3 in real life. */
export interface EtcdSource {
  range(start: Buffer, end: Buffer, limit: number, revision: string | undefined): Promise<EtcdPage>;
  close(): void;
}

export interface EtcdConnectOptions {
  endpoints: string[];
  cacert?: string | undefined;
  cert?: string | undefined;
  key?: string | undefined;
  /** Deadline per call (default 15 s). */
  timeoutMs?: number;
}

/** The end of the range holding every key that starts with `prefix` (etcd's `--prefix`). */
export function prefixEnd(prefix: Buffer): Buffer {
  const end = Buffer.from(prefix);
  for (let i = end.length - 1; i >= 0; i--) {
    if (end[i]! < 0xff) {
      end[i]! += 1;
      return end.subarray(0, i + 1);
    }
  }
  return Buffer.from([0]); // all keys
}

/** Every key under `prefix`, `pageSize` at a time. Yields pages; the caller keeps what it needs. */
export async function* scanPrefix(source: EtcdSource, prefix: string, pageSize: number, revision?: string): AsyncGenerator<EtcdPage> {
  const start = Buffer.from(prefix, "utf8");
  const end = prefixEnd(start);
  let from = start;
  let at = revision;
  for (;;) {
    const page = await source.range(from, end, pageSize, at);
    at ??= page.revision;
    yield { ...page, revision: at };
    const last = page.kvs.at(-1);
    if (!page.more || last === undefined) return;
    from = Buffer.concat([last.key, Buffer.from([0])]);
  }
}

async function readPem(path: string | undefined, flag: string): Promise<Buffer | undefined> {
  if (path === undefined) return undefined;
  try {
    return await readFile(path);
  } catch (cause) {
    throw new CofferError("INPUT_UNREADABLE", `cannot read ${flag} ${path}`, { hint: `${flag} takes a PEM file`, cause });
  }
}

function unreachable(endpoints: readonly string[], cause: unknown): CofferError {
  const reason = (cause instanceof Error ? cause.message : String(cause)).split("\n")[0]!.replace(/\s*Resolution note:.*$/, "").slice(0, 200);
  if (/compacted/i.test(reason)) {
    return new CofferError("CLUSTER_REQUEST_FAILED", `etcd compacted the revision this audit was reading at: ${reason}`, {
      hint: "run the audit again (a scan this long races etcd's compaction; a larger --page-size makes it shorter)",
      cause,
    });
  }
  const denied = /permission denied|authentication|unauthenticated|PERMISSION_DENIED/i.test(reason);
  if (denied) {
    return new CofferError("CLUSTER_DENIED", `etcd at ${endpoints.join(",")} refused the read: ${reason}`, {
      hint: "use the client certificate kube-apiserver uses for etcd (--cert/--key, its --etcd-certfile/--etcd-keyfile)",
      cause,
    });
  }
  return new CofferError("CLUSTER_UNREACHABLE", `cannot read from etcd at ${endpoints.join(",")}: ${reason}`, {
    hint: "check --endpoints (kube-apiserver's --etcd-servers) and the TLS files (--cacert/--cert/--key); try `etcdctl --endpoints URL endpoint health`",
    cause,
  });
}

/** Open an etcd3 client for the endpoints; TLS when --cacert/--cert/--key are given or a URL is https. */
export async function connectEtcd(options: EtcdConnectOptions): Promise<EtcdSource> {
  if (options.endpoints.length === 0) throw new CofferError("USAGE", "no etcd endpoint given", { hint: "pass --endpoints https://HOST:2379" });
  for (const endpoint of options.endpoints) {
    if (!/^https?:\/\/[^/]+\/?$/.test(endpoint)) {
      throw new CofferError("USAGE", `--endpoints takes http(s)://HOST:PORT URLs, got '${endpoint.slice(0, 100)}'`, { hint: "e.g. --endpoints https://10.0.0.5:2379" });
    }
  }
  const [cacert, cert, key] = await Promise.all([readPem(options.cacert, "--cacert"), readPem(options.cert, "--cert"), readPem(options.key, "--key")]);
  if ((cert === undefined) !== (key === undefined)) throw new CofferError("USAGE", "--cert and --key go together", { hint: "pass both, or neither" });
  const tls = cacert !== undefined || cert !== undefined;
  if (tls && options.endpoints.some((e) => e.startsWith("http:"))) {
    throw new CofferError("USAGE", "TLS files given for an http:// endpoint", { hint: "use https:// endpoints with --cacert/--cert/--key" });
  }
  const { Etcd3 } = await import("etcd3");
  const timeoutMs = options.timeoutMs ?? 15_000;
  const client = new Etcd3({
    hosts: options.endpoints.map((e) => e.replace(/\/$/, "")),
    dialTimeout: timeoutMs,
    defaultCallOptions: () => ({ deadline: Date.now() + timeoutMs }),
    ...(tls
      ? { credentials: { // No --cacert: the system roots (grpc takes null for them).
          rootCertificate: cacert ?? (null as unknown as Buffer), ...(key === undefined ? {} : { privateKey: key }), ...(cert === undefined ? {} : { certChain: cert }) } }
      : {}),
  });
  return {
    async range(start, end, limit, revision) {
      try {
        const res = await client.kv.range({ key: start, range_end: end, limit, ...(revision === undefined ? {} : { revision }) });
        return { kvs: res.kvs.map((kv) => ({ key: kv.key, value: kv.value })), more: res.more, revision: res.header.revision };
      } catch (error) {
        throw unreachable(options.endpoints, error);
      }
    },
    close: () => client.close(),
  };
}
