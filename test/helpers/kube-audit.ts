/** Test inputs for the encryption-at-rest audits: EncryptionConfiguration and kube-apiserver manifests. */

/** One entry for `resources`, with `provider` (aescbc, aesgcm, secretbox) writing and identity reading. */
export function encryptionConfigYaml(options: { resource?: string; provider?: string; key: string; keyName?: string }): string {
  return [
    "apiVersion: apiserver.config.k8s.io/v1",
    "kind: EncryptionConfiguration",
    "resources:",
    `  - resources: ["${options.resource ?? "secrets"}"]`,
    "    providers:",
    `      - ${options.provider ?? "secretbox"}:`,
    "          keys:",
    `            - name: ${options.keyName ?? "key1"}`,
    `              secret: ${options.key}`,
    "      - identity: {}",
    "",
  ].join("\n");
}

export interface ManifestOptions {
  command?: string[];
  args?: string[];
  /** YAML lines of volumeMounts items (8 spaces of indent). */
  mounts?: string;
  /** YAML lines of volumes items (4 spaces of indent). */
  volumes?: string;
  image?: string;
  /** A container before kube-apiserver's, to check the right one is found. */
  sidecar?: boolean;
}

/** A kube-apiserver static Pod; by default the config /etc/kubernetes/enc/enc.yaml is mounted from /etc/kubernetes/enc. */
export function apiserverManifestYaml(options: ManifestOptions = {}): string {
  const list = (items: string[]): string => items.map((item) => `        - "${item}"`).join("\n");
  return [
    "apiVersion: v1",
    "kind: Pod",
    "metadata: {name: kube-apiserver, namespace: kube-system}",
    "spec:",
    "  containers:",
    ...(options.sidecar === true ? ["    - name: etcd-sidecar", "      image: busybox"] : []),
    "    - name: kube-apiserver",
    `      image: ${options.image ?? "registry.k8s.io/kube-apiserver:v1.30.2"}`,
    "      command:",
    list(options.command ?? ["kube-apiserver", "--encryption-provider-config=/etc/kubernetes/enc/enc.yaml"]),
    ...(options.args === undefined ? [] : ["      args:", list(options.args)]),
    "      volumeMounts:",
    options.mounts ?? "        - {name: enc, mountPath: /etc/kubernetes/enc, readOnly: true}",
    "  volumes:",
    options.volumes ?? "    - {name: enc, hostPath: {path: /etc/kubernetes/enc, type: DirectoryOrCreate}}",
    "",
  ].join("\n");
}
