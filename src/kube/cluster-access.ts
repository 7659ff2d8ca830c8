/**
 * How requests reach one cluster: its server URL and the TLS material and credentials each
 * request carries. Plain kubeconfigs (token, token file, client certificate, basic auth,
 * in-cluster service account) are handled here with node:https alone; exec credential plugins
 * and auth-providers (EKS, GKE, AKS, OIDC logins) go through `@kubernetes/client-node`, which
 * is imported only then (it costs ~0.5 s of start-up).
 */
import { readFileSync } from "node:fs";
import type { RequestOptions } from "node:https";
import type { KubeConfig } from "@kubernetes/client-node";

export interface ClusterAccess {
  /** The API server URL without a trailing slash. */
  readonly server: string;
  /** Add TLS settings and the Authorization header to a request's options. */
  applyTo(options: RequestOptions): Promise<void>;
}

/** The TLS and credential settings of a kubeconfig cluster + user, already resolved to bytes. */
export interface StaticCredentials {
  server: string;
  ca?: Buffer | undefined;
  insecureSkipTlsVerify?: boolean | undefined;
  tlsServerName?: string | undefined;
  clientCert?: Buffer | undefined;
  clientKey?: Buffer | undefined;
  token?: string | undefined;
  /** Re-read at most every minute: projected service-account tokens rotate. */
  tokenFile?: string | undefined;
  username?: string | undefined;
  password?: string | undefined;
}

const TOKEN_FILE_TTL_MS = 60_000;

export function staticAccess(credentials: StaticCredentials): ClusterAccess {
  let cachedToken: { value: string; readAt: number } | undefined;
  const token = (): string | undefined => {
    if (credentials.tokenFile === undefined) return credentials.token;
    const now = Date.now();
    if (cachedToken === undefined || now - cachedToken.readAt > TOKEN_FILE_TTL_MS) {
      cachedToken = { value: readFileSync(credentials.tokenFile, "utf8").trim(), readAt: now };
    }
    return cachedToken.value;
  };
  return {
    server: credentials.server.replace(/\/+$/, ""),
    applyTo(options) {
      if (credentials.ca !== undefined) options.ca = credentials.ca;
      if (credentials.insecureSkipTlsVerify === true) options.rejectUnauthorized = false;
      if (credentials.tlsServerName !== undefined) options.servername = credentials.tlsServerName;
      if (credentials.clientCert !== undefined) options.cert = credentials.clientCert;
      if (credentials.clientKey !== undefined) options.key = credentials.clientKey;
      const headers = (options.headers ??= {}) as Record<string, string>;
      const bearer = token();
      if (bearer !== undefined && bearer !== "") {
        headers.authorization = `Bearer ${bearer}`;
      } else if (credentials.username !== undefined && credentials.password !== undefined) {
        headers.authorization = `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString("base64")}`;
      }
      return Promise.resolve();
    },
  };
}

/** Access through client-node's KubeConfig (exec plugins, auth-providers). */
export function kubeConfigAccess(config: KubeConfig): ClusterAccess {
  const cluster = config.getCurrentCluster();
  if (cluster === null) throw new Error("the kubeconfig's current context names no cluster");
  return {
    server: cluster.server.replace(/\/+$/, ""),
    applyTo: (options) => config.applyToHTTPSOptions(options),
  };
}
