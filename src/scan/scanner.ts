/**
 * Walks Kubernetes objects and hands every literal value that could hold a credential to the
 * detector: ConfigMap data and binaryData, pod-template env/args/command, annotations (including
 * the JSON inside `last-applied-configuration`), plaintext Secret manifests, and Helm release
 * Secrets. SOPS ciphertext and SealedSecret `encryptedData` are never looked at.
 */
import type { Detection, SecretDetector } from "./detector.js";
import { fingerprint, redact, type Finding, type ResourceRef } from "./finding.js";
import { decodeHelmRelease, HELM_RELEASE_TYPE } from "./helm-release.js";
import { isRecord } from "../records.js";
import { formatKey, type ObjectPath, type PathSegment } from "./key-path.js";
import { parseManifests } from "./manifests.js";
import { podValueSite, visitPodValues, type DisplayPath, type PodValueCursor, type ValueSite } from "./walk-pod.js";

export const ALLOW_ANNOTATION = "coffer.dev/scan-allow";
export const LAST_APPLIED_ANNOTATION = "kubectl.kubernetes.io/last-applied-configuration";

type Confidence = Finding["confidence"];

export interface ObjectContext {
  /** The file the object came from (relative path, "-" for stdin); none for cluster objects. */
  file?: string | undefined;
  lineOf?: ((path: ObjectPath) => number | undefined) | undefined;
}

interface WalkContext {
  resource: ResourceRef;
  lineOf: (path: ObjectPath) => number | undefined;
  prefix: string;
  allow: ReadonlySet<string>;
  /** Set inside another object: a last-applied annotation or a Helm release's manifest. */
  embedded?: "last-applied" | "helm" | undefined;
}

const ENCRYPTED_VALUE = /^ENC\[[A-Z0-9_]+,data:/;

/** A SOPS `ENC[...]` value (surrounding whitespace allowed): ciphertext, never a finding. */
function isEncryptedValue(value: string): boolean {
  const first = value.charCodeAt(0);
  if (first === 69 /* E */) return ENCRYPTED_VALUE.test(value);
  // Any other printable ASCII character starts neither whitespace nor ENC[ (no trim needed).
  return (first <= 32 || first >= 127) && ENCRYPTED_VALUE.test(value.trim());
}

export class Scanner {
  readonly findings: Finding[] = [];
  /** Findings an allow annotation suppressed. */
  allowed = 0;

  constructor(private readonly detector: SecretDetector) {}

  scanObject(obj: Record<string, unknown>, where: ObjectContext = {}): void {
    const metadata = isRecord(obj.metadata) ? obj.metadata : {};
    const resource: ResourceRef = {
      kind: typeof obj.kind === "string" ? obj.kind : "Unknown",
      namespace: typeof metadata.namespace === "string" ? metadata.namespace : undefined,
      name: typeof metadata.name === "string" ? metadata.name : "(unnamed)",
      file: where.file,
    };
    this.walk(obj, { resource, lineOf: where.lineOf ?? (() => undefined), prefix: "", allow: allowList(obj) });
  }

  private walk(obj: Record<string, unknown>, ctx: WalkContext): void {
    const kind = obj.kind;
    if (kind === "ConfigMap") this.configMap(obj, ctx);
    if (kind === "Secret") this.secret(obj, ctx);
    visitPodValues(obj, (value, name, cursor) => this.checkPodValue(value, name, cursor, ctx));
    this.annotations(obj, ctx);
  }

  private configMap(obj: Record<string, unknown>, ctx: WalkContext): void {
    for (const [field, decode] of [["data", false], ["binaryData", true]] as const) {
      const map = obj[field];
      if (!isRecord(map)) continue;
      // Object.keys, not Object.entries: a large `data` map is a dictionary, and entries of one cost 4x.
      for (const key of Object.keys(map)) {
        const raw = map[key];
        if (typeof raw !== "string") continue;
        const value = decode ? textOf(raw) : raw;
        if (value === undefined) continue;
        const found = this.detect(value, key);
        if (found !== undefined) this.report(found, { path: [field, key], display: [field, key] }, key, ctx);
      }
    }
  }

  private secret(obj: Record<string, unknown>, ctx: WalkContext): void {
    const data = isRecord(obj.data) ? obj.data : {};
    if (obj.type === HELM_RELEASE_TYPE && typeof data.release === "string") {
      this.helmRelease(data.release, ctx);
      return;
    }
    // A SOPS-encrypted Secret is what we want people to commit; Helm's own rendered Secrets live
    // inside a Secret already.
    if (obj.sops !== undefined || ctx.embedded === "helm") return;
    const ruleId = ctx.embedded === "last-applied" ? "last-applied-secret-data" : "plaintext-secret-manifest";
    for (const field of ["data", "stringData"] as const) {
      const map = obj[field];
      if (!isRecord(map)) continue;
      for (const key of Object.keys(map)) {
        const raw = map[key];
        if (typeof raw !== "string" || raw === "" || ENCRYPTED_VALUE.test(raw)) continue;
        const secret = field === "data" ? (textOf(raw) ?? raw) : raw;
        this.emit({ ruleId, confidence: "high", path: [field, key], display: [field, key], name: key, secret }, ctx);
      }
    }
  }

  private helmRelease(apiValue: string, ctx: WalkContext): void {
    const release = decodeHelmRelease(apiValue);
    if (release === undefined) return;
    const path = ["data", "release"];
    const inner = { ...ctx, lineOf: () => ctx.lineOf(path), prefix: `${ctx.prefix}data.release.` };
    this.values(release.config, ["config"], undefined, inner);
    if (release.manifest === undefined) return;
    for (const { obj } of parseManifests(release.manifest).objects) {
      const metadata = isRecord(obj.metadata) ? obj.metadata : {};
      const label = `${String(obj.kind)}/${String(metadata.name ?? "")}`;
      this.walk(obj, { ...inner, prefix: `${inner.prefix}manifest[${label}].`, embedded: "helm", allow: new Set([...ctx.allow, ...allowList(obj)]) });
    }
  }

  /** Every string leaf of a values tree (Helm `config`), with its own key as the name. */
  private values(node: unknown, display: PathSegment[], name: string | undefined, ctx: WalkContext): void {
    if (typeof node === "string") {
      const found = this.detect(node, name);
      if (found !== undefined) this.report(found, { path: [], display }, name, ctx);
    } else if (Array.isArray(node)) {
      node.forEach((item, index) => this.values(item, [...display, index], name, ctx));
    } else if (isRecord(node)) {
      for (const [key, value] of Object.entries(node)) this.values(value, [...display, key], key, ctx);
    }
  }

  private annotations(obj: Record<string, unknown>, ctx: WalkContext): void {
    const annotations = isRecord(obj.metadata) && isRecord(obj.metadata.annotations) ? obj.metadata.annotations : {};
    for (const [name, value] of Object.entries(annotations)) {
      if (typeof value !== "string" || name === ALLOW_ANNOTATION) continue;
      const path = ["metadata", "annotations", name];
      if (name === LAST_APPLIED_ANNOTATION) {
        const applied = parseJson(value);
        if (isRecord(applied)) {
          const allow = new Set([...ctx.allow, ...allowList(applied)]);
          this.walk(applied, { ...ctx, allow, lineOf: () => ctx.lineOf(path), prefix: `${ctx.prefix}${formatKey(path)}.`, embedded: ctx.embedded ?? "last-applied" });
          continue;
        }
      }
      const found = this.detect(value, name);
      if (found !== undefined) this.report(found, { path, display: path }, name, ctx);
    }
  }

  private checkPodValue(value: string, name: string | undefined, cursor: PodValueCursor, ctx: WalkContext): void {
    const found = this.detect(value, name);
    if (found !== undefined) this.report(found, podValueSite(cursor), name, ctx);
  }

  /** What the detector finds in a value (undefined for nothing: the usual case, so no path is built). */
  private detect(value: string, name: string | undefined): Detection[] | undefined {
    if (value === "" || isEncryptedValue(value)) return undefined;
    const found = this.detector.detect({ key: name, value });
    return found.length === 0 ? undefined : found;
  }

  private report(found: readonly Detection[], site: ValueSite, name: string | undefined, ctx: WalkContext): void {
    for (const detection of found) {
      this.emit({ ruleId: detection.ruleId, confidence: detection.confidence, path: site.path, display: site.display, name, secret: detection.match }, ctx);
    }
  }

  private emit(
    found: { ruleId: string; confidence: Confidence; path: ObjectPath; display: DisplayPath; name: string | undefined; secret: string },
    ctx: WalkContext,
  ): void {
    const key = ctx.prefix + formatKey(found.display);
    if (ctx.allow.has("*") || ctx.allow.has(key) || (found.name !== undefined && ctx.allow.has(found.name))) {
      this.allowed++;
      return;
    }
    this.findings.push({
      ruleId: found.ruleId,
      confidence: found.confidence,
      resource: ctx.resource,
      line: ctx.lineOf(found.path),
      key,
      redacted: redact(found.secret),
      fingerprint: fingerprint(found.ruleId, ctx.resource, key, found.secret),
    });
  }
}

/** The keys listed in the object's `coffer.dev/scan-allow` annotation. */
export function allowList(obj: Record<string, unknown>): Set<string> {
  const annotations = isRecord(obj.metadata) && isRecord(obj.metadata.annotations) ? obj.metadata.annotations : {};
  const raw = annotations[ALLOW_ANNOTATION];
  return new Set(typeof raw === "string" ? raw.split(",").map((entry) => entry.trim()).filter((entry) => entry !== "") : []);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** base64 that decodes to UTF-8 text; undefined for binary content (keystores, images). */
export function textOf(base64: string): string | undefined {
  const bytes = Buffer.from(base64, "base64");
  const text = bytes.toString("utf8");
  return text.includes("\uFFFD") || text.includes("\u0000") ? undefined : text;
}
