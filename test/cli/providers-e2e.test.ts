/**
 * The CLI with network key services, against the wire-level fakes: encrypt with a flag, decrypt
 * with credentials from the environment, and only the SDK the file needs is loaded.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse as parseYaml } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshHome, runCofferAsync } from "../helpers/cli.js";
import { startVaultFake } from "../fakes/vault/server.js";
import { startAwsKmsFake } from "../fakes/aws-kms/server.js";
import { FAKE_KEY, gcpKmsOptionsForFake, startGcpKmsFake } from "../fakes/gcp-kms/index.js";
import { itWithBinary } from "../helpers/binaries.js";
import { createGnupgHome } from "../helpers/gnupg-home.js";

const preload = fileURLToPath(new URL("../helpers/record-loads.mjs", import.meta.url));

describe("Vault transit through the CLI", () => {
  let vault: Awaited<ReturnType<typeof startVaultFake>>;
  let home: string;
  let uri: string;

  beforeAll(async () => {
    vault = await startVaultFake();
    vault.createKey("transit", "app");
    home = freshHome();
    uri = `${vault.url}/v1/transit/keys/app`;
  });
  afterAll(async () => vault.close());

  it("encrypts with --hc-vault-transit and decrypts with VAULT_TOKEN, loading node-vault and no cloud SDK", async () => {
    const env = { HOME: home, VAULT_TOKEN: vault.rootToken };
    const enc = await runCofferAsync(["encrypt", "--hc-vault-transit", uri, "--input-type", "yaml", "-"], { env, input: "db_password: hunter2\n" });
    expect(enc.status, enc.stderr).toBe(0);
    const stanza = (parseYaml(enc.stdout) as { sops: { hc_vault: Array<Record<string, string>> } }).sops.hc_vault[0];
    expect(stanza?.vault_address).toBe(vault.url);
    expect(stanza?.engine_path).toBe("transit");
    expect(stanza?.key_name).toBe("app");
    expect(stanza?.enc).toMatch(/^vault:v1:/);

    const file = join(home, "vault.enc.yaml");
    writeFileSync(file, enc.stdout);
    const log = join(home, "loads.txt");
    writeFileSync(log, "");
    const dec = await runCofferAsync(["decrypt", file], { env: { ...env, COFFER_LOAD_LOG: log }, nodeArgs: ["--import", preload] });
    expect(dec.status, dec.stderr).toBe(0);
    expect(dec.stdout).toBe("db_password: hunter2\n");
    const loaded = readFileSync(log, "utf8");
    expect(loaded).toMatch(/node-vault/);
    expect(loaded).not.toMatch(/@aws-sdk|@google-cloud|@kubernetes/);
  });

  it("without a token, says which key failed and which credential to set", async () => {
    const env = { HOME: home, VAULT_TOKEN: vault.rootToken };
    const enc = await runCofferAsync(["encrypt", "--hc-vault-transit", uri, "--input-type", "yaml", "-"], { env, input: "a: b\n" });
    const dec = await runCofferAsync(["decrypt", "--input-type", "yaml", "-"], { env: { HOME: freshHome() }, input: enc.stdout });
    expect(dec.status).toBe(128);
    expect(dec.stderr).toMatch(/^coffer:   hc_vault .*permission denied/m);
    expect(dec.stderr).toContain(uri);
    expect(dec.stderr).toContain("(PROVIDER_DENIED)");
    expect(dec.stderr).toContain("VAULT_TOKEN");
    expect(dec.stderr).not.toContain("vault:v1:");
  });
});

describe("PGP through the CLI (real gpg)", () => {
  itWithBinary("gpg")("encrypts with --pgp and decrypts with the key in GNUPGHOME; a stranger's keyring is told what is missing", async () => {
    const gnupg = createGnupgHome();
    const stranger = createGnupgHome();
    try {
      const fp = gnupg.generateKey("Coffer CLI <cli@example.org>");
      const home = freshHome();
      const env = { HOME: home, GNUPGHOME: gnupg.dir };
      const enc = await runCofferAsync(["encrypt", "--pgp", fp, "--input-type", "json", "-"], { env, input: '{"token":"abc"}' });
      expect(enc.status, enc.stderr).toBe(0);
      expect((JSON.parse(enc.stdout) as { sops: { pgp: Array<{ fp: string }> } }).sops.pgp[0]?.fp).toBe(fp);
      const dec = await runCofferAsync(["decrypt", "--input-type", "json", "-"], { env, input: enc.stdout });
      expect(dec.status, dec.stderr).toBe(0);
      expect(JSON.parse(dec.stdout)).toEqual({ token: "abc" });
      const refused = await runCofferAsync(["decrypt", "--input-type", "json", "-"], { env: { HOME: home, GNUPGHOME: stranger.dir }, input: enc.stdout });
      expect(refused.status).toBe(128);
      expect(refused.stderr).toContain(`coffer:   pgp ${fp}`);
      expect(refused.stderr).toContain("PGP secret key");
    } finally {
      gnupg.close();
      stranger.close();
    }
  });
});

/** Encrypts `a: b` with `flags`, decrypts it, and returns the modules the decrypt loaded. */
async function roundTripLoading(flags: string[], env: Record<string, string>): Promise<string> {
  const home = freshHome();
  const enc = await runCofferAsync(["encrypt", ...flags, "--input-type", "yaml", "-"], { env: { HOME: home, ...env }, input: "token: abc\n" });
  expect(enc.status, enc.stderr).toBe(0);
  expect(enc.stdout).not.toContain("abc");
  const file = join(home, "s.enc.yaml");
  writeFileSync(file, enc.stdout);
  const log = join(home, "loads.txt");
  writeFileSync(log, "");
  const dec = await runCofferAsync(["decrypt", file], { env: { HOME: home, COFFER_LOAD_LOG: log, ...env }, nodeArgs: ["--import", preload] });
  expect(dec.status, dec.stderr).toBe(0);
  expect(dec.stdout).toBe("token: abc\n");
  expect(dec.stderr).toBe("");
  return readFileSync(log, "utf8");
}

describe("AWS KMS through the CLI", () => {
  let aws: Awaited<ReturnType<typeof startAwsKmsFake>>;
  beforeAll(async () => {
    aws = await startAwsKmsFake();
  });
  afterAll(async () => aws.close());

  it("encrypts with --kms and an encryption context, decrypts with AWS credentials, and loads only the AWS SDK", async () => {
    const key = aws.createKey({ alias: "cli" });
    const env = {
      AWS_ACCESS_KEY_ID: aws.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: aws.credentials.secretAccessKey,
      AWS_ENDPOINT_URL_KMS: aws.url,
    };
    const loaded = await roundTripLoading(["--kms", key.arn, "--encryption-context", "app:orders,env:prod"], env);
    expect(loaded).toMatch(/@aws-sdk\/client-kms/);
    expect(loaded).not.toMatch(/@google-cloud|google-gax|node-vault|@kubernetes/);
  });
});

describe("GCP KMS through the CLI", () => {
  let gcp: Awaited<ReturnType<typeof startGcpKmsFake>>;
  beforeAll(async () => {
    gcp = await startGcpKmsFake();
  });
  afterAll(async () => gcp.close());

  for (const transport of ["grpc", "rest"] as const) {
    it(`encrypts with --gcp-kms and decrypts over ${transport}, loading only the Google SDK`, async () => {
      const options = gcpKmsOptionsForFake(gcp, transport);
      const env = {
        GOOGLE_OAUTH_ACCESS_TOKEN: options.accessToken,
        SOPS_GCP_KMS_ENDPOINT: options.endpoint,
        SOPS_GCP_KMS_CLIENT_TYPE: transport,
        METADATA_SERVER_DETECTION: "none",
        GCE_METADATA_HOST: "127.0.0.1:9",
      };
      const loaded = await roundTripLoading(["--gcp-kms", FAKE_KEY], env);
      expect(loaded).toMatch(/@google-cloud\/kms/);
      expect(loaded).not.toMatch(/@aws-sdk|node-vault|@kubernetes/);
    });
  }
});
