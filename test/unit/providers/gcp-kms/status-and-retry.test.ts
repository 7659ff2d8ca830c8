/**
 * Error normalisation across transports, the failure-to-code table, bounded retries, and AAD
 * binding at the wire level (the fake must reject a different additionalAuthenticatedData).
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { canonicalCode, createGcpKmsWireClient, gcpKmsError, staticTokenAuth } from "../../../../providers/gcp-kms/index.js";
import { withRetry } from "../../../../providers/gcp-kms/retry.js";
import { FAKE_KEY, startGcpKmsFake, type GcpKmsFake } from "../../../fakes/gcp-kms/index.js";

describe("canonicalCode", () => {
  it.each([
    [{ code: 3, details: "bad" }, 3],
    [{ code: 14 }, 14],
    [{ code: 400, response: { status: 400, data: { error: { code: 400, status: "INVALID_ARGUMENT" } } } }, 3],
    [{ code: 429, response: { status: 429 } }, 8],
    [{ code: 403 }, 7],
    [{ code: 401 }, 16],
    [{ code: 404 }, 5],
    [{ code: 503 }, 14],
    [{ code: 504 }, 4],
    [{ code: 500 }, 13],
    [{ code: "ECONNRESET" }, 14],
    [{ code: "ECONNREFUSED" }, 14],
    [{ code: "429" }, 8],
    [{ response: { status: 403 } }, 7],
    [{ cause: { code: "ECONNRESET" } }, 14],
    [new Error("plain"), undefined],
  ])("%j -> %s", (error, expected) => {
    expect(canonicalCode(error)).toBe(expected);
  });
});

describe("gcpKmsError", () => {
  it.each([
    [16, "decrypt", "PROVIDER_DENIED"],
    [7, "decrypt", "PROVIDER_DENIED"],
    [5, "encrypt", "PROVIDER_DENIED"],
    [3, "decrypt", "CIPHERTEXT_INVALID"],
    [3, "encrypt", "PROVIDER_FAILED"],
    [14, "encrypt", "PROVIDER_UNAVAILABLE"],
    [8, "decrypt", "PROVIDER_UNAVAILABLE"],
    [4, "decrypt", "PROVIDER_UNAVAILABLE"],
    [13, "decrypt", "PROVIDER_FAILED"],
    [9, "encrypt", "PROVIDER_FAILED"],
  ] as const)("code %s on %s -> %s", (code, operation, expected) => {
    const error = gcpKmsError({ code }, operation, FAKE_KEY);
    expect(error.code).toBe(expected);
    expect(error.message).toContain(FAKE_KEY);
    expect(error.hint).toBeTruthy();
  });

  it("treats a credentials lookup failure as PROVIDER_DENIED with the credentials hint", () => {
    const error = gcpKmsError(new Error("Could not load the default credentials."), "encrypt", FAKE_KEY);
    expect(error.code).toBe("PROVIDER_DENIED");
    expect(error.hint).toContain("GOOGLE_APPLICATION_CREDENTIALS");
  });
});

describe("withRetry", () => {
  it("stops after the configured attempts and backs off with growing, jittered delays", async () => {
    const delays: number[] = [];
    let calls = 0;
    const result = withRetry(
      async () => {
        calls++;
        throw Object.assign(new Error("busy"), { code: 14 });
      },
      () => true,
      { attempts: 4, baseDelayMs: 100, maxDelayMs: 250, random: () => 0.999, sleep: async (ms) => void delays.push(ms) },
    );
    await expect(result).rejects.toThrow("busy");
    expect(calls).toBe(4);
    expect(delays).toEqual([99, 199, 249]);
  });

  it("does not retry what shouldRetry refuses", async () => {
    let calls = 0;
    await expect(
      withRetry(
        async () => {
          calls++;
          throw new Error("denied");
        },
        () => false,
        { attempts: 5, sleep: async () => undefined },
      ),
    ).rejects.toThrow("denied");
    expect(calls).toBe(1);
  });
});

describe("AAD binding at the wire (both transports)", () => {
  let fake: GcpKmsFake;
  beforeAll(async () => {
    fake = await startGcpKmsFake();
  });
  afterAll(async () => {
    await fake.close();
  });

  for (const transport of ["grpc", "rest"] as const) {
    it(`decrypts with the same AAD and rejects a different one over ${transport}`, async () => {
      const port = transport === "grpc" ? fake.grpcPort : fake.restPort;
      const client = createGcpKmsWireClient({ transport, endpoint: `http://127.0.0.1:${port}`, auth: staticTokenAuth(fake.token) });
      try {
        const plaintext = randomBytes(32);
        const aad = Buffer.from("sops:context");
        const ciphertext = await client.encrypt({ name: FAKE_KEY, plaintext, additionalAuthenticatedData: aad });
        const back = await client.decrypt({ name: FAKE_KEY, ciphertext, additionalAuthenticatedData: aad });
        expect(Buffer.from(back).equals(plaintext)).toBe(true);
        const wrongAad = await client.decrypt({ name: FAKE_KEY, ciphertext, additionalAuthenticatedData: Buffer.from("other") }).catch((e: unknown) => e);
        expect(canonicalCode(wrongAad)).toBe(3);
        const noAad = await client.decrypt({ name: FAKE_KEY, ciphertext }).catch((e: unknown) => e);
        expect(canonicalCode(noAad)).toBe(3);
      } finally {
        await client.close();
      }
    });
  }
});
