import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stsSessionName } from "../../../../providers/aws-kms/index.js";
import { startAwsKmsFake, type AwsKmsFake } from "../../../fakes/aws-kms/server.js";
import { kmsTemplate, providerFor, rejectionCode } from "./helpers.js";

let fake: AwsKmsFake;
beforeAll(async () => {
  fake = await startAwsKmsFake();
});
afterAll(async () => {
  await fake.close();
});

describe("sts session name (as sops)", () => {
  it("removes characters outside [a-zA-Z0-9=,.@-_] (where @-_ is a range, so '-' goes)", () => {
    expect(stsSessionName("build-host.example")).toBe("sops@buildhost.example");
    expect(stsSessionName("a b/c:d_e[f]")).toBe("sops@abcd_e[f]");
  });

  it("truncates to 64 characters", () => {
    const name = stsSessionName("h".repeat(100));
    expect(name.length).toBe(64);
    expect(name.startsWith("sops@hhh")).toBe(true);
  });
});

describe("aws kms provider: role entries", () => {
  it("assumes the role through STS and uses its credentials for KMS", async () => {
    const role = fake.createRole("sops-decrypt", [fake.credentials.accessKeyId]);
    const key = fake.createKey({ allow: [role.arn] });
    const provider = providerFor(fake);
    const dataKey = randomBytes(32);
    const before = fake.calls.length;
    const wrapped = await provider.wrap(dataKey, kmsTemplate(key.arn, { role: role.arn }));
    expect(wrapped.fields.entries().map((entry) => entry.key)).toEqual(["arn", "role", "created_at", "enc", "aws_profile"]);
    expect(Buffer.from((await provider.unwrap(wrapped)) ?? []).equals(dataKey)).toBe(true);
    const calls = fake.calls.slice(before);
    const assume = calls.filter((call) => call.operation === "AssumeRole");
    // One assumption, reused for both calls.
    expect(assume.length).toBe(1);
    expect(assume[0]?.roleSessionName).toBe("sops@buildhost.example");
    expect(assume[0]?.accessKeyId).toBe(fake.credentials.accessKeyId);
    const kms = calls.filter((call) => call.operation !== "AssumeRole");
    expect(kms.map((call) => call.status)).toEqual([200, 200]);
    expect(kms.every((call) => call.accessKeyId?.startsWith("ASIA") === true)).toBe(true);
  });

  it("without the role, the same key is denied", async () => {
    const role = fake.createRole("only-role");
    const key = fake.createKey({ allow: [role.arn] });
    expect(await rejectionCode(providerFor(fake).wrap(randomBytes(32), kmsTemplate(key.arn)))).toBe("PROVIDER_DENIED");
  });

  it("a role the caller may not assume is PROVIDER_DENIED", async () => {
    const other = fake.addAccessKey();
    const role = fake.createRole("someone-elses", [other.accessKeyId]);
    const key = fake.createKey();
    const error = await providerFor(fake).wrap(randomBytes(32), kmsTemplate(key.arn, { role: role.arn })).catch((e: unknown) => e);
    expect((error as { code?: string }).code).toBe("PROVIDER_DENIED");
    expect((error as Error).message).toContain(role.arn);
    expect(fake.calls.at(-1)).toMatchObject({ operation: "AssumeRole", status: 403, error: "AccessDenied" });
  });
});
