/** The fake itself, driven by the real SDK: the shapes it returns are the ones the SDK parses. */
import { DecryptCommand, DescribeKeyCommand, EncryptCommand, GenerateDataKeyCommand, KMSClient } from "@aws-sdk/client-kms";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildWithoutNodeWarning } from "../../../../providers/aws-kms/quiet-sdk.js";
import { startAwsKmsFake, type AwsKmsFake } from "../../../fakes/aws-kms/server.js";

let fake: AwsKmsFake;
let client: KMSClient;
beforeAll(async () => {
  fake = await startAwsKmsFake();
  client = buildWithoutNodeWarning(
    () => new KMSClient({ region: fake.region, endpoint: fake.url, credentials: { ...fake.credentials }, maxAttempts: 1 }),
  );
});
afterAll(async () => {
  client.destroy();
  await fake.close();
});

async function errorName(promise: Promise<unknown>): Promise<string> {
  return promise.then(
    () => "RESOLVED",
    (error: unknown) => (error as Error).name,
  );
}

describe("aws kms fake through the real SDK", () => {
  it("decrypts without KeyId (the key id travels in the blob) and binds the context", async () => {
    const key = fake.createKey();
    const encrypted = await client.send(
      new EncryptCommand({ KeyId: key.arn, Plaintext: Buffer.from("hello"), EncryptionContext: { a: "1", b: "2" } }),
    );
    expect(encrypted.KeyId).toBe(key.arn);
    const blob = encrypted.CiphertextBlob;
    const decrypted = await client.send(new DecryptCommand({ CiphertextBlob: blob, EncryptionContext: { b: "2", a: "1" } }));
    expect(Buffer.from(decrypted.Plaintext ?? []).toString()).toBe("hello");
    expect(await errorName(client.send(new DecryptCommand({ CiphertextBlob: blob, EncryptionContext: { a: "1" } })))).toBe(
      "InvalidCiphertextException",
    );
  });

  it("returns each error type as the SDK error name", async () => {
    const key = fake.createKey({ alias: "named" });
    const other = fake.createKey();
    const { CiphertextBlob } = await client.send(new EncryptCommand({ KeyId: "alias/named", Plaintext: Buffer.from("x") }));
    expect(await errorName(client.send(new DecryptCommand({ KeyId: other.arn, CiphertextBlob })))).toBe("IncorrectKeyException");
    expect(await errorName(client.send(new DecryptCommand({ CiphertextBlob: Buffer.from("garbage") })))).toBe("InvalidCiphertextException");
    expect(await errorName(client.send(new EncryptCommand({ KeyId: "alias/missing", Plaintext: Buffer.from("x") })))).toBe("NotFoundException");
    key.enabled = false;
    expect(await errorName(client.send(new DecryptCommand({ CiphertextBlob })))).toBe("DisabledException");
    fake.inject({ kind: "throttle" });
    expect(await errorName(client.send(new DescribeKeyCommand({ KeyId: other.id })))).toBe("ThrottlingException");
    fake.inject({ kind: "server-error" });
    expect(await errorName(client.send(new DescribeKeyCommand({ KeyId: other.id })))).toBe("KMSInternalException");
    const stranger = buildWithoutNodeWarning(
      () => new KMSClient({ region: fake.region, endpoint: fake.url, credentials: { accessKeyId: "AKIANOBODY", secretAccessKey: "x" }, maxAttempts: 1 }),
    );
    expect(await errorName(stranger.send(new DescribeKeyCommand({ KeyId: other.id })))).toBe("UnrecognizedClientException");
    stranger.destroy();
  });

  it("generates data keys and describes keys", async () => {
    const key = fake.createKey();
    const generated = await client.send(new GenerateDataKeyCommand({ KeyId: key.id, KeySpec: "AES_256" }));
    expect(generated.Plaintext?.length).toBe(32);
    const decrypted = await client.send(new DecryptCommand({ CiphertextBlob: generated.CiphertextBlob }));
    expect(Buffer.from(decrypted.Plaintext ?? []).equals(Buffer.from(generated.Plaintext ?? []))).toBe(true);
    const described = await client.send(new DescribeKeyCommand({ KeyId: key.arn }));
    expect(described.KeyMetadata?.Arn).toBe(key.arn);
    expect(described.KeyMetadata?.Enabled).toBe(true);
  });

  it("keeps keys to their region", async () => {
    const key = fake.createKey({ region: "eu-central-1" });
    expect(await errorName(client.send(new EncryptCommand({ KeyId: key.arn, Plaintext: Buffer.from("x") })))).toBe("NotFoundException");
  });
});
