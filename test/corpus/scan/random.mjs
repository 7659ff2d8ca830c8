// Deterministic random material for the scan corpus: the same seed gives the same corpus on every run.
import { crc32 } from "node:zlib";
import { createHash, createHmac } from "node:crypto";

export const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
export const UPPER_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
export const LOWER_ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789";
export const HEX = "0123456789abcdef";
export const B64URL = ALNUM + "-_";
export const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
export const BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
export const LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** mulberry32: small, fast, deterministic. */
export function rng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const r = {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (list) => list[Math.floor(next() * list.length)],
    chars: (alphabet, n) => {
      let s = "";
      for (let i = 0; i < n; i++) s += alphabet[Math.floor(next() * alphabet.length)];
      return s;
    },
    bytes: (n) => {
      const b = Buffer.alloc(n);
      for (let i = 0; i < n; i++) b[i] = Math.floor(next() * 256);
      return b;
    },
    hex: (n) => r.chars(HEX, n),
    digits: (n) => String(r.int(1, 9)) + r.chars("0123456789", n - 1),
    b64: (nBytes) => r.bytes(nBytes).toString("base64"),
    b64url: (nBytes) => r.bytes(nBytes).toString("base64url"),
    uuid: () => `${r.hex(8)}-${r.hex(4)}-4${r.hex(3)}-${r.pick(["8", "9", "a", "b"])}${r.hex(3)}-${r.hex(12)}`,
  };
  return r;
}


const B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
/** A prefix_ + 30 random + base62 CRC32 token, as GitHub and npm issue them (independent implementation for the corpus). */
export function checksummedToken(r, prefix) {
  const random = r.chars(ALNUM, 30);
  let n = crc32(random);
  let sum = "";
  do {
    sum = B62[n % 62] + sum;
    n = Math.floor(n / 62);
  } while (n > 0);
  return prefix + random + sum.padStart(6, "0");
}

/** The first bytes real PEM bodies start with: a DER SEQUENCE, the OpenSSH key magic, a PGP packet tag. */
function magic(label, length) {
  if (label.startsWith("OPENSSH")) return Buffer.from("openssh-key-v1\0", "latin1");
  if (label.startsWith("PGP")) return Buffer.from([0x95, 0x01, 0xd8]);
  if (label.startsWith("AGE")) return Buffer.alloc(0);
  return Buffer.from([0x30, 0x82, (length >> 8) & 0xff, length & 0xff]);
}

/** PEM armour around a body of random bytes behind the right magic. */
export function pem(r, label, bytes, headers = "") {
  const head = magic(label, bytes);
  const body = Buffer.concat([head, r.bytes(bytes - head.length)]).toString("base64").match(/.{1,64}/g).join("\n");
  return `-----BEGIN ${label}-----\n${headers}${body}\n-----END ${label}-----\n`;
}

/** A signed HS256 JWT with a realistic payload. */
export function jwt(r, payload) {
  const enc = (o) => Buffer.from(JSON.stringify(o)).toString("base64url");
  const head = enc({ alg: "HS256", typ: "JWT" });
  const body = enc(payload);
  const sig = createHmac("sha256", r.bytes(32)).update(`${head}.${body}`).digest("base64url");
  return `${head}.${body}.${sig}`;
}

export function sha256Hex(text) {
  return createHash("sha256").update(text).digest("hex");
}
