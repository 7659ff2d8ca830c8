import { describe, expect, it } from "vitest";
import { isVaultUrlAllowed, parseVaultAllowlist, parseVaultTransitUri, vaultTransitKeyUrl } from "../../../../providers/vault-transit/index.js";
import { isRetryableVaultFailure, vaultFailureToError } from "../../../../providers/vault-transit/failures.js";
import { errorCodeOf } from "../../../helpers/errors.js";

describe("parseVaultTransitUri", () => {
  it("splits address, engine path (with slashes) and key name", () => {
    const key = parseVaultTransitUri("https://vault.example.org:8200/v1/sops/team/a/keys/firstkey");
    expect(key).toEqual({ vaultAddress: "https://vault.example.org:8200", enginePath: "sops/team/a", keyName: "firstkey" });
    expect(vaultTransitKeyUrl(key)).toBe("https://vault.example.org:8200/v1/sops/team/a/keys/firstkey");
  });

  it.each([
    "not a url",
    "ftp://vault:8200/v1/transit/keys/k",
    "https://vault:8200/prefix/v1/transit/keys/k",
    "https://vault:8200/v1/keys/k",
    "https://vault:8200/v1/transit/k",
    "https://vault:8200/v1/transit/keys/k/extra",
  ])("rejects %s with KEY_INVALID", (uri) => {
    expect(errorCodeOf(() => parseVaultTransitUri(uri))).toBe("KEY_INVALID");
  });
});

describe("allowlist", () => {
  it("parses all / none / prefixes", () => {
    expect(parseVaultAllowlist(undefined)).toEqual({ kind: "all" });
    expect(parseVaultAllowlist(" all ")).toEqual({ kind: "all" });
    expect(parseVaultAllowlist("none")).toEqual({ kind: "none" });
    expect(parseVaultAllowlist("https://a, https://b ,")).toEqual({ kind: "prefixes", prefixes: ["https://a", "https://b"] });
  });

  it("matches by string prefix of the key url, as sops does", () => {
    const list = parseVaultAllowlist("https://vault.example.org:8200/");
    expect(isVaultUrlAllowed(list, "https://vault.example.org:8200/v1/transit/keys/k")).toBe(true);
    expect(isVaultUrlAllowed(list, "https://vault.example.org.evil.test/v1/transit/keys/k")).toBe(false);
  });
});

describe("failure mapping", () => {
  const call = { operation: "decrypt" as const, keyUrl: "http://v/v1/transit/keys/k", hasToken: true, secrets: ["vault:v1:SECRET"] };
  const http = (status: number, errors: string[] = []) => ({ kind: "http" as const, status, errors });

  it.each([
    [http(403, ["permission denied"]), "PROVIDER_DENIED", false],
    [http(404, []), "PROVIDER_DENIED", false],
    [http(400, ["encryption key not found"]), "PROVIDER_DENIED", false],
    [http(400, ["invalid ciphertext: no prefix"]), "CIPHERTEXT_INVALID", false],
    [http(500, ["1 error occurred:\n\t* cipher: message authentication failed\n\n"]), "CIPHERTEXT_INVALID", false],
    [http(503, ["Vault is sealed"]), "PROVIDER_UNAVAILABLE", false],
    [http(429, ["rate limit quota exceeded"]), "PROVIDER_UNAVAILABLE", true],
    [http(502, []), "PROVIDER_UNAVAILABLE", true],
    [http(418, []), "PROVIDER_FAILED", false],
    [{ kind: "network" as const, code: "ECONNRESET" }, "PROVIDER_UNAVAILABLE", true],
    [{ kind: "network" as const, code: "ECONNREFUSED" }, "PROVIDER_UNAVAILABLE", false],
    [{ kind: "timeout" as const, timeoutMs: 100 }, "PROVIDER_UNAVAILABLE", false],
    [{ kind: "malformed" as const, why: "x" }, "PROVIDER_FAILED", false],
  ])("%j -> %s (retryable: %s)", (failure, code, retryable) => {
    const error = vaultFailureToError(failure, call, undefined);
    expect(error.code).toBe(code);
    expect(error.hint).toBeTruthy();
    expect(isRetryableVaultFailure(failure)).toBe(retryable);
  });

  it("a 400 on encrypt is PROVIDER_FAILED, not a ciphertext error", () => {
    expect(vaultFailureToError(http(400, ["failed to base64-decode plaintext"]), { ...call, operation: "encrypt" }, undefined).code).toBe("PROVIDER_FAILED");
  });

  it("keeps the server's reason on one line with known secrets redacted", () => {
    const error = vaultFailureToError(http(400, ["bad\nthing vault:v1:SECRET here"]), call, undefined);
    expect(error.message).not.toContain("vault:v1:SECRET");
    expect(error.message).not.toContain("\n");
    expect(error.message).toContain(call.keyUrl);
  });
});
