import { describe, expect, it } from "vitest";
import { detectManagedProvider } from "../../../src/audit/managed.js";

function kubeconfig(options: { context?: string; server?: string; exec?: string[] }): string {
  const [command, ...args] = options.exec ?? [];
  return JSON.stringify({
    apiVersion: "v1",
    kind: "Config",
    "current-context": options.context ?? "main",
    contexts: [{ name: options.context ?? "main", context: { cluster: options.context ?? "main", user: "u" } }],
    clusters: [{ name: options.context ?? "main", cluster: { server: options.server ?? "https://10.0.0.1:6443" } }],
    users: [{ name: "u", user: command === undefined ? { token: "t" } : { exec: { apiVersion: "client.authentication.k8s.io/v1beta1", command, args } } }],
  });
}

describe("detectManagedProvider", () => {
  it("knows the managed API server host names", () => {
    expect(detectManagedProvider([kubeconfig({ server: "https://ABCDEF.gr7.eu-west-1.eks.amazonaws.com" })])?.provider).toBe("eks");
    expect(detectManagedProvider([kubeconfig({ server: "https://team-dns-1a2b.hcp.westeurope.azmk8s.io:443" })])?.provider).toBe("aks");
    expect(detectManagedProvider([kubeconfig({ server: "https://gke-0123abcd.europe-west1.gke.goog" })])?.provider).toBe("gke");
  });

  it("knows the context names and credential plugins the providers' CLIs write", () => {
    expect(detectManagedProvider([kubeconfig({ context: "gke_proj_europe-west1_prod", server: "https://34.1.2.3" })])?.provider).toBe("gke");
    expect(detectManagedProvider([kubeconfig({ context: "arn:aws:eks:eu-west-1:123456789012:cluster/prod", server: "https://10.1.1.1" })])?.provider).toBe("eks");
    expect(detectManagedProvider([kubeconfig({ exec: ["gke-gcloud-auth-plugin"] })])?.provider).toBe("gke");
    expect(detectManagedProvider([kubeconfig({ exec: ["aws", "--region", "eu-west-1", "eks", "get-token", "--cluster-name", "prod"] })])?.provider).toBe("eks");
    expect(detectManagedProvider([kubeconfig({ exec: ["kubelogin", "get-token"] })])?.provider).toBe("aks");
  });

  it("says nothing for a self-managed cluster, an empty list or a broken file", () => {
    expect(detectManagedProvider([kubeconfig({})])).toBeUndefined();
    expect(detectManagedProvider([])).toBeUndefined();
    expect(detectManagedProvider(["clusters: [unclosed"])).toBeUndefined();
  });

  it("follows kubectl's merge: current-context and names from the first file that has them", () => {
    const first = JSON.stringify({ "current-context": "prod" });
    const second = kubeconfig({ context: "prod", server: "https://x.y.eks.amazonaws.com" });
    const third = kubeconfig({ context: "prod", server: "https://10.0.0.1" });
    expect(detectManagedProvider([first, second, third])?.evidence).toBe("server host x.y.eks.amazonaws.com");
  });
});
