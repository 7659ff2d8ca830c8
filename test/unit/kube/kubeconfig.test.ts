import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import type { RequestOptions } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { isCofferError } from "../../../src/errors.js";
import { loadKubeConfig } from "../../../src/kube/kubeconfig.js";

function kubeconfig(name: string, server: string, namespace?: string): string {
  return JSON.stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name, cluster: { server } }],
    users: [{ name, user: { token: `token-${name}` } }],
    contexts: [{ name, context: { cluster: name, user: name, ...(namespace === undefined ? {} : { namespace }) } }],
    "current-context": name,
  });
}

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (error) {
    return isCofferError(error) ? error.code : "NOT_A_COFFER_ERROR";
  }
  return undefined;
}

describe("loadKubeConfig", () => {
  const dir = mkdtempSync(join(tmpdir(), "coffer-kubeconfig-"));
  const home = join(dir, "home");
  mkdirSync(join(home, ".kube"), { recursive: true });
  const a = join(dir, "a.yaml");
  const b = join(dir, "b.yaml");
  writeFileSync(a, kubeconfig("a", "https://a.example:6443", "team-a"));
  writeFileSync(b, kubeconfig("b", "https://b.example:6443"));
  const emptyHome = join(dir, "empty-home");
  mkdirSync(emptyHome);

  it("uses --kubeconfig alone and takes the namespace from the context", async () => {
    const resolved = await loadKubeConfig({ kubeconfig: a, env: { KUBECONFIG: b }, homeDir: home });
    expect(resolved.access.server).toBe("https://a.example:6443");
    expect(resolved.namespace).toBe("team-a");
  });

  it("merges KUBECONFIG files, the first one's current-context winning, and switches with context", async () => {
    const env = { KUBECONFIG: `${b}:${a}` };
    const merged = await loadKubeConfig({ env, homeDir: home });
    expect(merged.access.server).toBe("https://b.example:6443");
    expect(merged.namespace).toBe("default");
    const switched = await loadKubeConfig({ env, homeDir: home, context: "a" });
    expect(switched.access.server).toBe("https://a.example:6443");
  });

  it("falls back to ~/.kube/config", async () => {
    writeFileSync(join(home, ".kube", "config"), kubeconfig("home", "https://home.example:6443"));
    const resolved = await loadKubeConfig({ env: {}, homeDir: home });
    expect(resolved.access.server).toBe("https://home.example:6443");
  });

  it("uses the pod's service account when there is no kubeconfig", async () => {
    const sa = join(dir, "sa");
    mkdirSync(sa);
    writeFileSync(join(sa, "token"), "pod-token");
    writeFileSync(join(sa, "ca.crt"), "");
    writeFileSync(join(sa, "namespace"), "ops\n");
    const env = { KUBERNETES_SERVICE_HOST: "10.0.0.1", KUBERNETES_SERVICE_PORT: "443" };
    const resolved = await loadKubeConfig({ env, homeDir: emptyHome, serviceAccountDir: sa });
    expect(resolved.access.server).toBe("https://10.0.0.1:443");
    expect(resolved.namespace).toBe("ops");
    expect(resolved.source).toBe("in-cluster service account");
  });

  it("reads tokens, token files, client certificates (data or files, relative to the kubeconfig) and basic auth", async () => {
    const certDir = join(dir, "certs");
    mkdirSync(certDir);
    writeFileSync(join(certDir, "client.crt"), "CERT-BYTES");
    writeFileSync(join(dir, "sa-token"), "file-token\n");
    const file = join(dir, "users.yaml");
    const ctx = (name: string) => ({ name, context: { cluster: "c", user: name } });
    writeFileSync(
      file,
      JSON.stringify({
        clusters: [{ name: "c", cluster: { server: "https://c.example:6443/", "certificate-authority-data": Buffer.from("CA-BYTES").toString("base64"), "tls-server-name": "api.internal" } }],
        users: [
          { name: "token", user: { token: "t0ken" } },
          { name: "tokenfile", user: { tokenFile: "sa-token" } },
          { name: "cert", user: { "client-certificate": "certs/client.crt", "client-key-data": Buffer.from("KEY-BYTES").toString("base64") } },
          { name: "basic", user: { username: "u", password: "p" } },
        ],
        contexts: ["token", "tokenfile", "cert", "basic"].map(ctx),
        "current-context": "token",
      }),
    );
    const optionsFor = async (context: string) => {
      const resolved = await loadKubeConfig({ kubeconfig: file, context, env: {}, homeDir: home });
      const options: RequestOptions = {};
      await resolved.access.applyTo(options);
      expect(resolved.access.server).toBe("https://c.example:6443");
      return options as RequestOptions & { headers?: Record<string, string> };
    };
    const token = await optionsFor("token");
    expect([token.headers?.authorization, String(token.ca), token.servername]).toEqual(["Bearer t0ken", "CA-BYTES", "api.internal"]);
    expect((await optionsFor("tokenfile")).headers?.authorization).toBe("Bearer file-token");
    const cert = await optionsFor("cert");
    expect([String(cert.cert), String(cert.key), cert.headers?.authorization]).toEqual(["CERT-BYTES", "KEY-BYTES", undefined]);
    expect((await optionsFor("basic")).headers?.authorization).toBe(`Basic ${Buffer.from("u:p").toString("base64")}`);
  });

  it("hands users with an exec plugin to client-node, resolving the same server", async () => {
    const file = join(dir, "exec.yaml");
    writeFileSync(
      file,
      JSON.stringify({
        apiVersion: "v1",
        kind: "Config",
        clusters: [{ name: "eks", cluster: { server: "https://abc.gr7.eu-west-1.eks.amazonaws.com" } }],
        users: [{ name: "eks", user: { exec: { apiVersion: "client.authentication.k8s.io/v1beta1", command: "aws", args: ["eks", "get-token"] } } }],
        contexts: [{ name: "eks", context: { cluster: "eks", user: "eks", namespace: "apps" } }],
        "current-context": "eks",
      }),
    );
    const resolved = await loadKubeConfig({ kubeconfig: file, env: {}, homeDir: home });
    expect([resolved.access.server, resolved.namespace, resolved.context]).toEqual(["https://abc.gr7.eu-west-1.eks.amazonaws.com", "apps", "eks"]);
  });

  it("refuses a missing file, an unknown context, a malformed file, and no configuration at all", async () => {
    const bad = join(dir, "bad.yaml");
    writeFileSync(bad, "clusters: [unclosed");
    expect(await codeOf(loadKubeConfig({ kubeconfig: join(dir, "nope"), env: {}, homeDir: home }))).toBe("KUBECONFIG_INVALID");
    expect(await codeOf(loadKubeConfig({ kubeconfig: a, context: "nope", env: {}, homeDir: home }))).toBe("KUBECONFIG_INVALID");
    expect(await codeOf(loadKubeConfig({ kubeconfig: bad, env: {}, homeDir: home }))).toBe("KUBECONFIG_INVALID");
    expect(await codeOf(loadKubeConfig({ env: {}, homeDir: emptyHome, serviceAccountDir: join(dir, "none") }))).toBe("KUBECONFIG_INVALID");
  });
});
