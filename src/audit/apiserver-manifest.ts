/**
 * What a kube-apiserver static Pod manifest says about encryption at rest: is
 * `--encryption-provider-config` set, is that path mounted into the container from the host,
 * and where the file is on the host. Pure: the caller reads the files.
 */
import { posix } from "node:path";
import { isMap, LineCounter, parseDocument, type Node } from "yaml";
import { CofferError } from "../errors.js";
import { parseKubeMinor } from "./encryption-validate.js";
import { findingFactory, type AuditRule, type Finding } from "./report.js";

export const APISERVER_RULES: readonly AuditRule[] = [
  { id: "apiserver-encryption-disabled", severity: "critical", title: "kube-apiserver runs without --encryption-provider-config", remediation: "write an EncryptionConfiguration (kms v2 or secretbox first for secrets), mount it read-only and pass --encryption-provider-config=PATH" },
  { id: "apiserver-config-not-mounted", severity: "high", title: "The encryption config path is not mounted into the kube-apiserver container", remediation: "add a hostPath volume for the file's directory and a volumeMount (readOnly: true) covering the path" },
  { id: "apiserver-config-missing", severity: "high", title: "The encryption config file does not exist on the host", remediation: "create the file at the hostPath the manifest mounts; kube-apiserver does not start without it" },
  { id: "apiserver-config-not-host-path", severity: "medium", title: "The encryption config comes from a volume that is not a hostPath", remediation: "mount it from a hostPath so the node controls it (and so it can be audited)" },
  { id: "apiserver-config-mount-writable", severity: "low", title: "The encryption config is mounted writable", remediation: "set readOnly: true on the volumeMount" },
  { id: "apiserver-kms-v1-gate", severity: "high", title: "KMS v1 on kube-apiserver 1.29+ without --feature-gates=KMSv1=true", remediation: "move to KMS v2, or (temporarily) enable the KMSv1 feature gate; 1.29+ does not start otherwise" },
];

export const apiserverFinding = findingFactory(APISERVER_RULES);

export interface ApiserverInspection {
  /** Index of the kube-apiserver container in spec.containers. */
  containerPath: string;
  image?: string | undefined;
  /** From the image tag, e.g. 29 for registry.k8s.io/kube-apiserver:v1.29.3. */
  kubeMinor?: number | undefined;
  /** The flag's value: a path inside the container; undefined when the flag is absent. */
  configPath?: string | undefined;
  automaticReload: boolean;
  /** KMSv1=true in --feature-gates. */
  kmsV1Gate: boolean;
  mount?: { volume: string; mountPath: string; readOnly: boolean; path: string } | undefined;
  /** The config file on the host (through the hostPath volume), when it can be resolved. */
  hostPath?: string | undefined;
  findings: Finding[];
  positionOf(path: string): { line: number; column: number } | undefined;
}

interface Container {
  name?: string;
  image?: string;
  command?: unknown[];
  args?: unknown[];
  volumeMounts?: Array<{ name?: string; mountPath?: string; subPath?: string; readOnly?: boolean }>;
}

export function inspectApiserverManifest(text: string): ApiserverInspection {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0 || !isMap(doc.contents)) {
    throw new CofferError("FORMAT_INVALID", "the kube-apiserver manifest is not a YAML mapping", { hint: "pass the static Pod manifest with --manifest" });
  }
  const pod = doc.toJS({ maxAliasCount: 100 }) as { spec?: { containers?: Container[]; volumes?: Array<Record<string, unknown>> } };
  const containers = pod.spec?.containers ?? [];
  const index = containers.findIndex((c) => c.name === "kube-apiserver" || [...(c.command ?? []), ...(c.args ?? [])].some((part) => typeof part === "string" && part.endsWith("kube-apiserver")));
  const container = containers[index];
  if (container === undefined) {
    throw new CofferError("FORMAT_INVALID", "no kube-apiserver container in the manifest", { hint: "pass the kube-apiserver static Pod manifest with --manifest" });
  }
  const containerPath = `spec.containers[${index}]`;
  const positionOf = (path: string): { line: number; column: number } | undefined => {
    const keys = path.split(/\.|\[(\d+)\]/).filter((part) => part !== undefined && part !== "").map((part) => (/^\d+$/.test(part) ? Number(part) : part));
    for (let length = keys.length; length >= 0; length--) {
      const node = doc.getIn(keys.slice(0, length), true) as Node | undefined;
      const offset = node !== undefined && node !== null && typeof node === "object" ? node.range?.[0] : undefined;
      if (offset !== undefined) {
        const { line, col } = lineCounter.linePos(offset);
        return { line, column: col };
      }
    }
    return undefined;
  };
  const flags = flagValues(container, containerPath);
  const findings: Finding[] = [];
  const config = flags.get("--encryption-provider-config");
  const reload = flags.get("--encryption-provider-config-automatic-reload");
  const gates = flags.get("--feature-gates")?.value ?? "";
  const inspection: ApiserverInspection = {
    containerPath,
    image: container.image,
    kubeMinor: parseKubeMinor(container.image?.split(":").pop() ?? ""),
    configPath: config?.value,
    automaticReload: reload !== undefined && reload.value !== "false",
    kmsV1Gate: /(^|,)\s*KMSv1\s*=\s*true\b/.test(gates),
    findings,
    positionOf,
  };
  if (config === undefined || config.value === "") {
    const also = reload === undefined ? "" : " (--encryption-provider-config-automatic-reload alone does nothing)";
    findings.push(apiserverFinding("apiserver-encryption-disabled", config?.path ?? containerPath, `kube-apiserver has no --encryption-provider-config${also}: Secrets are stored in plaintext`));
    return inspection;
  }
  resolveMount(inspection, container, pod.spec?.volumes ?? [], config);
  return inspection;
}

/** `--flag=value` or `--flag value`, from command then args; the last occurrence wins, as in Go's flag parsing. */
function flagValues(container: Container, containerPath: string): Map<string, { value: string; path: string }> {
  const flags = new Map<string, { value: string; path: string }>();
  const tokens = [
    ...(container.command ?? []).map((token, i) => ({ token, path: `${containerPath}.command[${i}]` })),
    ...(container.args ?? []).map((token, i) => ({ token, path: `${containerPath}.args[${i}]` })),
  ];
  tokens.forEach(({ token, path }, i) => {
    if (typeof token !== "string" || !token.startsWith("--")) return;
    const eq = token.indexOf("=");
    if (eq > 0) flags.set(token.slice(0, eq), { value: token.slice(eq + 1), path });
    else {
      const next = tokens[i + 1]?.token;
      const boolean = token.endsWith("-automatic-reload");
      flags.set(token, { value: !boolean && typeof next === "string" && !next.startsWith("--") ? next : "true", path });
    }
  });
  return flags;
}

function resolveMount(inspection: ApiserverInspection, container: Container, volumes: Array<Record<string, unknown>>, config: { value: string; path: string }): void {
  const target = cleanPath(config.value);
  const mounts = (container.volumeMounts ?? []).map((mount, i) => ({ ...mount, path: `${inspection.containerPath}.volumeMounts[${i}]` }));
  const covering = mounts
    .filter((mount) => typeof mount.mountPath === "string" && covers(cleanPath(mount.mountPath), target))
    .sort((a, b) => cleanPath(b.mountPath ?? "").length - cleanPath(a.mountPath ?? "").length)[0];
  if (covering === undefined) {
    inspection.findings.push(apiserverFinding("apiserver-config-not-mounted", config.path, `${config.value} is not under any volumeMount of the container: kube-apiserver cannot read it and will not start`));
    return;
  }
  const mountPath = cleanPath(covering.mountPath as string);
  inspection.mount = { volume: covering.name ?? "", mountPath, readOnly: covering.readOnly === true, path: covering.path };
  if (covering.readOnly !== true) inspection.findings.push(apiserverFinding("apiserver-config-mount-writable", covering.path, `volumeMount ${covering.name ?? ""} (${mountPath}) is writable`));
  const volumeIndex = volumes.findIndex((volume) => volume.name === covering.name);
  const hostPath = (volumes[volumeIndex]?.hostPath as { path?: unknown } | undefined)?.path;
  if (typeof hostPath !== "string") {
    inspection.findings.push(apiserverFinding("apiserver-config-not-host-path", volumeIndex < 0 ? covering.path : `spec.volumes[${volumeIndex}]`, `volume ${covering.name ?? ""} is ${volumeIndex < 0 ? "not defined" : "not a hostPath"}: the file cannot be found on the node`));
    return;
  }
  const rest = target === mountPath ? "" : target.slice(mountPath === "/" ? 1 : mountPath.length + 1);
  inspection.hostPath = posix.join(hostPath, covering.subPath ?? "", rest);
}

/** Normalized, without a trailing slash (except "/"). */
function cleanPath(path: string): string {
  const normal = posix.normalize(path);
  return normal.length > 1 && normal.endsWith("/") ? normal.slice(0, -1) : normal;
}

function covers(mountPath: string, target: string): boolean {
  return target === mountPath || target.startsWith(mountPath === "/" ? "/" : `${mountPath}/`);
}
