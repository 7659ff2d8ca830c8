import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TreeMap } from "../../../../src/core/tree.js";
import { startAwsKmsFake, type AwsKmsFake } from "../../../fakes/aws-kms/server.js";
import { kmsTemplate, providerFor, rejectionCode, withField } from "./helpers.js";

let fake: AwsKmsFake;
beforeAll(async () => {
  fake = await startAwsKmsFake({ region: "eu-west-1" });
});
afterAll(async () => {
  await fake.close();
});

describe("aws kms provider: wrap and unwrap", () => {
  it("writes the exact §6.3 layout: arn, role, context, created_at, enc, aws_profile", async () => {
    const key = fake.createKey();
    const provider = providerFor(fake);
    const template = kmsTemplate(key.arn, { context: { app: "web", env: "prod" }, awsProfile: "" });
    const wrapped = await provider.wrap(randomBytes(32), template);
    expect(wrapped.type).toBe("kms");
    expect(wrapped.fields.entries().map((entry) => entry.key)).toEqual(["arn", "context", "created_at", "enc", "aws_profile"]);
    expect(wrapped.fields.get("created_at")).toBe("2026-11-23T12:00:00Z");
    expect(wrapped.fields.get("aws_profile")).toBe("");
    const enc = String(wrapped.fields.get("enc"));
    expect(Buffer.from(enc, "base64").toString("base64")).toBe(enc);
    expect((wrapped.fields.get("context") as TreeMap).get("env")).toBe("prod");
  });

  it("writes aws_profile \"\" when the template has none and keeps unknown fields", async () => {
    const key = fake.createKey();
    const template = { type: "kms", fields: TreeMap.from({ arn: key.arn, extra_field: "kept" }) };
    const wrapped = await providerFor(fake).wrap(randomBytes(32), template);
    expect(wrapped.fields.entries().map((entry) => entry.key)).toEqual(["arn", "extra_field", "created_at", "enc", "aws_profile"]);
    expect(wrapped.fields.get("extra_field")).toBe("kept");
    expect(wrapped.fields.get("aws_profile")).toBe("");
  });

  it("round-trips a data key, sending the arn, the context and the arn's region", async () => {
    const key = fake.createKey();
    const provider = providerFor(fake);
    const dataKey = randomBytes(32);
    const wrapped = await provider.wrap(dataKey, kmsTemplate(key.arn, { context: { b: "2", a: "1" } }));
    const before = fake.calls.length;
    expect(Buffer.from((await provider.unwrap(wrapped)) ?? []).equals(dataKey)).toBe(true);
    const decrypt = fake.calls[before];
    expect(decrypt?.operation).toBe("Decrypt");
    expect(decrypt?.keyId).toBe(key.arn);
    expect(decrypt?.region).toBe("eu-west-1");
    expect(decrypt?.encryptionContext).toEqual({ a: "1", b: "2" });
    expect(decrypt?.accessKeyId).toBe(fake.credentials.accessKeyId);
  });

  it("works with an alias arn", async () => {
    const key = fake.createKey({ alias: "coffer-test" });
    const provider = providerFor(fake);
    const dataKey = randomBytes(32);
    const wrapped = await provider.wrap(dataKey, kmsTemplate(key.aliasArn ?? ""));
    expect(wrapped.fields.get("arn")).toBe(key.aliasArn);
    expect(Buffer.from((await provider.unwrap(wrapped)) ?? []).equals(dataKey)).toBe(true);
  });

  it("takes the region from the arn, whatever the key's region", async () => {
    const key = fake.createKey({ region: "ap-southeast-2" });
    const provider = providerFor(fake);
    const dataKey = randomBytes(33);
    const wrapped = await provider.wrap(dataKey, kmsTemplate(key.arn));
    expect(fake.calls.at(-1)?.region).toBe("ap-southeast-2");
    expect(Buffer.from((await provider.unwrap(wrapped)) ?? []).equals(dataKey)).toBe(true);
  });

  it("returns null for another type and never calls the service", async () => {
    const before = fake.calls.length;
    expect(await providerFor(fake).unwrap({ type: "gcp_kms", fields: TreeMap.from({ enc: "x" }) })).toBeNull();
    expect(fake.calls.length).toBe(before);
  });

  it("rejects malformed entries of its own type with codes, before any call", async () => {
    const key = fake.createKey();
    const provider = providerFor(fake);
    const wrapped = await provider.wrap(randomBytes(32), kmsTemplate(key.arn));
    const before = fake.calls.length;
    expect(await rejectionCode(provider.unwrap({ type: "kms", fields: TreeMap.from({ arn: key.arn }) }))).toBe("METADATA_INVALID");
    expect(await rejectionCode(provider.unwrap(withField(wrapped, "enc", "not base64!")))).toBe("CIPHERTEXT_INVALID");
    expect(await rejectionCode(provider.unwrap(withField(wrapped, "arn", "arn:aws:s3:::bucket")))).toBe("KEY_INVALID");
    expect(await rejectionCode(provider.wrap(randomBytes(32), { type: "kms", fields: new TreeMap() }))).toBe("METADATA_INVALID");
    expect(fake.calls.length).toBe(before);
  });
});
