/** gpg outcomes (as status lines) mapped to error codes, without running gpg. */
import { describe, expect, it } from "vitest";
import { decryptFailure, encryptFailure, gpgReason } from "../../../../providers/pgp/failures.js";
import type { GpgRunResult } from "../../../../providers/pgp/gpg-runner.js";

const context = { operation: "decrypt" as const, fingerprint: "FBC7B9E2A4F9289AC0C1D4843D16CEE4A27381B4", executable: "gpg", timeoutMs: 60_000 };

function run(status: string[], stderrLines: string[], extra: Partial<GpgRunResult> = {}): GpgRunResult {
  return { exitCode: 2, signal: null, timedOut: false, stdout: Buffer.alloc(0), stderrLines, status, ...extra };
}

describe("gpg decrypt failures", () => {
  const cases: Array<[string, GpgRunResult, string]> = [
    [
      "no secret key for the message",
      run(["ENC_TO 25294A17CD90507F 1 0", "NO_SECKEY 25294A17CD90507F", "BEGIN_DECRYPTION", "DECRYPTION_FAILED", "END_DECRYPTION"], [
        "gpg: encrypted with RSA key, ID 25294A17CD90507F",
        "gpg: decryption failed: No secret key",
      ]),
      "NO_MATCHING_KEY",
    ],
    ["no secret key, seen only in the text", run([], ["gpg: decryption failed: No secret key"]), "NO_MATCHING_KEY"],
    [
      "bad passphrase",
      run(["ENC_TO B8B4714109D4CF75 1 0", "ERROR pkdecrypt_failed 67108875", "DECRYPTION_FAILED"], [
        "gpg: public key decryption failed: Bad passphrase",
        "gpg: decryption failed: No secret key",
      ]),
      "PROVIDER_DENIED",
    ],
    ["passphrase needed in batch mode", run(["NEED_PASSPHRASE B8B4714109D4CF75 517442BB3497B8D0 1 0"], ["gpg: Sorry, we are in batchmode - can't get input"]), "PROVIDER_DENIED"],
    ["armor CRC error", run(["NODATA 3"], ["gpg: CRC error; 201AA2 - AFF955", "gpg: packet(1) with unknown version 7"]), "CIPHERTEXT_INVALID"],
    ["armor CRC error without any status line", run([], ["gpg: CRC error; 0AD80D - 96B8BD"]), "CIPHERTEXT_INVALID"],
    ["not pgp data", run(["NODATA 1", "NODATA 2", "FAILURE decrypt 4294967295"], ["gpg: no valid OpenPGP data found."]), "CIPHERTEXT_INVALID"],
    ["modification detected", run(["DECRYPTION_OKAY", "BADMDC", "DECRYPTION_FAILED"], ["gpg: decryption failed: Bad session key"]), "CIPHERTEXT_INVALID"],
    ["anything else", run(["FAILURE decrypt 1"], ["gpg: keydb_search failed: Unknown system error"]), "PROVIDER_FAILED"],
    ["timeout", run([], [], { exitCode: null, signal: "SIGTERM", timedOut: true }), "PROVIDER_UNAVAILABLE"],
    ["missing binary", run([], [], { exitCode: null, spawnError: Object.assign(new Error("spawn gpg ENOENT"), { code: "ENOENT" }) }), "PROVIDER_UNAVAILABLE"],
  ];
  for (const [name, result, code] of cases) {
    it(`${name} -> ${code}`, () => {
      const error = decryptFailure(result, context);
      expect(error.code).toBe(code);
      expect(error.message).toContain(context.fingerprint);
      expect(error.hint).toBeTruthy();
    });
  }

  it("quotes only gpg's last reason line, shortened", () => {
    const long = `gpg: ${"x".repeat(500)}`;
    const reason = gpgReason(run([], ["gpg: first line", long]));
    expect(reason.length).toBeLessThanOrEqual(160);
    expect(reason.startsWith("x")).toBe(true);
    expect(gpgReason(run([], ["gpg: first", "gpg: second"]))).toBe("second");
    const error = decryptFailure(run(["NODATA 1"], ["gpg: first", "gpg: second"]), context);
    expect(error.message).not.toContain("first");
  });
});

describe("gpg encrypt failures", () => {
  it("a public key missing from the keyring is PROVIDER_DENIED", () => {
    const result = run(["INV_RECP 1 0000111122223333444455556666777788889999", "FAILURE encrypt 9"], [
      "gpg: 0000111122223333444455556666777788889999: skipped: No public key",
      "gpg: [stdin]: encryption failed: No public key",
    ]);
    expect(encryptFailure(result, { ...context, operation: "encrypt" }).code).toBe("PROVIDER_DENIED");
  });

  it("other failures are PROVIDER_FAILED, a missing binary PROVIDER_UNAVAILABLE", () => {
    expect(encryptFailure(run(["FAILURE encrypt 1"], ["gpg: oops"]), { ...context, operation: "encrypt" }).code).toBe("PROVIDER_FAILED");
    const missing = run([], [], { exitCode: null, spawnError: Object.assign(new Error("spawn"), { code: "ENOENT" }) });
    expect(encryptFailure(missing, { ...context, operation: "encrypt" }).code).toBe("PROVIDER_UNAVAILABLE");
  });
});
