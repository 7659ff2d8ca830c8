import { describe, expect, it } from "vitest";
import { longKeyId, normalizeFingerprint } from "../../../../providers/pgp/index.js";
import { errorCodeOf } from "../../../helpers/errors.js";

describe("pgp fingerprints", () => {
  it("removes spaces and a 0x prefix and upper-cases, as gpg accepts them", () => {
    expect(normalizeFingerprint("fbc7 b9e2 a4f9 289a c0c1  d484 3d16 cee4 a273 81b4")).toBe("FBC7B9E2A4F9289AC0C1D4843D16CEE4A27381B4");
    expect(normalizeFingerprint("0x3D16CEE4A27381B4")).toBe("3D16CEE4A27381B4");
  });

  it("takes the last 16 hex digits as the long key id for --trusted-key", () => {
    expect(longKeyId("FBC7B9E2A4F9289AC0C1D4843D16CEE4A27381B4")).toBe("3D16CEE4A27381B4");
  });

  it("rejects what is not a fingerprint, including option-like strings", () => {
    for (const bad of [undefined, "", "   ", "--homedir=/tmp", "alice@example.org", "ABCDEF", 42n]) {
      expect(errorCodeOf(() => normalizeFingerprint(bad)), String(bad)).toBe("KEY_INVALID");
    }
    // A long key id is accepted (sops does); a 39-digit string is not.
    expect(errorCodeOf(() => normalizeFingerprint("FBC7B9E2A4F9289A"))).toBeUndefined();
    expect(errorCodeOf(() => normalizeFingerprint("FBC7B9E2A4F9289AC0C1D4843D16CEE4A27381B"))).toBe("KEY_INVALID");
  });
});
