import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { awsKmsOptionsFromEnv } from "../../../../providers/aws-kms/index.js";
import { chooseCredentialSource } from "../../../../providers/aws-kms/credentials.js";
import { loadAwsKmsProvider } from "../../../../providers/aws-kms/load.js";
import { errorCodeOf } from "../../../helpers/errors.js";
import { startAwsKmsFake, type AwsKmsFake } from "../../../fakes/aws-kms/server.js";
import { kmsTemplate, providerFor, rejectionCode } from "./helpers.js";

let fake: AwsKmsFake;
let dir: string;
beforeAll(async () => {
  fake = await startAwsKmsFake();
  dir = await mkdtemp(join(tmpdir(), "coffer-aws-kms-"));
});
afterAll(async () => {
  await fake.close();
  await rm(dir, { recursive: true, force: true });
});
afterEach(() => {
  vi.unstubAllEnvs();
});

describe("aws kms options from the environment map", () => {
  it("reads credentials, profile, endpoints and the timeout", () => {
    const options = awsKmsOptionsFromEnv({
      AWS_ACCESS_KEY_ID: "AKIAEXAMPLE",
      AWS_SECRET_ACCESS_KEY: "secret",
      AWS_SESSION_TOKEN: "token",
      AWS_PROFILE: "dev",
      AWS_ENDPOINT_URL_KMS: "http://127.0.0.1:1",
      AWS_ENDPOINT_URL_STS: "http://127.0.0.1:2",
      COFFER_AWS_KMS_TIMEOUT_MS: "2500",
    });
    expect(options).toEqual({
      credentials: { accessKeyId: "AKIAEXAMPLE", secretAccessKey: "secret", sessionToken: "token" },
      profile: "dev",
      endpoint: "http://127.0.0.1:1",
      stsEndpoint: "http://127.0.0.1:2",
      timeoutMs: 2500,
    });
  });

  it("ignores half-set and empty credentials and falls back to AWS_ENDPOINT_URL", () => {
    expect(awsKmsOptionsFromEnv({ AWS_ACCESS_KEY_ID: "AKIA", AWS_PROFILE: "", AWS_ENDPOINT_URL: "http://h:1" })).toEqual({
      endpoint: "http://h:1",
      stsEndpoint: "http://h:1",
    });
  });

  it("rejects a timeout that is not a positive integer", () => {
    expect(errorCodeOf(() => awsKmsOptionsFromEnv({ COFFER_AWS_KMS_TIMEOUT_MS: "soon" }))).toBe("USAGE");
    expect(errorCodeOf(() => awsKmsOptionsFromEnv({ COFFER_AWS_KMS_TIMEOUT_MS: "0" }))).toBe("USAGE");
  });

  it("prefers the entry's profile, then AWS_PROFILE, then static keys, then the default chain", () => {
    const credentials = { accessKeyId: "A", secretAccessKey: "S" };
    expect(chooseCredentialSource({ credentials, profile: "env" }, "entry")).toEqual({ kind: "profile", profile: "entry" });
    expect(chooseCredentialSource({ credentials, profile: "env" }, undefined)).toEqual({ kind: "profile", profile: "env" });
    expect(chooseCredentialSource({ credentials }, undefined)).toEqual({ kind: "static", credentials });
    expect(chooseCredentialSource({}, undefined)).toEqual({ kind: "default-chain" });
  });
});

describe("loadAwsKmsProvider", () => {
  it("round-trips with credentials and the endpoint from context.env", async () => {
    const key = fake.createKey();
    const env = {
      AWS_ACCESS_KEY_ID: fake.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: fake.credentials.secretAccessKey,
      AWS_ENDPOINT_URL_KMS: fake.url,
    };
    const provider = await loadAwsKmsProvider({ env, homeDir: dir, platform: process.platform });
    expect(provider.type).toBe("kms");
    const dataKey = randomBytes(32);
    const wrapped = await provider.wrap(dataKey, kmsTemplate(key.arn));
    expect(Buffer.from((await provider.unwrap(wrapped)) ?? []).equals(dataKey)).toBe(true);
    expect(fake.calls.at(-1)?.accessKeyId).toBe(fake.credentials.accessKeyId);
  });

  it("sends AWS_SESSION_TOKEN with temporary credentials", async () => {
    const temporary = fake.addAccessKey();
    temporary.sessionToken = "session-token-value";
    const key = fake.createKey();
    const base = { AWS_ACCESS_KEY_ID: temporary.accessKeyId, AWS_SECRET_ACCESS_KEY: temporary.secretAccessKey, AWS_ENDPOINT_URL_KMS: fake.url };
    const context = { homeDir: dir, platform: process.platform };
    const withToken = await loadAwsKmsProvider({ ...context, env: { ...base, AWS_SESSION_TOKEN: "session-token-value" } });
    expect((await withToken.wrap(randomBytes(32), kmsTemplate(key.arn))).fields.has("enc")).toBe(true);
    const withoutToken = await loadAwsKmsProvider({ ...context, env: base });
    expect(await rejectionCode(withoutToken.wrap(randomBytes(32), kmsTemplate(key.arn)))).toBe("PROVIDER_DENIED");
  });

  it("uses the entry's aws_profile from the shared credentials file over static keys", async () => {
    const profileKey = fake.addAccessKey();
    const credentialsFile = join(dir, "credentials");
    await writeFile(
      credentialsFile,
      `[team]\naws_access_key_id = ${profileKey.accessKeyId}\naws_secret_access_key = ${profileKey.secretAccessKey}\n`,
    );
    // The SDK's shared-file loader finds its files through these (test-only: the paths, not the keys).
    vi.stubEnv("AWS_SHARED_CREDENTIALS_FILE", credentialsFile);
    vi.stubEnv("AWS_CONFIG_FILE", join(dir, "no-config"));
    const key = fake.createKey({ allow: [profileKey.accessKeyId] });
    const provider = providerFor(fake, { credentials: { accessKeyId: "AKIAWRONG", secretAccessKey: "wrong" } });
    const dataKey = randomBytes(32);
    const wrapped = await provider.wrap(dataKey, kmsTemplate(key.arn, { awsProfile: "team" }));
    expect(wrapped.fields.get("aws_profile")).toBe("team");
    expect(fake.calls.at(-1)?.accessKeyId).toBe(profileKey.accessKeyId);
    expect(Buffer.from((await provider.unwrap(wrapped)) ?? []).equals(dataKey)).toBe(true);
  });
});
