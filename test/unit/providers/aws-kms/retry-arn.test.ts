import { describe, expect, it } from "vitest";
import { parseKmsKeyArn } from "../../../../providers/aws-kms/index.js";
import { backoffDelay, withRetries, type RetryPolicy } from "../../../../providers/aws-kms/retry.js";
import { isRetryableKmsError, kmsFailure } from "../../../../providers/aws-kms/errors.js";
import { errorCodeOf } from "../../../helpers/errors.js";

describe("parseKmsKeyArn", () => {
  it("reads region, account and resource from key and alias arns in any partition", () => {
    expect(parseKmsKeyArn("arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab")).toEqual({
      partition: "aws",
      region: "eu-west-1",
      account: "111122223333",
      resourceType: "key",
      resource: "1234abcd-12ab-34cd-56ef-1234567890ab",
    });
    expect(parseKmsKeyArn("arn:aws-us-gov:kms:us-gov-west-1:111122223333:alias/app/prod")).toMatchObject({
      partition: "aws-us-gov",
      region: "us-gov-west-1",
      resourceType: "alias",
      resource: "app/prod",
    });
    expect(parseKmsKeyArn("arn:aws-cn:kms:cn-north-1:111122223333:key/k").region).toBe("cn-north-1");
  });

  it("rejects what is not a kms key arn with KEY_INVALID", () => {
    for (const arn of ["", "alias/app", "arn:aws:s3:::bucket", "arn:aws:kms:us-east-1:acct:key/x", "arn:aws:kms::111122223333:key/x"]) {
      expect(errorCodeOf(() => parseKmsKeyArn(arn)), arn).toBe("KEY_INVALID");
    }
  });
});

describe("withRetries", () => {
  const policy: RetryPolicy = { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 1_000, random: () => 0.5, sleep: async () => undefined };

  it("stops after maxAttempts and rethrows the last error", async () => {
    let attempts = 0;
    const outcome = await withRetries(
      async () => {
        attempts++;
        throw new Error(`failure ${attempts}`);
      },
      () => true,
      policy,
    ).catch((error: unknown) => (error as Error).message);
    expect(attempts).toBe(3);
    expect(outcome).toBe("failure 3");
  });

  it("does not retry a non-retryable error", async () => {
    let attempts = 0;
    await withRetries(
      async () => {
        attempts++;
        throw new Error("no");
      },
      () => false,
      policy,
    ).catch(() => undefined);
    expect(attempts).toBe(1);
  });

  it("backs off exponentially with full jitter under a ceiling", async () => {
    const delays: number[] = [];
    const recording: RetryPolicy = { ...policy, maxAttempts: 6, sleep: async (ms) => void delays.push(ms) };
    await withRetries(() => Promise.reject(new Error("x")), () => true, recording).catch(() => undefined);
    // random() = 0.5 of the ceilings 100, 200, 400, 800, then the 1 000 cap.
    expect(delays).toEqual([50, 100, 200, 400, 500]);
    expect(backoffDelay({ ...policy, random: () => 0.999 }, 20)).toBeLessThan(1_000);
  });
});

describe("kms error mapping", () => {
  const context = { arn: "arn:aws:kms:us-east-1:111122223333:key/k", operation: "decrypt" as const };
  const sdkError = (name: string, status: number) => Object.assign(new Error("m"), { name, $metadata: { httpStatusCode: status } });

  it("maps names and statuses to codes", () => {
    const cases: Array<[unknown, string]> = [
      [sdkError("InvalidCiphertextException", 400), "CIPHERTEXT_INVALID"],
      [sdkError("AccessDeniedException", 400), "PROVIDER_DENIED"],
      [sdkError("InvalidSignatureException", 400), "PROVIDER_DENIED"],
      [sdkError("KMSInvalidStateException", 400), "PROVIDER_DENIED"],
      [sdkError("ThrottlingException", 400), "PROVIDER_UNAVAILABLE"],
      [sdkError("Unknown", 503), "PROVIDER_UNAVAILABLE"],
      [Object.assign(new Error("t"), { name: "TimeoutError", code: "ETIMEDOUT" }), "PROVIDER_UNAVAILABLE"],
      [Object.assign(new Error("r"), { code: "ECONNREFUSED" }), "PROVIDER_UNAVAILABLE"],
      [sdkError("ValidationException", 400), "PROVIDER_FAILED"],
      [new TypeError("odd"), "PROVIDER_FAILED"],
    ];
    for (const [error, code] of cases) expect(kmsFailure(error, context).code, String((error as Error).name)).toBe(code);
  });

  it("retries throttling, 5xx and resets only", () => {
    expect(isRetryableKmsError(sdkError("ThrottlingException", 400))).toBe(true);
    expect(isRetryableKmsError(sdkError("KMSInternalException", 500))).toBe(true);
    expect(isRetryableKmsError(Object.assign(new Error("reset"), { code: "ECONNRESET" }))).toBe(true);
    expect(isRetryableKmsError(sdkError("AccessDeniedException", 400))).toBe(false);
    expect(isRetryableKmsError(Object.assign(new Error("refused"), { code: "ECONNREFUSED" }))).toBe(false);
  });
});
