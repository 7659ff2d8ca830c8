/**
 * Shamir secret sharing over GF(2^8) with the AES polynomial 0x11B, in HashiCorp Vault's layout as
 * used by sops (spec §7): a share is the y-values (one per secret byte) followed by one byte x.
 * Multiplication is bitwise and branch-free so timing does not depend on secret bytes.
 */
import { CofferError } from "../errors.js";
import { defaultRandom } from "./value-cipher.js";
import type { RandomSource } from "./value-cipher.js";

/** Multiplies in GF(2^8) modulo x^8+x^4+x^3+x+1, in constant time. */
export function gfMul(a: number, b: number): number {
  let result = 0;
  let x = a & 0xff;
  let y = b & 0xff;
  for (let i = 0; i < 8; i++) {
    result ^= -(y & 1) & x;
    const carry = -((x >> 7) & 1) & 0x1b;
    x = ((x << 1) ^ carry) & 0xff;
    y >>= 1;
  }
  return result & 0xff;
}

/** Multiplicative inverse (a^254); 0 maps to 0. Fixed number of multiplications. */
export function gfInverse(a: number): number {
  let result = 1;
  let base = a & 0xff;
  // 254 = 0b11111110
  for (let bit = 0; bit < 8; bit++) {
    const square = gfMul(base, base);
    if (bit > 0) result = gfMul(result, base);
    base = square;
  }
  return result;
}

/** Evaluates the polynomial with `coefficients` (constant term first) at `x` (Horner). */
function evaluate(coefficients: Uint8Array, x: number): number {
  let result = 0;
  for (let i = coefficients.length - 1; i >= 0; i--) result = gfMul(result, x) ^ coefficients[i]!;
  return result;
}

function usage(message: string): CofferError {
  return new CofferError("USAGE", message, {
    hint: "shamir_threshold must be between 2 and the number of key groups (at most 255)",
  });
}

/**
 * Splits `secret` into `parts` shares, any `threshold` of which recover it. Share i (0-based) has
 * x = i + 1 in its last byte, as sops >= 3.10 writes.
 */
export function split(
  secret: Uint8Array,
  parts: number,
  threshold: number,
  random: RandomSource = defaultRandom,
): Uint8Array[] {
  if (!Number.isInteger(parts) || !Number.isInteger(threshold)) throw usage("shamir parameters must be integers");
  if (parts < threshold) throw usage("shamir parts cannot be fewer than the threshold");
  if (parts > 255) throw usage("shamir parts cannot exceed 255");
  if (threshold < 2) throw usage("shamir threshold must be at least 2");
  if (secret.length === 0) throw usage("cannot split an empty secret");
  const shares = Array.from({ length: parts }, (_, i) => {
    const share = new Uint8Array(secret.length + 1);
    share[secret.length] = i + 1;
    return share;
  });
  const coefficients = new Uint8Array(threshold);
  for (let byte = 0; byte < secret.length; byte++) {
    coefficients[0] = secret[byte]!;
    coefficients.set(random(threshold - 1), 1);
    for (let i = 0; i < parts; i++) shares[i]![byte] = evaluate(coefficients, i + 1);
  }
  coefficients.fill(0);
  return shares;
}

function invalidShares(message: string): CofferError {
  return new CofferError("METADATA_INVALID", message, {
    hint: "the key groups' shares do not fit together; the sops metadata may be corrupt",
  });
}

/**
 * Recovers the secret from shares (y-values then x in the last byte). x values may be any
 * distinct non-zero bytes (sops <= 3.9 used random x). Needs at least 2 shares of equal length.
 */
export function combine(shares: readonly Uint8Array[]): Uint8Array {
  if (shares.length < 2) throw invalidShares("at least two shamir shares are needed");
  const length = shares[0]!.length;
  if (length < 2) throw invalidShares("shamir shares are too short");
  if (shares.some((share) => share.length !== length)) throw invalidShares("shamir shares differ in length");
  const xs = shares.map((share) => share[length - 1]!);
  if (new Set(xs).size !== xs.length || xs.includes(0)) throw invalidShares("shamir shares have duplicate x values");
  // Lagrange basis at x = 0: prod_{j != i} x_j / (x_i - x_j); subtraction is XOR in GF(2^8).
  const basis = xs.map((xi, i) => {
    let value = 1;
    xs.forEach((xj, j) => {
      if (j !== i) value = gfMul(value, gfMul(xj, gfInverse(xi ^ xj)));
    });
    return value;
  });
  const secret = new Uint8Array(length - 1);
  for (let byte = 0; byte < length - 1; byte++) {
    let value = 0;
    for (let i = 0; i < shares.length; i++) value ^= gfMul(shares[i]![byte]!, basis[i]!);
    secret[byte] = value;
  }
  return secret;
}
