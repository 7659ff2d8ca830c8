// `coffer audit etcd` over 10,000 Secrets in one pass (500 keys per range read, every value's
// prefix classified against an EncryptionConfiguration), beside `etcdctl get --prefix --keys-only`
// of the same keys, which reads the keys without their values. Both read the same bare etcd.
// Populating 10,000 Secrets through kube-apiserver takes minutes, so the values are put straight
// into etcd with etcd3: the aescbc prefix and layout kube-apiserver writes (IV + AES-CBC of a
// plausible protobuf), 95% under the writing key and 5% under an older one (stale findings).
// Peak RSS of the audit comes from /usr/bin/time when present.
import { spawn, spawnSync } from "node:child_process";
import { createCipheriv, randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { command, compare } from "./lib.mjs";

const SECRETS = 10_000;
const ETCD = "/usr/bin/etcd";
const ETCDCTL = "/usr/bin/etcdctl";

function freePort() {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function startEtcd(dir) {
  const [client, peer] = [await freePort(), await freePort()];
  const endpoint = `http://127.0.0.1:${client}`;
  const child = spawn(ETCD, [
    "--name=bench",
    `--data-dir=${join(dir, "etcd")}`,
    `--listen-client-urls=${endpoint}`,
    `--advertise-client-urls=${endpoint}`,
    `--listen-peer-urls=http://127.0.0.1:${peer}`,
    `--initial-advertise-peer-urls=http://127.0.0.1:${peer}`,
    `--initial-cluster=bench=http://127.0.0.1:${peer}`,
    "--log-level=error",
  ], { stdio: "ignore" });
  for (let i = 0; i < 100; i++) {
    const health = spawnSync(ETCDCTL, ["--endpoints", endpoint, "endpoint", "health"], { env: { ...process.env, ETCDCTL_API: "3" } });
    if (health.status === 0) return { endpoint, stop: () => child.kill("SIGKILL") };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill("SIGKILL");
  throw new Error("etcd did not become healthy");
}

/** What kube-apiserver's aescbc transformer stores: prefix + IV(16) + AES-256-CBC(k8s\0 + protobuf). */
function aescbcValue(name, key) {
  const iv = randomBytes(16);
  const cipher = createCipheriv("aes-256-cbc", key, iv);
  const plaintext = Buffer.concat([Buffer.from("k8s\x00\n\x0c\n\x02v1\x12\x06Secret\x12", "latin1"), randomBytes(220)]);
  return Buffer.concat([Buffer.from(`k8s:enc:aescbc:v1:${name}:`), iv, cipher.update(plaintext), cipher.final()]);
}

async function populate(endpoint) {
  const { Etcd3 } = await import("etcd3");
  const client = new Etcd3({ hosts: endpoint });
  const keys = { key2: randomBytes(32), key1: randomBytes(32) };
  try {
    for (let start = 0; start < SECRETS; start += 100) {
      await Promise.all(
        Array.from({ length: Math.min(100, SECRETS - start) }, (_, j) => {
          const i = start + j;
          const name = i % 20 === 0 ? "key1" : "key2";
          return client.put(`/registry/secrets/ns-${i % 50}/secret-${i}`).value(aescbcValue(name, keys[name]));
        }),
      );
    }
  } finally {
    client.close();
  }
}

export async function benchAuditEtcd() {
  if (!existsSync(ETCD) || !existsSync(ETCDCTL)) {
    console.error("audit-etcd bench: etcd/etcdctl not installed, skipped");
    return [];
  }
  const dir = mkdtempSync(join(existsSync("/dev/shm") ? "/dev/shm" : "/tmp", "coffer-bench-etcd-"));
  const etcd = await startEtcd(dir);
  try {
    await populate(etcd.endpoint);
    const config = join(dir, "encryption-config.yaml");
    const secret = randomBytes(32).toString("base64");
    writeFileSync(
      config,
      `kind: EncryptionConfiguration\napiVersion: apiserver.config.k8s.io/v1\nresources:\n  - resources: [secrets]\n    providers:\n      - aescbc:\n          keys:\n            - {name: key2, secret: ${secret}}\n            - {name: key1, secret: ${secret}}\n      - identity: {}\n`,
    );
    const env = { ...process.env, HOME: dir, ETCDCTL_API: "3" };
    // Stale findings are medium: --fail-on high keeps the exit status 0 for the timing helper.
    const audit = [process.execPath, "bin/coffer.js", "audit", "etcd", "--endpoints", etcd.endpoint, "--config", config, "-o", "json", "--fail-on", "high"];
    const check = spawnSync(audit[0], audit.slice(1), { env, maxBuffer: 64 * 1024 * 1024 });
    const report = JSON.parse(check.stdout.toString("utf8"));
    if (report.objects !== SECRETS || report.findings.length !== SECRETS / 20) throw new Error(`unexpected audit: ${report.objects} objects, ${report.findings.length} findings`);

    let rss = "";
    if (existsSync("/usr/bin/time")) {
      const timed = spawnSync("/usr/bin/time", ["-f", "%M", ...audit], { env, maxBuffer: 64 * 1024 * 1024 });
      const kb = Number(timed.stderr.toString("utf8").trim().split("\n").at(-1));
      if (Number.isFinite(kb)) rss = `, peak RSS ${Math.round(kb / 1024)} MB`;
    }
    const name = `audit etcd: ${SECRETS.toLocaleString("en")} aescbc Secrets put straight into etcd, 500 keys per read${rss}`;
    const keysOnly = await compare({
      runs: 5,
      warmup: 1,
      subject: command(audit, { env }),
      baseline: command([ETCDCTL, "--endpoints", etcd.endpoint, "get", "--prefix", "--keys-only", "/registry/secrets/"], { env }),
    });
    // What the audit has to read (the values, for their prefixes): etcdctl fetching the same.
    const withValues = await compare({
      runs: 5,
      warmup: 1,
      subject: command(audit, { env }),
      baseline: command([ETCDCTL, "--endpoints", etcd.endpoint, "get", "--prefix", "/registry/secrets/", "-w", "json"], { env }),
    });
    return [
      { name, ...keysOnly, baselineName: "etcdctl get --prefix --keys-only" },
      { name: `${name}, beside reading the values too`, ...withValues, baselineName: "etcdctl get --prefix -w json" },
    ];
  } finally {
    etcd.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
