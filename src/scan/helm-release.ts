/**
 * Helm 3 release Secrets (`sh.helm.release.v1.NAME.vN`, type `helm.sh/release.v1`): `data.release`
 * is base64 (the API's encoding of Secret data) of base64 of gzip of the release JSON. The user's
 * values (`config`) and the rendered `manifest` are what a scan looks at.
 */
import { gunzipSync, gzipSync } from "node:zlib";
import { isRecord } from "../records.js";

export const HELM_RELEASE_TYPE = "helm.sh/release.v1";

export interface HelmRelease {
  config: unknown;
  manifest: string | undefined;
}

const MAX_RELEASE_BYTES = 64 * 1024 * 1024;
const GZIP_MAGIC = [0x1f, 0x8b];

/** Decodes `data.release` as the API serves it; undefined when it is not a readable release. */
export function decodeHelmRelease(apiValue: string): HelmRelease | undefined {
  try {
    const helmEncoded = Buffer.from(apiValue, "base64").toString("latin1");
    let bytes = Buffer.from(helmEncoded, "base64");
    if (bytes[0] === GZIP_MAGIC[0] && bytes[1] === GZIP_MAGIC[1]) bytes = gunzipSync(bytes, { maxOutputLength: MAX_RELEASE_BYTES });
    const release: unknown = JSON.parse(bytes.toString("utf8"));
    if (!isRecord(release)) return undefined;
    return { config: release.config, manifest: typeof release.manifest === "string" ? release.manifest : undefined };
  } catch {
    return undefined;
  }
}

/** The inverse, for tests and benchmarks: what Helm stores for a release object. */
export function encodeHelmRelease(release: unknown): string {
  const helmEncoded = gzipSync(Buffer.from(JSON.stringify(release))).toString("base64");
  return Buffer.from(helmEncoded).toString("base64");
}
