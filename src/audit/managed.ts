/**
 * Managed control planes (EKS, GKE, AKS) keep kube-apiserver's manifest, its encryption config
 * and etcd out of reach; encryption at rest is a setting of the provider instead. This tells
 * which provider a kubeconfig points at, and where that setting lives.
 */
import { parse } from "yaml";

export type ManagedProvider = "eks" | "gke" | "aks";

export interface ManagedGuidance {
  provider: ManagedProvider;
  name: string;
  /** What the provider encrypts and how to check it; one paragraph, no secrets. */
  setting: string;
  check: string;
}

export const MANAGED_GUIDANCE: Readonly<Record<ManagedProvider, ManagedGuidance>> = {
  eks: {
    provider: "eks",
    name: "Amazon EKS",
    setting: "envelope encryption of Kubernetes Secrets with an AWS KMS key (on by default for clusters on Kubernetes 1.28 and later, with an AWS-owned key; associate your own KMS key for control over it)",
    check: "aws eks describe-cluster --name CLUSTER --query cluster.encryptionConfig",
  },
  gke: {
    provider: "gke",
    name: "Google Kubernetes Engine",
    setting: "application-layer secrets encryption with a Cloud KMS key (GKE always encrypts at rest with Google-managed keys; this adds your own key for Secrets)",
    check: "gcloud container clusters describe CLUSTER --location LOCATION --format 'value(databaseEncryption)'",
  },
  aks: {
    provider: "aks",
    name: "Azure Kubernetes Service",
    setting: "KMS etcd encryption with an Azure Key Vault key",
    check: "az aks show --name CLUSTER --resource-group GROUP --query securityProfile.azureKeyVaultKms",
  },
};

export interface ManagedHint {
  provider: ManagedProvider;
  /** What gave it away, e.g. "server host ABC.gr7.eu-west-1.eks.amazonaws.com". */
  evidence: string;
}

interface Named<T> {
  name?: unknown;
  cluster?: T;
  user?: T;
  context?: T;
}

/**
 * The provider of the current context of the first kubeconfig that has one: the API server's
 * host name (*.eks.amazonaws.com, *.azmk8s.io, *.gke.goog), the context and cluster names
 * (arn:aws:eks:..., gke_PROJECT_ZONE_NAME) and the credential plugin (aws eks get-token,
 * gke-gcloud-auth-plugin, kubelogin). Undefined when nothing points at a managed provider.
 */
export function detectManagedProvider(kubeconfigTexts: readonly string[]): ManagedHint | undefined {
  const docs = kubeconfigTexts.map((text) => {
    try {
      return (parse(text) ?? {}) as Record<string, unknown>;
    } catch {
      return {};
    }
  });
  const current = docs.map((doc) => doc["current-context"]).find((value): value is string => typeof value === "string");
  if (current === undefined) return undefined;
  // kubectl's merge: the first file that defines a name wins.
  const find = (list: string, name: string): Named<Record<string, unknown>> | undefined =>
    docs.flatMap((doc) => (Array.isArray(doc[list]) ? (doc[list] as Named<Record<string, unknown>>[]) : [])).find((item) => item.name === name);
  const context = find("contexts", current)?.context;
  const clusterName = typeof context?.cluster === "string" ? context.cluster : "";
  const cluster = find("clusters", clusterName);
  const user = find("users", typeof context?.user === "string" ? context.user : "");
  const server = typeof cluster?.cluster?.server === "string" ? cluster.cluster.server : "";
  const host = hostOf(server);
  const exec = (user?.user?.exec ?? {}) as { command?: unknown; args?: unknown };
  const command = [exec.command, ...(Array.isArray(exec.args) ? exec.args : [])].filter((part): part is string => typeof part === "string").join(" ");

  if (/\.eks\.amazonaws\.com(\.cn)?$/.test(host)) return { provider: "eks", evidence: `server host ${host}` };
  if (host.endsWith(".azmk8s.io")) return { provider: "aks", evidence: `server host ${host}` };
  if (host.endsWith(".gke.goog")) return { provider: "gke", evidence: `server host ${host}` };
  for (const name of [current, clusterName]) {
    if (name.startsWith("arn:aws:eks:")) return { provider: "eks", evidence: `context ${name}` };
    if (name.startsWith("gke_")) return { provider: "gke", evidence: `context ${name}` };
  }
  if (/\baws\b.*\beks\b.*\bget-token\b|aws-iam-authenticator/.test(command)) return { provider: "eks", evidence: "credential plugin aws eks get-token" };
  if (/gke-gcloud-auth-plugin/.test(command)) return { provider: "gke", evidence: "credential plugin gke-gcloud-auth-plugin" };
  if (/\bkubelogin\b/.test(command)) return { provider: "aks", evidence: "credential plugin kubelogin" };
  return undefined;
}

function hostOf(server: string): string {
  try {
    return new URL(server).hostname.toLowerCase();
  } catch {
    return "";
  }
}
