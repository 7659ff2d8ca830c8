/**
 * The KeyProvider contract (src/provider.ts), as one suite that every provider runs:
 * round trip of a data key and of a Shamir share, `null` for a stanza that is not its own, and a
 * coded CofferError (never key material in the message) for its own stanza when unwrapping fails.
 *
 *   describeProviderContract("vault-transit", async () => ({ provider, key, tamper }));
 */
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { isCofferError } from "../../src/errors.js";
import { TreeMap } from "../../src/core/tree.js";
import type { KeyProvider, KeyStanza } from "../../src/provider.js";

export interface ContractSubject {
  provider: KeyProvider;
  /** A stanza template (no `enc`) that this provider can wrap for and unwrap again. */
  key: KeyStanza;
  /** Returns a copy of a wrapped stanza that is still this provider's but can no longer unwrap. */
  tamper: (wrapped: KeyStanza) => KeyStanza;
  /** Codes acceptable for a failing own stanza (default: the provider and ciphertext codes). */
  failureCodes?: string[];
}

const DEFAULT_FAILURE_CODES = ["CIPHERTEXT_INVALID", "NO_MATCHING_KEY", "PROVIDER_DENIED", "PROVIDER_FAILED", "PROVIDER_UNAVAILABLE"];

export function describeProviderContract(name: string, setup: () => Promise<ContractSubject>): void {
  describe(`KeyProvider contract: ${name}`, () => {
    it("wraps and unwraps a 32-byte data key, keeping the key's own fields", async () => {
      const { provider, key } = await setup();
      const dataKey = randomBytes(32);
      const wrapped = await provider.wrap(dataKey, key);
      expect(wrapped.type).toBe(provider.type);
      expect(typeof wrapped.fields.get("enc")).toBe("string");
      for (const entry of key.fields.entries()) expect(wrapped.fields.get(entry.key)).toEqual(entry.value);
      expect(Buffer.from((await provider.unwrap(wrapped)) ?? []).equals(dataKey)).toBe(true);
    });

    it("wraps and unwraps a 33-byte Shamir share", async () => {
      const { provider, key } = await setup();
      const share = randomBytes(33);
      const wrapped = await provider.wrap(share, key);
      expect(Buffer.from((await provider.unwrap(wrapped)) ?? []).equals(share)).toBe(true);
    });

    it("returns null for a stanza that is not its own", async () => {
      const { provider } = await setup();
      const foreign: KeyStanza = { type: `not-${provider.type}`, fields: TreeMap.from({ enc: "x" }) };
      expect(await provider.unwrap(foreign)).toBeNull();
    });

    it("throws a coded error without key material for its own stanza that fails", async () => {
      const { provider, key, tamper, failureCodes } = await setup();
      const dataKey = randomBytes(32);
      const wrapped = await provider.wrap(dataKey, key);
      const error = await provider.unwrap(tamper(wrapped)).then(
        (value) => new Error(`expected a failure, got ${value === null ? "null" : "bytes"}`),
        (e: unknown) => e,
      );
      expect(isCofferError(error), String(error)).toBe(true);
      expect(failureCodes ?? DEFAULT_FAILURE_CODES).toContain((error as { code: string }).code);
      const text = `${(error as Error).message} ${(error as { hint?: string }).hint ?? ""}`;
      expect(text).not.toContain(dataKey.toString("base64"));
      expect(text).not.toContain(dataKey.toString("hex"));
      expect(text).not.toContain(String(wrapped.fields.get("enc")));
    });
  });
}
