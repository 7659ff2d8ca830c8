import { randomBytes } from "node:crypto";
import { createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TreeMap } from "../../../../src/core/tree.js";
import { isCofferError } from "../../../../src/errors.js";
import { startAwsKmsFake, type AwsKmsFake } from "../../../fakes/aws-kms/server.js";
import { kmsTemplate, providerFor, rejectionCode, withField } from "./helpers.js";

let fake: AwsKmsFake;
beforeAll(async () => {
  fake = await startAwsKmsFake();
});
afterAll(async () => {
  await fake.close();
});

async function wrappedFor(options: Parameters<typeof fake.createKey>[0] = {}, context?: Record<string, string>) {
  const key = fake.createKey(options);
  const wrapped = await providerFor(fake).wrap(randomBytes(32), kmsTemplate(key.arn, context === undefined ? {} : { context }));
  return { key, wrapped };
}

function callsSince(before: number, operation: string) {
  return fake.calls.slice(before).filter((call) => call.operation === operation);
}

describe("aws kms provider: service failures map to codes", () => {
  it("a changed encryption context is CIPHERTEXT_INVALID", async () => {
    const { wrapped } = await wrappedFor({}, { app: "web" });
    const code = await rejectionCode(providerFor(fake).unwrap(withField(wrapped, "context", TreeMap.from({ app: "api" }))));
    expect(code).toBe("CIPHERTEXT_INVALID");
  });

  it("a removed encryption context is CIPHERTEXT_INVALID", async () => {
    const { wrapped } = await wrappedFor({}, { app: "web" });
    const fields = new TreeMap(wrapped.fields.entries().filter((entry) => entry.key !== "context"));
    expect(await rejectionCode(providerFor(fake).unwrap({ type: "kms", fields }))).toBe("CIPHERTEXT_INVALID");
  });

  it("an edited blob is CIPHERTEXT_INVALID", async () => {
    const { wrapped } = await wrappedFor();
    const blob = Buffer.from(String(wrapped.fields.get("enc")), "base64");
    blob[blob.length - 3] = (blob[blob.length - 3] ?? 0) ^ 1;
    expect(await rejectionCode(providerFor(fake).unwrap(withField(wrapped, "enc", blob.toString("base64"))))).toBe("CIPHERTEXT_INVALID");
  });

  it("a blob of another key is CIPHERTEXT_INVALID", async () => {
    const first = await wrappedFor();
    const second = await wrappedFor();
    const moved = withField(first.wrapped, "enc", String(second.wrapped.fields.get("enc")));
    expect(await rejectionCode(providerFor(fake).unwrap(moved))).toBe("CIPHERTEXT_INVALID");
  });

  it("unknown credentials are PROVIDER_DENIED with a credentials hint", async () => {
    const { wrapped } = await wrappedFor();
    const provider = providerFor(fake, { credentials: { accessKeyId: "AKIAUNKNOWN", secretAccessKey: "x" } });
    const error = await provider.unwrap(wrapped).catch((e: unknown) => e);
    expect(isCofferError(error, "PROVIDER_DENIED")).toBe(true);
    expect((error as { hint?: string }).hint).toContain("AWS_ACCESS_KEY_ID");
    expect(fake.calls.at(-1)?.error).toBe("UnrecognizedClientException");
  });

  it("a key policy that does not allow the caller is PROVIDER_DENIED", async () => {
    const other = fake.addAccessKey();
    const key = fake.createKey({ allow: [other.accessKeyId] });
    expect(await rejectionCode(providerFor(fake).wrap(randomBytes(32), kmsTemplate(key.arn)))).toBe("PROVIDER_DENIED");
    expect(fake.calls.at(-1)?.error).toBe("AccessDeniedException");
    const allowed = providerFor(fake, { credentials: other });
    expect((await allowed.wrap(randomBytes(32), kmsTemplate(key.arn))).fields.has("enc")).toBe(true);
  });

  it("a key that does not exist is PROVIDER_DENIED and names the arn", async () => {
    const arn = `arn:aws:kms:${fake.region}:${fake.account}:key/00000000-0000-0000-0000-000000000000`;
    const error = await providerFor(fake).wrap(randomBytes(32), kmsTemplate(arn)).catch((e: unknown) => e);
    expect(isCofferError(error, "PROVIDER_DENIED")).toBe(true);
    expect((error as Error).message).toContain(arn);
    expect(fake.calls.at(-1)?.error).toBe("NotFoundException");
  });

  it("a disabled key is PROVIDER_DENIED", async () => {
    const { key, wrapped } = await wrappedFor();
    key.enabled = false;
    expect(await rejectionCode(providerFor(fake).unwrap(wrapped))).toBe("PROVIDER_DENIED");
    expect(fake.calls.at(-1)?.error).toBe("DisabledException");
  });
});

describe("aws kms provider: retries and timeouts", () => {
  it("retries throttling and then succeeds", async () => {
    const { wrapped } = await wrappedFor();
    const before = fake.calls.length;
    fake.inject({ kind: "throttle", times: 2 });
    expect((await providerFor(fake).unwrap(wrapped))?.length).toBe(32);
    expect(callsSince(before, "Decrypt").map((call) => call.fault ?? "ok")).toEqual(["throttle", "throttle", "ok"]);
  });

  it("gives up after maxAttempts of throttling with PROVIDER_UNAVAILABLE", async () => {
    const { wrapped } = await wrappedFor();
    const before = fake.calls.length;
    fake.inject({ kind: "throttle", times: 4 });
    const provider = providerFor(fake, { retry: { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 2 } });
    expect(await rejectionCode(provider.unwrap(wrapped))).toBe("PROVIDER_UNAVAILABLE");
    expect(callsSince(before, "Decrypt").map((call) => call.fault)).toEqual(["throttle", "throttle", "throttle", "throttle"]);
    // The faults are used up: the next call goes through.
    expect((await provider.unwrap(wrapped))?.length).toBe(32);
  });

  it("retries a 500 and a reset connection, then succeeds", async () => {
    const { wrapped } = await wrappedFor();
    const before = fake.calls.length;
    fake.inject({ kind: "server-error" });
    fake.inject({ kind: "reset" });
    expect((await providerFor(fake).unwrap(wrapped))?.length).toBe(32);
    expect(callsSince(before, "Decrypt").map((call) => call.fault ?? "ok")).toEqual(["server-error", "reset", "ok"]);
  });

  it("does not retry a denial", async () => {
    const { key, wrapped } = await wrappedFor();
    key.enabled = false;
    const before = fake.calls.length;
    expect(await rejectionCode(providerFor(fake).unwrap(wrapped))).toBe("PROVIDER_DENIED");
    expect(callsSince(before, "Decrypt").length).toBe(1);
  });

  it("a response slower than the timeout is PROVIDER_UNAVAILABLE, not a hang", async () => {
    const { wrapped } = await wrappedFor();
    fake.inject({ kind: "delay", ms: 20_000 });
    const started = Date.now();
    const code = await rejectionCode(providerFor(fake, { timeoutMs: 300, retry: { maxAttempts: 1 } }).unwrap(wrapped));
    expect(code).toBe("PROVIDER_UNAVAILABLE");
    // Generous bound: far below the injected delay, so only a hang can fail it.
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it("a refused connection is PROVIDER_UNAVAILABLE", async () => {
    const { wrapped } = await wrappedFor();
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, "127.0.0.1", () => {
        const address = probe.address();
        probe.close(() => resolve(typeof address === "object" && address !== null ? address.port : 9));
      });
    });
    const provider = providerFor(fake, { endpoint: `http://127.0.0.1:${port}` });
    expect(await rejectionCode(provider.unwrap(wrapped))).toBe("PROVIDER_UNAVAILABLE");
  });
});
