/**
 * The CLI loader and credential selection: everything comes from the context env (never
 * process.env), in sops's order, and reaches the fake as a real bearer credential.
 */
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { TreeMap } from "../../../../src/core/tree.js";
import { isCofferError } from "../../../../src/errors.js";
import type { KeyProvider, KeyStanza } from "../../../../src/provider.js";
import { gcpCredentialsFromEnv } from "../../../../providers/gcp-kms/index.js";
import { loadGcpKmsProvider } from "../../../../providers/gcp-kms/load.js";
import { FAKE_KEY, startGcpKmsFake, type GcpKmsFake } from "../../../fakes/gcp-kms/index.js";

const EMAIL = "coffer-test@coffer-test.iam.gserviceaccount.com";
const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const serviceAccount = {
  type: "service_account",
  project_id: "coffer-test",
  private_key_id: "k1",
  private_key: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
  client_email: EMAIL,
  client_id: "1",
  token_uri: "https://oauth2.googleapis.com/token",
};

let fake: GcpKmsFake;
let dir: string;
beforeAll(async () => {
  fake = await startGcpKmsFake();
  fake.addServiceAccount(EMAIL, publicKey.export({ type: "spki", format: "pem" }).toString());
  dir = mkdtempSync(join(tmpdir(), "coffer-gcp-"));
});
afterAll(async () => {
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});

const key: KeyStanza = { type: "gcp_kms", fields: TreeMap.from({ resource_id: FAKE_KEY }) };

function load(env: Record<string, string | undefined>): Promise<KeyProvider> {
  return loadGcpKmsProvider({ env, homeDir: dir, platform: process.platform });
}

async function roundTrip(provider: KeyProvider): Promise<boolean> {
  const dataKey = randomBytes(32);
  const unwrapped = await provider.unwrap(await provider.wrap(dataKey, key));
  return Buffer.from(unwrapped ?? []).equals(dataKey);
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  return promise.then(
    () => "NO_ERROR",
    (error: unknown) => (isCofferError(error) ? error.code : `NOT_A_COFFER_ERROR: ${String(error)}`),
  );
}

describe("loadGcpKmsProvider", () => {
  for (const transport of ["grpc", "rest"] as const) {
    const endpoint = () => `http://127.0.0.1:${transport === "grpc" ? fake.grpcPort : fake.restPort}`;

    it(`uses GOOGLE_OAUTH_ACCESS_TOKEN over ${transport} (SOPS_GCP_KMS_CLIENT_TYPE, SOPS_GCP_KMS_ENDPOINT)`, async () => {
      const start = fake.calls.length;
      const provider = await load({
        GOOGLE_OAUTH_ACCESS_TOKEN: fake.token,
        SOPS_GCP_KMS_ENDPOINT: endpoint(),
        ...(transport === "rest" ? { SOPS_GCP_KMS_CLIENT_TYPE: "rest" } : {}),
      });
      expect(await roundTrip(provider)).toBe(true);
      expect(fake.calls.slice(start).map((call) => [call.transport, call.authorization])).toEqual([
        [transport, `Bearer ${fake.token}`],
        [transport, `Bearer ${fake.token}`],
      ]);
    });

    it(`signs with the GOOGLE_CREDENTIALS service account (JSON content) over ${transport}`, async () => {
      const start = fake.calls.length;
      const provider = await load({
        GOOGLE_CREDENTIALS: JSON.stringify(serviceAccount),
        SOPS_GCP_KMS_ENDPOINT: endpoint(),
        SOPS_GCP_KMS_CLIENT_TYPE: transport,
      });
      expect(await roundTrip(provider)).toBe(true);
      const sent = fake.calls.slice(start).map((call) => call.authorization ?? "");
      expect(sent.every((header) => header.startsWith("Bearer ey"))).toBe(true);
    });
  }

  it("reads GOOGLE_CREDENTIALS as a path and GOOGLE_APPLICATION_CREDENTIALS as a key file", async () => {
    const file = join(dir, "sa.json");
    writeFileSync(file, JSON.stringify(serviceAccount));
    const endpoint = `http://127.0.0.1:${fake.restPort}`;
    expect(await roundTrip(await load({ GOOGLE_CREDENTIALS: file, SOPS_GCP_KMS_ENDPOINT: endpoint, SOPS_GCP_KMS_CLIENT_TYPE: "rest" }))).toBe(true);
    expect(await roundTrip(await load({ GOOGLE_APPLICATION_CREDENTIALS: file, SOPS_GCP_KMS_ENDPOINT: endpoint, SOPS_GCP_KMS_CLIENT_TYPE: "rest" }))).toBe(true);
  });

  it("reads the context env, not process.env", async () => {
    vi.stubEnv("GOOGLE_OAUTH_ACCESS_TOKEN", fake.token);
    try {
      const provider = await load({ GOOGLE_OAUTH_ACCESS_TOKEN: "not-the-token", SOPS_GCP_KMS_ENDPOINT: `http://127.0.0.1:${fake.grpcPort}` });
      expect(await codeOf(provider.wrap(randomBytes(32), key))).toBe("PROVIDER_DENIED");
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it("rejects an unknown SOPS_GCP_KMS_CLIENT_TYPE and a malformed endpoint with USAGE", async () => {
    expect(await codeOf(load({ GOOGLE_OAUTH_ACCESS_TOKEN: "t", SOPS_GCP_KMS_CLIENT_TYPE: "soap" }))).toBe("USAGE");
    expect(await codeOf(load({ GOOGLE_OAUTH_ACCESS_TOKEN: "t", SOPS_GCP_KMS_ENDPOINT: "host/with/path" }))).toBe("USAGE");
    expect(await codeOf(load({ GOOGLE_OAUTH_ACCESS_TOKEN: "t", COFFER_GCP_KMS_TIMEOUT_MS: "soon" }))).toBe("USAGE");
  });
});

describe("gcpCredentialsFromEnv", () => {
  it("prefers GOOGLE_OAUTH_ACCESS_TOKEN, then GOOGLE_CREDENTIALS, then GOOGLE_APPLICATION_CREDENTIALS, then ADC", () => {
    const json = JSON.stringify(serviceAccount);
    expect(gcpCredentialsFromEnv({ GOOGLE_OAUTH_ACCESS_TOKEN: "t", GOOGLE_CREDENTIALS: json }).source).toBe("GOOGLE_OAUTH_ACCESS_TOKEN");
    expect(gcpCredentialsFromEnv({ GOOGLE_CREDENTIALS: json, GOOGLE_APPLICATION_CREDENTIALS: "/x" }).source).toBe("GOOGLE_CREDENTIALS");
    expect(gcpCredentialsFromEnv({ GOOGLE_APPLICATION_CREDENTIALS: "/x" }).source).toBe("GOOGLE_APPLICATION_CREDENTIALS");
    expect(gcpCredentialsFromEnv({}).source).toBe("adc");
  });

  it("gives PROVIDER_DENIED for GOOGLE_CREDENTIALS that is neither JSON nor a readable file, without echoing it", () => {
    const secretish = '{"private_key": "-----BEGIN';
    let error: unknown;
    try {
      gcpCredentialsFromEnv({ GOOGLE_CREDENTIALS: secretish });
    } catch (e) {
      error = e;
    }
    expect(isCofferError(error, "PROVIDER_DENIED")).toBe(true);
    expect((error as Error).message).not.toContain("private_key");
    expect(() => gcpCredentialsFromEnv({ GOOGLE_CREDENTIALS: join(dir, "missing.json") })).toThrow(
      expect.objectContaining({ code: "PROVIDER_DENIED" }),
    );
  });
});
