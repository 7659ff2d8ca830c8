/**
 * A real, throwaway Kubernetes control plane for tests: Debian's etcd plus kube-apiserver
 * v1.20.2 (built by scripts/build-kube-apiserver.sh) on loopback, with token auth, RBAC and,
 * when asked, an EncryptionConfiguration. No controller-manager or scheduler: objects are
 * stored and served, nothing reconciles them. Flags follow ../shared/spec/test-infrastructure.md.
 */
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getText } from "./http.js";
import { ETCD, kubeApiserverPath } from "./paths.js";
import { freePort, startProcess, waitUntil, type ManagedProcess } from "./processes.js";

/** A running cluster. Call stop() when done (afterAll); children are also killed on process exit. */
export interface Cluster {
  /** The apiserver URL, e.g. https://127.0.0.1:PORT (self-signed certificate). */
  readonly server: string;
  /** Bearer token of user "admin" in group system:masters. */
  readonly token: string;
  /** A kubeconfig with this server, the token and insecure-skip-tls-verify; current context set. */
  readonly kubeconfigPath: string;
  /** etcd's client URL, e.g. http://127.0.0.1:PORT (plain http, no auth). */
  readonly etcdEndpoint: string;
  /** The cluster's temp directory (removed by stop()); free for tests to put files in. */
  readonly dir: string;
  /** Current process ids, for tests that check the processes are gone. */
  pids(): { etcd: number; apiserver: number };
  /**
   * Restart kube-apiserver on the same port and etcd, e.g. after changing the writing key.
   * With `newEncryptionConfig` (YAML text) the apiserver starts with that configuration;
   * without it, with the one it had.
   */
  restartApiserver(newEncryptionConfig?: string): Promise<void>;
  /** Kill both processes and remove the temp directory. Safe to call twice. */
  stop(): Promise<void>;
}

export interface ClusterOptions {
  /** EncryptionConfiguration as YAML text, passed with --encryption-provider-config. */
  encryptionConfig?: string;
  /** Fail when the apiserver is not ready after this long (default 30 s). */
  readyTimeoutMs?: number;
}

/** Prefer tmpfs: etcd fsyncs every write, which is the slowest part of bulk tests on disk. */
function tempRoot(): string {
  return existsSync("/dev/shm") ? "/dev/shm" : tmpdir();
}

async function startEtcd(dir: string): Promise<{ proc: ManagedProcess; endpoint: string }> {
  const [clientPort, peerPort] = [await freePort(), await freePort()];
  const endpoint = `http://127.0.0.1:${clientPort}`;
  const peer = `http://127.0.0.1:${peerPort}`;
  const proc = startProcess("etcd", ETCD, [
    "--name=coffer-test",
    `--data-dir=${join(dir, "etcd")}`,
    `--listen-client-urls=${endpoint}`,
    `--advertise-client-urls=${endpoint}`,
    `--listen-peer-urls=${peer}`,
    `--initial-advertise-peer-urls=${peer}`,
    `--initial-cluster=coffer-test=${peer}`,
    "--heartbeat-interval=10",
    "--election-timeout=100",
    "--log-level=warn",
  ]);
  await waitUntil(proc, "healthy /health", async () => {
    const res = await getText(`${endpoint}/health`);
    return res.status === 200 && res.body.includes('"true"');
  }, 10_000);
  return { proc, endpoint };
}

interface ApiserverFiles {
  tokens: string;
  saPub: string;
  saKey: string;
  certDir: string;
  encryption: string;
}

async function writeApiserverFiles(dir: string, token: string): Promise<ApiserverFiles> {
  const files: ApiserverFiles = {
    tokens: join(dir, "tokens.csv"),
    saPub: join(dir, "sa.pub"),
    saKey: join(dir, "sa.key"),
    certDir: join(dir, "certs"),
    encryption: join(dir, "encryption-config.yaml"),
  };
  const { publicKey, privateKey } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs1", format: "pem" },
  });
  await mkdir(files.certDir, { recursive: true });
  await writeFile(files.tokens, `${token},admin,uid-admin,"system:masters"\n`, { mode: 0o600 });
  await writeFile(files.saPub, publicKey);
  await writeFile(files.saKey, privateKey, { mode: 0o600 });
  return files;
}

function apiserverArgs(files: ApiserverFiles, etcd: string, port: number, encrypted: boolean): string[] {
  const args = [
    `--etcd-servers=${etcd}`,
    "--bind-address=127.0.0.1",
    "--advertise-address=127.0.0.1",
    `--secure-port=${port}`,
    // 1.20 still opens an unauthenticated port 8080 by default; two clusters would collide on it.
    "--insecure-port=0",
    `--cert-dir=${files.certDir}`,
    `--token-auth-file=${files.tokens}`,
    "--authorization-mode=RBAC",
    "--service-account-issuer=https://kubernetes.default.svc",
    `--service-account-key-file=${files.saPub}`,
    `--service-account-signing-key-file=${files.saKey}`,
    "--api-audiences=test",
    "--service-cluster-ip-range=10.96.0.0/24",
    "--enable-priority-and-fairness=false",
  ];
  if (encrypted) args.push(`--encryption-provider-config=${files.encryption}`);
  return args;
}

/** Start etcd and kube-apiserver and wait until `/readyz` answers ok. */
export async function startCluster(options: ClusterOptions = {}): Promise<Cluster> {
  const apiserverBinary = kubeApiserverPath();
  if (!existsSync(apiserverBinary)) {
    throw new Error(`no kube-apiserver at ${apiserverBinary}: run scripts/build-kube-apiserver.sh`);
  }
  const readyTimeoutMs = options.readyTimeoutMs ?? 30_000;
  const dir = await mkdtemp(join(tempRoot(), "coffer-cluster-"));
  const token = randomBytes(16).toString("hex");
  const started: ManagedProcess[] = [];
  const cleanup = async (): Promise<void> => {
    await Promise.all(started.map((p) => p.kill()));
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const etcd = await startEtcd(dir);
    started.push(etcd.proc);
    const files = await writeApiserverFiles(dir, token);
    let encrypted = options.encryptionConfig !== undefined;
    if (options.encryptionConfig !== undefined) {
      await writeFile(files.encryption, options.encryptionConfig, { mode: 0o600 });
    }
    const port = await freePort();
    const server = `https://127.0.0.1:${port}`;

    const launchApiserver = async (): Promise<ManagedProcess> => {
      const proc = startProcess("kube-apiserver", apiserverBinary, apiserverArgs(files, etcd.endpoint, port, encrypted));
      started.push(proc);
      await waitUntil(proc, "ready /readyz", async () => {
        const res = await getText(`${server}/readyz`, token);
        return res.status === 200 && res.body.trim() === "ok";
      }, readyTimeoutMs, 100);
      return proc;
    };

    let apiserver = await launchApiserver();
    const kubeconfigPath = join(dir, "kubeconfig");
    await writeFile(kubeconfigPath, kubeconfig(server, token), { mode: 0o600 });

    let stopped = false;
    return {
      server,
      token,
      kubeconfigPath,
      etcdEndpoint: etcd.endpoint,
      dir,
      pids: () => ({ etcd: etcd.proc.pid, apiserver: apiserver.pid }),
      async restartApiserver(newEncryptionConfig?: string) {
        if (stopped) throw new Error("cluster is stopped");
        await apiserver.kill();
        started.splice(started.indexOf(apiserver), 1);
        if (newEncryptionConfig !== undefined) {
          await writeFile(files.encryption, newEncryptionConfig, { mode: 0o600 });
          encrypted = true;
        }
        apiserver = await launchApiserver();
      },
      async stop() {
        if (stopped) return;
        stopped = true;
        await cleanup();
      },
    };
  } catch (err) {
    await cleanup();
    throw err;
  }
}

/** A kubeconfig (JSON is valid YAML) for the admin token; TLS is self-signed, so unverified. */
function kubeconfig(server: string, token: string): string {
  return JSON.stringify(
    {
      apiVersion: "v1",
      kind: "Config",
      clusters: [{ name: "coffer-test", cluster: { server, "insecure-skip-tls-verify": true } }],
      users: [{ name: "admin", user: { token } }],
      contexts: [{ name: "coffer-test", context: { cluster: "coffer-test", user: "admin", namespace: "default" } }],
      "current-context": "coffer-test",
    },
    null,
    2,
  );
}
