import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { isCofferError } from "../../../src/errors.js";
import { combine, gfInverse, gfMul, split } from "../../../src/core/shamir.js";

/** Reference: log/exp tables with generator 3, built with carry-less multiply + long division. */
function referenceTables() {
  const slowMul = (a: number, b: number) => {
    let product = 0;
    for (let i = 0; i < 8; i++) if ((b >> i) & 1) product ^= a << i;
    for (let bit = 14; bit >= 8; bit--) if ((product >> bit) & 1) product ^= 0x11b << (bit - 8);
    return product;
  };
  const exp = new Array<number>(255);
  const log = new Array<number>(256).fill(-1);
  let x = 1;
  for (let i = 0; i < 255; i++) {
    exp[i] = x;
    log[x] = i;
    x = slowMul(x, 3);
  }
  return (a: number, b: number) => (a === 0 || b === 0 ? 0 : exp[(log[a]! + log[b]!) % 255]!);
}

describe("GF(2^8)", () => {
  it("bitwise multiply equals the table-based reference for all 65,536 pairs", () => {
    const tableMul = referenceTables();
    let mismatches = 0;
    for (let a = 0; a < 256; a++) for (let b = 0; b < 256; b++) if (gfMul(a, b) !== tableMul(a, b)) mismatches++;
    expect(mismatches).toBe(0);
  });

  it("inverse times value is one", () => {
    for (let a = 1; a < 256; a++) expect(gfMul(a, gfInverse(a))).toBe(1);
  });
});

describe("split / combine", () => {
  const secret = randomBytes(32);

  it("lays out shares as 32 y bytes then x = i + 1", () => {
    const shares = split(secret, 3, 2);
    expect(shares.map((s) => s.length)).toEqual([33, 33, 33]);
    expect(shares.map((s) => s[32])).toEqual([1, 2, 3]);
  });

  it("recovers the secret from every 2-of-3 pair and from all three", () => {
    const shares = split(secret, 3, 2);
    for (const [i, j] of [[0, 1], [0, 2], [1, 2], [1, 0], [2, 0]] as const) {
      expect(Buffer.from(combine([shares[i]!, shares[j]!]))).toEqual(secret);
    }
    expect(Buffer.from(combine(shares))).toEqual(secret);
  });

  it("does not recover the secret below the threshold", () => {
    const shares = split(secret, 3, 3);
    expect(Buffer.from(combine([shares[0]!, shares[1]!]))).not.toEqual(secret);
    expect(Buffer.from(combine(shares))).toEqual(secret);
  });

  it("combines shares with arbitrary distinct x (sops <= 3.9)", () => {
    // Build shares by hand at x = 200 and 17 for the polynomial s + c*x per byte.
    const coefficients = randomBytes(32);
    const share = (x: number) => {
      const out = new Uint8Array(33);
      for (let k = 0; k < 32; k++) out[k] = secret[k]! ^ gfMul(coefficients[k]!, x);
      out[32] = x;
      return out;
    };
    expect(Buffer.from(combine([share(200), share(17)]))).toEqual(secret);
    expect(Buffer.from(combine([share(255), share(1), share(99)]))).toEqual(secret);
  });

  it("rejects bad parameters and bad shares", () => {
    const code = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        return isCofferError(e) ? e.code : "OTHER";
      }
      return undefined;
    };
    expect(code(() => split(secret, 2, 3))).toBe("USAGE");
    expect(code(() => split(secret, 3, 1))).toBe("USAGE");
    expect(code(() => split(secret, 256, 2))).toBe("USAGE");
    const shares = split(secret, 3, 2);
    expect(code(() => combine([shares[0]!]))).toBe("METADATA_INVALID");
    expect(code(() => combine([shares[0]!, shares[0]!]))).toBe("METADATA_INVALID");
    expect(code(() => combine([shares[0]!, shares[1]!.subarray(1)]))).toBe("METADATA_INVALID");
  });
});
