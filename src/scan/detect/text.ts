/** Small text helpers shared by the detectors: entropy, base64, CRC32, base62. No allocation-heavy work. */
import { crc32 as zlibCrc32 } from "node:zlib";

/** Shannon entropy in bits per character. */
export function entropy(text: string): number {
  if (text.length === 0) return 0;
  const counts = new Map<number, number>();
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  let bits = 0;
  for (const n of counts.values()) {
    const p = n / text.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/** How many of the classes lower, upper, digit, other the text uses. */
export function charClasses(text: string): number {
  let lower = 0;
  let upper = 0;
  let digit = 0;
  let other = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 97 && c <= 122) lower = 1;
    else if (c >= 65 && c <= 90) upper = 1;
    else if (c >= 48 && c <= 57) digit = 1;
    else other = 1;
  }
  return lower + upper + digit + other;
}

const BASE64_STD = /^[A-Za-z0-9+/]+={0,2}$/;
/** The shape of base64, standard or URL-safe alphabet (either), with at most two "=" of padding. */
export const BASE64_SHAPE = /^[A-Za-z0-9+/_-]+={0,2}$/;
const BASE64_URL = /^[A-Za-z0-9_-]+={0,2}$/;

/** True when every byte is printable ASCII or common whitespace. */
export function isPrintableAscii(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b > 126 || (b < 32 && b !== 9 && b !== 10 && b !== 13)) return false;
  }
  return true;
}

/** The bytes of a standard or URL-safe base64 string (padding optional), or undefined if it is not one. */
export function decodeBase64Bytes(text: string): Buffer | undefined {
  if (text.length < 4) return undefined;
  if (BASE64_STD.test(text)) {
    if (text.length % 4 !== 0) return undefined;
    return Buffer.from(text, "base64");
  }
  if (BASE64_URL.test(text)) return Buffer.from(text, "base64url");
  return undefined;
}

/** Decoded text of a base64 value when it decodes to printable ASCII, else undefined. */
export function decodeBase64Text(text: string, minLength = 4): string | undefined {
  // Most candidates are identifiers or random tokens: their first 12 characters already decode to binary.
  if (text.length > 16 && !isPrintableAscii(Buffer.from(text.slice(0, 12), "base64"))) return undefined;
  const bytes = decodeBase64Bytes(text);
  if (bytes === undefined || bytes.length < minLength || !isPrintableAscii(bytes)) return undefined;
  return bytes.toString("latin1");
}

/** CRC-32 (IEEE) of a string's UTF-8 bytes, from node:zlib. */
export function crc32(text: string): number {
  return zlibCrc32(text);
}

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** `n` in base62 (digits, upper, lower), left-padded with "0" to `width`. */
export function base62(n: number, width: number): string {
  let out = "";
  let rest = n;
  do {
    out = BASE62[rest % 62]! + out;
    rest = Math.floor(rest / 62);
  } while (rest > 0);
  return out.padStart(width, "0");
}

/**
 * The checksum scheme of GitHub's and npm's newer tokens: the last six characters are the
 * base62-encoded CRC32 of the random part between the prefix and the checksum.
 */
export function hasCrc32Base62Checksum(randomPart: string, checksum: string): boolean {
  return base62(crc32(randomPart), 6) === checksum;
}
