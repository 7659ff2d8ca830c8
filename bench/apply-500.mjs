// The CD step (issue #6): 500 age-encrypted Secrets into a real kube-apiserver in one run.
// `coffer apply -f DIR` (decryption included) against `kubectl apply --server-side -f DIR` of the
// same 500 manifests already decrypted (goal: no slower), and against the loop people run today,
// one file at a time: `coffer decrypt f | kubectl apply --server-side -f -` (timed on a sample and
// scaled to 500; goal: at least 20x faster). Each run writes into a fresh namespace, so every run
// creates 500 Secrets.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { clusterTools, startBenchCluster } from "./cluster.mjs";
import { median, printWhenRunDirectly, run, time } from "./lib.mjs";

const FILES = 500;
const SAMPLE = 25;
const RUNS = 3;
const KUBECTL = "/usr/bin/kubectl";

function secretYaml(i) {
  const b64 = (text) => Buffer.from(text).toString("base64");
  return `apiVersion: v1\nkind: Secret\nmetadata:\n  name: service-${String(i).padStart(3, "0")}\n  labels:\n    app: service-${i}\ntype: Opaque\ndata:\n  db_password: ${b64(`pw-${i}-${"x".repeat(24)}`)}\n  api_token: ${b64(`tok-${i}-${"y".repeat(32)}`)}\n`;
}

export async function benchApply500() {
  const dir = mkdtempSync(join(tmpdir(), "coffer-bench-apply-"));
  const cluster = await startBenchCluster();
  try {
    const { kubectl } = await clusterTools();
    const { encrypt } = await import("../dist/src/index.js");
    const { ageKey } = await import("../dist/src/config/index.js");
    const { createAgeProvider, generateAgeIdentity } = await import("../dist/providers/age/index.js");
    const identity = await generateAgeIdentity();
    const keyFile = join(dir, "age.key");
    writeFileSync(keyFile, identity.fileText, { mode: 0o600 });
    const provider = createAgeProvider();
    const encDir = join(dir, "encrypted");
    const plainDir = join(dir, "plain");
    mkdirSync(encDir);
    mkdirSync(plainDir);
    const files = [];
    for (let i = 0; i < FILES; i++) {
      const name = `service-${String(i).padStart(3, "0")}.yaml`;
      const plain = secretYaml(i);
      writeFileSync(join(plainDir, name), plain);
      writeFileSync(join(encDir, name), await encrypt(plain, { format: "yaml", keyGroups: [[ageKey(identity.recipient)]], providers: [provider] }));
      files.push(join(encDir, name));
    }

    const env = { PATH: process.env.PATH, HOME: dir, SOPS_AGE_KEY_FILE: keyFile };
    const kube = ["--kubeconfig", cluster.kubeconfigPath, "--cache-dir", join(dir, "kube-cache")];
    let namespaces = 0;
    const freshNamespace = async () => {
      const name = `bench-${namespaces++}`;
      const created = await kubectl(cluster, ["create", "namespace", name]);
      if (created.code !== 0) throw new Error(`kubectl create namespace failed: ${created.stderr}`);
      return name;
    };
    const coffer = [process.execPath, "bin/coffer.js"];
    const cofferApply = async (ns) => run([...coffer, "apply", "--kubeconfig", cluster.kubeconfigPath, "-f", encDir, "-n", ns], env);
    const kubectlApply = async (ns) => run([KUBECTL, ...kube, "apply", "--server-side", "-f", plainDir, "-n", ns], env);
    const sample = files.filter((_, i) => i % (FILES / SAMPLE) === 0);
    const perFileLoop = async (ns) => {
      for (const file of sample) {
        const script = `"$1" "$2" decrypt "$3" | ${KUBECTL} --kubeconfig "$4" --cache-dir "$5" apply --server-side -n "$6" -f -`;
        await run(["/bin/sh", "-c", `set -e; ${script}`, "sh", process.execPath, "bin/coffer.js", file, cluster.kubeconfigPath, join(dir, "kube-cache"), ns], env);
      }
    };

    // Warm up (page cache, kubectl's discovery cache), then interleave.
    await cofferApply(await freshNamespace());
    await kubectlApply(await freshNamespace());
    const ours = [];
    const theirs = [];
    const loop = [];
    for (let i = 0; i < RUNS; i++) {
      const [a, b, c] = [await freshNamespace(), await freshNamespace(), await freshNamespace()];
      ours.push(await time(() => cofferApply(a)));
      theirs.push(await time(() => kubectlApply(b)));
      loop.push((await time(() => perFileLoop(c))) * (FILES / SAMPLE));
    }
    const subject = median(ours);
    return [
      {
        name: `apply ${FILES} age-encrypted Secrets to a real kube-apiserver (decryption included) vs kubectl apply --server-side of the decrypted files`,
        subject,
        baseline: median(theirs),
        baselineName: "kubectl apply --server-side -f DIR",
        goal: 1,
      },
      {
        name: `apply ${FILES} age-encrypted Secrets vs a per-file loop, coffer decrypt f piped to kubectl apply --server-side (${SAMPLE}-file sample x${FILES / SAMPLE})`,
        subject,
        baseline: median(loop),
        baselineName: "per-file loop",
        kind: "speedup",
        goal: 20,
      },
    ];
  } finally {
    await cluster.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await printWhenRunDirectly(import.meta.url, benchApply500);
