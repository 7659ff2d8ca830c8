/**
 * Which cluster to talk to, resolved the way kubectl does: `--kubeconfig`, else `$KUBECONFIG`
 * (colon-separated files, merged, first wins), else `~/.kube/config`, else the in-cluster service
 * account when running in a pod. `@kubernetes/client-node` is imported lazily: only commands that
 * reach a cluster pay for it. The environment is passed in; this module never reads it itself.
 */
import { existsSync, readFileSync } from "node:fs";
import { delimiter, join } from "node:path";
import type { KubeConfig } from "@kubernetes/client-node";
import { CofferError } from "../errors.js";

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

/** A loaded kubeconfig, its source, and the namespace the context names (default "default"). */
export interface ResolvedKubeConfig {
  config: KubeConfig;
  source: string;
  namespace: string;
}

export async function loadKubeConfig(options: KubeConfigOptions): Promise<ResolvedKubeConfig> {
  const { KubeConfig } = await import("@kubernetes/client-node");
  const config = new KubeConfig();
  const files = kubeconfigFiles(options);
  let source: string;
  if (files.length > 0) {
    for (const file of files) {
      try {
        if (files.length === 1) {
          config.loadFromFile(file);
        } else {
          const next = new KubeConfig();
          next.loadFromFile(file);
          mergeInto(config, next);
        }
      } catch (error) {
        throw new CofferError("KUBECONFIG_INVALID", `cannot load kubeconfig ${file}`, {
          hint: "check the file is a valid kubeconfig (kubectl config view --kubeconfig FILE)",
          cause: error,
        });
      }
    }
    source = files.join(delimiter);
  } else {
    loadInCluster(config, options);
    source = "in-cluster service account";
  }
  if (options.context !== undefined) {
    if (config.getContextObject(options.context) === null) {
      throw new CofferError("KUBECONFIG_INVALID", `no context '${options.context}' in ${source}`, {
        hint: "list the contexts with: kubectl config get-contexts",
      });
    }
    config.setCurrentContext(options.context);
  }
  if (config.getCurrentCluster() === null) {
    throw new CofferError("KUBECONFIG_INVALID", `the current context in ${source} names no cluster`, {
      hint: "pick a context with --context, or set current-context in the kubeconfig",
    });
  }
  const context = config.getContextObject(config.getCurrentContext());
  const namespace = context?.namespace ?? readServiceAccountNamespace(options, files.length === 0) ?? "default";
  return { config, source, namespace };
}

function kubeconfigFiles(options: KubeConfigOptions): string[] {
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

function loadInCluster(config: KubeConfig, options: KubeConfigOptions): void {
  const host = options.env.KUBERNETES_SERVICE_HOST;
  const port = options.env.KUBERNETES_SERVICE_PORT;
  const dir = options.serviceAccountDir ?? SERVICE_ACCOUNT_DIR;
  const tokenFile = join(dir, "token");
  if (host === undefined || port === undefined || !existsSync(tokenFile)) {
    throw new CofferError("KUBECONFIG_INVALID", "no kubeconfig found and not running in a pod", {
      hint: "pass --kubeconfig FILE, set KUBECONFIG, or create ~/.kube/config",
    });
  }
  const server = `https://${host.includes(":") ? `[${host}]` : host}:${port}`;
  config.loadFromClusterAndUser(
    { name: "in-cluster", server, caFile: join(dir, "ca.crt"), skipTLSVerify: false },
    // authProvider "tokenFile" re-reads the projected token, which the kubelet rotates.
    { name: "in-cluster", authProvider: { name: "tokenFile", config: { tokenFile } } },
  );
}

function readServiceAccountNamespace(options: KubeConfigOptions, inCluster: boolean): string | undefined {
  if (!inCluster) return undefined;
  try {
    return readFileSync(join(options.serviceAccountDir ?? SERVICE_ACCOUNT_DIR, "namespace"), "utf8").trim() || undefined;
  } catch {
    return undefined;
  }
}

/** kubectl's merge rule: the first file to define a name (or current-context) wins. */
function mergeInto(target: KubeConfig, next: KubeConfig): void {
  const have = (list: { name: string }[], name: string): boolean => list.some((item) => item.name === name);
  for (const cluster of next.clusters) if (!have(target.clusters, cluster.name)) target.clusters.push(cluster);
  for (const user of next.users) if (!have(target.users, user.name)) target.users.push(user);
  for (const context of next.contexts) if (!have(target.contexts, context.name)) target.contexts.push(context);
  if (!target.currentContext && next.currentContext) target.currentContext = next.currentContext;
}
