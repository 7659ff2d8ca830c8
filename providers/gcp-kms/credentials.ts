/**
 * Credentials in sops's order (§6.4): `GOOGLE_OAUTH_ACCESS_TOKEN` (a static bearer token),
 * `GOOGLE_CREDENTIALS` (a path to, or the JSON of, a credentials file), else Application Default
 * Credentials (`GOOGLE_APPLICATION_CREDENTIALS`, the gcloud well-known file, the metadata
 * server). Everything is read from the env map it is given, never from process.env.
 */
import { readFileSync } from "node:fs";
import { GoogleAuth, googleAuthLibrary } from "google-gax";
import { CofferError } from "../../src/errors.js";

export const GCP_KMS_SCOPES = ["https://www.googleapis.com/auth/cloudkms", "https://www.googleapis.com/auth/cloud-platform"];

export interface GcpCredentials {
  auth: GoogleAuth;
  /** Which source was used, for diagnostics: the variable name or `adc`. */
  source: "GOOGLE_OAUTH_ACCESS_TOKEN" | "GOOGLE_CREDENTIALS" | "GOOGLE_APPLICATION_CREDENTIALS" | "adc";
}

/** An auth object that always sends `Authorization: Bearer <token>` and never refreshes. */
export function staticTokenAuth(token: string, universeDomain = "googleapis.com"): GoogleAuth {
  const client = new googleAuthLibrary.OAuth2Client({ universeDomain });
  client.setCredentials({ access_token: token });
  return new GoogleAuth({ authClient: client, universeDomain });
}

function readCredentialsJson(value: string): Record<string, unknown> {
  const text = value.trim().startsWith("{") ? value : readCredentialsFile(value.trim());
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // fall through to the coded error below; the content may be secret, so it is not quoted
  }
  throw new CofferError("PROVIDER_DENIED", "GOOGLE_CREDENTIALS is not a credentials JSON document", {
    hint: "set GOOGLE_CREDENTIALS to the path or the JSON content of a service account or authorized user key",
  });
}

function readCredentialsFile(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    throw new CofferError("PROVIDER_DENIED", `cannot read the GOOGLE_CREDENTIALS file ${path}`, {
      hint: "set GOOGLE_CREDENTIALS to the path or the JSON content of a credentials file",
      cause: error,
    });
  }
}

/** Picks the credentials source from `env` as sops does. */
export function gcpCredentialsFromEnv(env: Record<string, string | undefined>, universeDomain = "googleapis.com"): GcpCredentials {
  const token = env.GOOGLE_OAUTH_ACCESS_TOKEN?.trim();
  if (token) return { auth: staticTokenAuth(token, universeDomain), source: "GOOGLE_OAUTH_ACCESS_TOKEN" };
  const credentials = env.GOOGLE_CREDENTIALS;
  if (credentials?.trim()) {
    return {
      auth: new GoogleAuth({ credentials: readCredentialsJson(credentials), scopes: GCP_KMS_SCOPES, universeDomain }),
      source: "GOOGLE_CREDENTIALS",
    };
  }
  const keyFilename = env.GOOGLE_APPLICATION_CREDENTIALS?.trim();
  if (keyFilename) {
    return { auth: new GoogleAuth({ keyFilename, scopes: GCP_KMS_SCOPES, universeDomain }), source: "GOOGLE_APPLICATION_CREDENTIALS" };
  }
  return { auth: new GoogleAuth({ scopes: GCP_KMS_SCOPES, universeDomain }), source: "adc" };
}
