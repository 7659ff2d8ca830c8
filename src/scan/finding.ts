/**
 * What `coffer scan` reports: one finding per credential, with where it sits and a stable
 * fingerprint for baselines. A finding never holds the secret itself, only a redacted form.
 */
import { createHash, createHmac } from "node:crypto";
import type { Confidence } from "./detector.js";

/** The object a finding sits in: a manifest document in a file, or a live cluster object. */
export interface ResourceRef {
  kind: string;
  namespace?: string | undefined;
  name: string;
  /** Path relative to the working directory ("-" for stdin); undefined for cluster objects. */
  file?: string | undefined;
}

export interface Finding {
  ruleId: string;
  confidence: Confidence;
  resource: ResourceRef;
  /** 1-based line of the key in the file (files only). */
  line?: number | undefined;
  /** Where in the object, e.g. `data.DB_URL`, `spec.template.spec.containers[app].env[API_TOKEN]`. */
  key: string;
  /** At most 4 characters of the secret followed by an ellipsis. */
  redacted: string;
  fingerprint: string;
}

/** Rules the scanner reports on its own (the detectors' rules come from the detector). */
export const SCANNER_RULES = [
  {
    id: "plaintext-secret-manifest",
    title: "Kubernetes Secret committed in plaintext",
    help: "Encrypt it (coffer encrypt -i FILE) or generate it from an encrypted source.",
    confidence: "high",
  },
  {
    id: "last-applied-secret-data",
    title: "Secret data copied into the last-applied-configuration annotation",
    help: "Apply Secrets with server-side apply (kubectl apply --server-side) and remove the annotation.",
    confidence: "high",
  },
] as const;

/**
 * Shows a short prefix only when the secret is long enough that the prefix says little about it
 * (a credential type such as `AKIA` or `ghp_`), never more than 4 characters.
 */
export function redact(secret: string): string {
  const shown = secret.length >= 16 ? 4 : secret.length >= 10 ? 2 : 0;
  return `${[...secret].slice(0, shown).join("")}…`;
}

// A fixed key: fingerprints must be equal across machines and runs for baselines to work. The
// HMAC only keeps the value out of the fingerprint's preimage in a recognisable form.
const VALUE_KEY = "coffer scan fingerprint v1";

export function resourceId(resource: ResourceRef): string {
  const where = resource.file === undefined ? "k8s" : `file:${resource.file}`;
  return `${where}|${resource.kind}|${resource.namespace ?? ""}|${resource.name}`;
}

export function fingerprint(ruleId: string, resource: ResourceRef, key: string, secret: string): string {
  const valueMac = createHmac("sha256", VALUE_KEY).update(secret).digest("hex");
  return createHash("sha256").update([ruleId, resourceId(resource), key, valueMac].join("\u0000")).digest("hex").slice(0, 32);
}

/** `kind/namespace/name` for humans. */
export function describeResource(resource: ResourceRef): string {
  return `${resource.kind}/${resource.namespace === undefined ? "" : `${resource.namespace}/`}${resource.name}`;
}
