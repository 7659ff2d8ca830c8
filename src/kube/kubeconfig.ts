/**
 * Which cluster to talk to, resolved the way kubectl does: `--kubeconfig`, else `$KUBECONFIG`
 * (colon-separated files, merged, first wins), else `~/.kube/config`, else the in-cluster service
 * account when running in a pod. Plain credentials are read here; a user with an exec plugin or
 * an auth-provider is handed to `@kubernetes/client-node`, imported only then. The environment is
 * passed in; this module never reads it itself.
 */
import { existsSync, readFileSync } from "node:fs";
import { delimiter, dirname, isAbsolute, join } from "node:path";
import { parse } from "yaml";
import { CofferError } from "../errors.js";
import { isRecord } from "../records.js";
import { kubeConfigAccess, staticAccess, type ClusterAccess } from "./cluster-access.js";

/** Where in a pod the service account's token, CA and namespace are mounted. */
export const SERVICE_ACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";

export interface KubeConfigOptions {
  /** `--kubeconfig`: one file, used alone. */
  kubeconfig?: string | undefined;
  /** `--context`: a context name from the kubeconfig (default: its current-context). */
  context?: string | undefined;
  /** The environment to read KUBECONFIG, KUBERNETES_SERVICE_HOST/PORT from. */
  env: Readonly<Record<string, string | undefined>>;
  homeDir: string;
  /** Where the in-cluster credentials live (tests point this elsewhere). */
  serviceAccountDir?: string;
}

/** How to reach the cluster, where that came from, and the context's namespace (default "default"). */
export interface ResolvedKubeConfig {
  access: ClusterAccess;
  source: string;
  namespace: string;
  /** The context used ("in-cluster" in a pod). */
  context: string;
}

type Fields = Record<string, unknown>;
interface Named {
  name: string;
  body: Fields;
  /** The directory of the file it came from: relative paths in it resolve against it. */
  dir: string;
}
interface MergedConfig {
  clusters: Map<string, Named>;
  users: Map<string, Named>;
  contexts: Map<string, Named>;
  currentContext: string | undefined;
}

export async function loadKubeConfig(options: KubeConfigOptions): Promise<ResolvedKubeConfig> {
  const files = kubeconfigFiles(options);
  if (files.length === 0) return loadInCluster(options);
  const source = files.join(delimiter);
  const merged = mergeFiles(files);
  const contextName = options.context ?? merged.currentContext;
  if (contextName === undefined || contextName === "") {
    throw new CofferError("KUBECONFIG_INVALID", `no current-context in ${source}`, {
      hint: "pick a context with --context, or run: kubectl config use-context NAME",
    });
  }
  const context = merged.contexts.get(contextName);
  if (context === undefined) {
    throw new CofferError("KUBECONFIG_INVALID", `no context '${contextName}' in ${source}`, {
      hint: "list the contexts with: kubectl config get-contexts",
    });
  }
  const cluster = merged.clusters.get(stringField(context.body, "cluster") ?? "");
  const server = cluster === undefined ? undefined : stringField(cluster.body, "server");
  if (cluster === undefined || server === undefined) {
    throw new CofferError("KUBECONFIG_INVALID", `context '${contextName}' in ${source} names no cluster with a server`, {
      hint: "check the context's cluster entry (kubectl config view)",
    });
  }
  const user = merged.users.get(stringField(context.body, "user") ?? "");
  const namespace = stringField(context.body, "namespace") ?? "default";
  const needsClientNode = user !== undefined && (user.body.exec !== undefined || user.body["auth-provider"] !== undefined);
  const access = needsClientNode
    ? await clientNodeAccess(files, contextName, source)
    : staticAccess({
        server,
        ca: bytes(cluster, "certificate-authority", source),
        insecureSkipTlsVerify: cluster.body["insecure-skip-tls-verify"] === true,
        tlsServerName: stringField(cluster.body, "tls-server-name"),
        clientCert: user === undefined ? undefined : bytes(user, "client-certificate", source),
        clientKey: user === undefined ? undefined : bytes(user, "client-key", source),
        token: user === undefined ? undefined : stringField(user.body, "token"),
        tokenFile: user === undefined ? undefined : pathField(user, "tokenFile"),
        username: user === undefined ? undefined : stringField(user.body, "username"),
        password: user === undefined ? undefined : stringField(user.body, "password"),
      });
  return { access, source, namespace, context: contextName };
}

/**
 * The kubeconfig files kubectl would read, in order: `--kubeconfig` alone (refused when missing),
 * else the existing files of `$KUBECONFIG`, else `~/.kube/config` when it exists; empty otherwise.
 */
export function kubeconfigFiles(options: Pick<KubeConfigOptions, "kubeconfig" | "env" | "homeDir">): string[] {
  if (options.kubeconfig !== undefined) {
    if (!existsSync(options.kubeconfig)) {
      throw new CofferError("KUBECONFIG_INVALID", `kubeconfig ${options.kubeconfig} does not exist`, {
        hint: "pass an existing file to --kubeconfig",
      });
    }
    return [options.kubeconfig];
  }
  const fromEnv = options.env.KUBECONFIG;
  if (fromEnv !== undefined && fromEnv !== "") {
    const files = fromEnv.split(delimiter).filter((f) => f !== "" && existsSync(f));
    if (files.length > 0) return files;
  }
  const home = join(options.homeDir, ".kube", "config");
  return existsSync(home) ? [home] : [];
}

/** kubectl's merge rule: the first file to define a name (or current-context) wins. */
function mergeFiles(files: readonly string[]): MergedConfig {
  const merged: MergedConfig = { clusters: new Map(), users: new Map(), contexts: new Map(), currentContext: undefined };
  for (const file of files) {
    const doc = readKubeconfig(file);
    const dir = dirname(file);
    for (const [list, target, field] of [
      [doc.clusters, merged.clusters, "cluster"],
      [doc.users, merged.users, "user"],
      [doc.contexts, merged.contexts, "context"],
    ] as const) {
      if (list === undefined || list === null) continue;
      if (!Array.isArray(list)) throw invalidFile(file);
      for (const entry of list as unknown[]) {
        if (!isRecord(entry) || typeof entry.name !== "string") throw invalidFile(file);
        const body = entry[field];
        if (!target.has(entry.name)) target.set(entry.name, { name: entry.name, body: isRecord(body) ? body : {}, dir });
      }
    }
    const current = doc["current-context"];
    if (merged.currentContext === undefined && typeof current === "string" && current !== "") merged.currentContext = current;
  }
  return merged;
}

function readKubeconfig(file: string): Fields {
  let doc: unknown;
  try {
    doc = parse(readFileSync(file, "utf8"));
  } catch (cause) {
    // The parser's message may quote a line of the file, which may hold a token: say only where.
    throw invalidFile(file, cause);
  }
  if (doc === null || doc === undefined) return {};
  if (!isRecord(doc)) throw invalidFile(file);
  return doc;
}

function invalidFile(file: string, cause?: unknown): CofferError {
  return new CofferError("KUBECONFIG_INVALID", `cannot load kubeconfig ${file}: not a valid kubeconfig`, {
    hint: "check the file with: kubectl config view --kubeconfig FILE",
    cause,
  });
}

function stringField(body: Fields, key: string): string | undefined {
  const value = body[key];
  return typeof value === "string" && value !== "" ? value : undefined;
}

function pathField(entry: Named, key: string): string | undefined {
  const value = stringField(entry.body, key);
  return value === undefined || isAbsolute(value) ? value : join(entry.dir, value);
}

/** `<key>-data` (base64) or `<key>` (a file, relative to its kubeconfig), as bytes. */
function bytes(entry: Named, key: string, source: string): Buffer | undefined {
  const data = stringField(entry.body, `${key}-data`);
  if (data !== undefined) return Buffer.from(data, "base64");
  const path = pathField(entry, key);
  if (path === undefined) return undefined;
  try {
    return readFileSync(path);
  } catch (cause) {
    throw new CofferError("KUBECONFIG_INVALID", `cannot read ${key} ${path} named in ${source}`, {
      hint: "fix the path in the kubeconfig (relative paths are relative to the kubeconfig file)",
      cause,
    });
  }
}

async function clientNodeAccess(files: readonly string[], contextName: string, source: string): Promise<ClusterAccess> {
  const { KubeConfig } = await import("@kubernetes/client-node");
  try {
    const config = new KubeConfig();
    config.loadFromFile(files[0] as string);
    for (const file of files.slice(1)) {
      const next = new KubeConfig();
      next.loadFromFile(file);
      const have = (list: { name: string }[], name: string): boolean => list.some((item) => item.name === name);
      for (const cluster of next.clusters) if (!have(config.clusters, cluster.name)) config.clusters.push(cluster);
      for (const user of next.users) if (!have(config.users, user.name)) config.users.push(user);
      for (const context of next.contexts) if (!have(config.contexts, context.name)) config.contexts.push(context);
    }
    config.setCurrentContext(contextName);
    return kubeConfigAccess(config);
  } catch (cause) {
    throw new CofferError("KUBECONFIG_INVALID", `cannot load kubeconfig ${source}`, {
      hint: "check the file is a valid kubeconfig (kubectl config view)",
      cause,
    });
  }
}

function loadInCluster(options: KubeConfigOptions): ResolvedKubeConfig {
  const host = options.env.KUBERNETES_SERVICE_HOST;
  const port = options.env.KUBERNETES_SERVICE_PORT;
  const dir = options.serviceAccountDir ?? SERVICE_ACCOUNT_DIR;
  const tokenFile = join(dir, "token");
  if (host === undefined || port === undefined || !existsSync(tokenFile)) {
    throw new CofferError("KUBECONFIG_INVALID", "no kubeconfig found and not running in a pod", {
      hint: "pass --kubeconfig FILE, set KUBECONFIG, or create ~/.kube/config",
    });
  }
  const caFile = join(dir, "ca.crt");
  const access = staticAccess({
    server: `https://${host.includes(":") ? `[${host}]` : host}:${port}`,
    ca: existsSync(caFile) ? readFileSync(caFile) : undefined,
    tokenFile,
  });
  let namespace = "default";
  try {
    namespace = readFileSync(join(dir, "namespace"), "utf8").trim() || "default";
  } catch {
    // no namespace file: "default", as kubectl does
  }
  return { access, source: "in-cluster service account", namespace, context: "in-cluster" };
}
