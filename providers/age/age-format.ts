/**
 * The age v1 file format (C2SP age spec) on node:crypto: ASCII armor, the header with its stanzas
 * and HMAC, and the STREAM-encrypted payload. Parsers are strict and return null on any doubt, so
 * callers can fall back to age-encryption for whatever this module does not accept.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { decodeBase64NoPad, encodeBase64NoPad } from "./encoding.js";
import { hkdfSha256 } from "./x25519.js";

/** One header stanza: `-> arg arg…` and its body. Structurally an age-encryption `Stanza`. */
export interface AgeStanza {
  readonly args: string[];
  readonly body: Uint8Array;
}

/** A parsed age file: stanzas, the MAC and the bytes it covers, and the payload after the header. */
export interface ParsedAgeFile {
  readonly stanzas: AgeStanza[];
  /** The header from `age-encryption.org/v1` up to and including `---` (what the MAC covers). */
  readonly macInput: Uint8Array;
  readonly mac: Uint8Array;
  readonly payload: Uint8Array;
}

const INTRO = "age-encryption.org/v1";
const ARMOR_BEGIN = "-----BEGIN AGE ENCRYPTED FILE-----";
const ARMOR_END = "-----END AGE ENCRYPTED FILE-----";
const ARG = /^[\x21-\x7e]+$/;
const BODY_LINE = /^[A-Za-z0-9+/]{0,64}$/;
const ARMOR_LINE = /^[A-Za-z0-9+/]*={0,2}$/;
const CHUNK = 64 * 1024;
const TAG = 16;
const PAYLOAD_NONCE = 16;

/**
 * Decodes ASCII armor: surrounding whitespace is ignored (SOPS stores a trailing newline), lines end
 * in LF, base64 lines are 64 columns except a shorter, non-empty last one, and padding is canonical.
 */
export function decodeArmor(text: string): Uint8Array | null {
  const lines = text.trim().split("\n");
  if (lines.length < 3 || lines[0] !== ARMOR_BEGIN || lines[lines.length - 1] !== ARMOR_END) return null;
  const body = lines.slice(1, -1);
  for (const [index, line] of body.entries()) {
    const last = index === body.length - 1;
    if (!ARMOR_LINE.test(line)) return null;
    if (last ? line.length === 0 || line.length > 64 || line.length % 4 !== 0 : line.length !== 64) return null;
  }
  const joined = body.join("");
  const bytes = Buffer.from(joined, "base64");
  if (bytes.toString("base64") !== joined) return null;
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
}

/** Armors a binary age file as age does: 64-column padded base64 lines and a final newline. */
export function encodeArmor(file: Uint8Array): string {
  const base64 = Buffer.from(file.buffer, file.byteOffset, file.length).toString("base64");
  const lines = [ARMOR_BEGIN];
  for (let i = 0; i < base64.length; i += 64) lines.push(base64.slice(i, i + 64));
  lines.push(ARMOR_END);
  return `${lines.join("\n")}\n`;
}

/** Parses the header of a binary age file; null for anything malformed. */
export function parseAgeFile(file: Uint8Array): ParsedAgeFile | null {
  const buffer = Buffer.from(file.buffer, file.byteOffset, file.length);
  let offset = 0;
  const nextLine = (): string | null => {
    const end = buffer.indexOf(0x0a, offset);
    if (end < 0) return null;
    const line = buffer.toString("latin1", offset, end);
    offset = end + 1;
    return line;
  };
  if (nextLine() !== INTRO) return null;
  const stanzas: AgeStanza[] = [];
  for (;;) {
    const lineStart = offset;
    const line = nextLine();
    if (line === null) return null;
    if (line.startsWith("--- ")) {
      const mac = decodeBase64NoPad(line.slice(4));
      if (mac === null || mac.length !== 32) return null;
      return {
        stanzas,
        macInput: file.subarray(0, lineStart + 3),
        mac,
        payload: file.subarray(offset),
      };
    }
    if (!line.startsWith("-> ")) return null;
    const args = line.slice(3).split(" ");
    if (!args.every((arg) => ARG.test(arg))) return null;
    let bodyText = "";
    for (;;) {
      const bodyLine = nextLine();
      if (bodyLine === null || !BODY_LINE.test(bodyLine)) return null;
      bodyText += bodyLine;
      if (bodyLine.length < 64) break;
    }
    const body = decodeBase64NoPad(bodyText);
    if (body === null) return null;
    stanzas.push({ args, body });
  }
}

/** Serialises a header for `stanzas` and appends its MAC, as age writes it. */
export function encodeHeader(stanzas: readonly AgeStanza[], fileKey: Uint8Array): Uint8Array {
  let text = `${INTRO}\n`;
  for (const stanza of stanzas) {
    text += `-> ${stanza.args.join(" ")}\n`;
    const body = encodeBase64NoPad(stanza.body);
    for (let i = 0; i <= body.length; i += 64) text += `${body.slice(i, i + 64)}\n`;
  }
  text += "---";
  const macInput = Buffer.from(text, "latin1");
  const mac = encodeBase64NoPad(headerMac(fileKey, macInput));
  return new Uint8Array(Buffer.concat([macInput, Buffer.from(` ${mac}\n`, "latin1")]));
}

/** HMAC-SHA-256 over the header with the key HKDF(fileKey, salt = empty, info = "header"). */
export function headerMac(fileKey: Uint8Array, macInput: Uint8Array): Uint8Array {
  const key = hkdfSha256(fileKey, new Uint8Array(0), "header");
  return new Uint8Array(createHmac("sha256", key).update(macInput).digest());
}

/** Whether the parsed header's MAC is right for `fileKey` (constant-time comparison). */
export function verifyHeaderMac(fileKey: Uint8Array, parsed: ParsedAgeFile): boolean {
  return timingSafeEqual(headerMac(fileKey, parsed.macInput), parsed.mac);
}

function chunkNonce(counter: number, last: boolean): Buffer {
  const nonce = Buffer.alloc(12);
  nonce.writeUIntBE(counter, 5, 6); // 11-byte big-endian counter; 2^48 chunks is far beyond any file
  nonce[11] = last ? 1 : 0;
  return nonce;
}

/** Encrypts the payload: a fresh 16-byte nonce, then 64 KiB STREAM chunks (ChaCha20-Poly1305). */
export function encryptPayload(fileKey: Uint8Array, plaintext: Uint8Array): Uint8Array {
  const nonce = randomBytes(PAYLOAD_NONCE);
  const key = hkdfSha256(fileKey, nonce, "payload");
  const parts: Buffer[] = [nonce];
  let counter = 0;
  let start = 0;
  do {
    const end = Math.min(start + CHUNK, plaintext.length);
    const cipher = createCipheriv("chacha20-poly1305", key, chunkNonce(counter, end === plaintext.length), {
      authTagLength: TAG,
    });
    parts.push(cipher.update(plaintext.subarray(start, end)), cipher.final(), cipher.getAuthTag());
    counter++;
    start = end;
  } while (start < plaintext.length);
  return new Uint8Array(Buffer.concat(parts));
}

/**
 * Decrypts the payload; null when any chunk fails to authenticate, the stream is truncated, or the
 * last chunk is empty while the payload is not (the spec forbids it).
 */
export function decryptPayload(fileKey: Uint8Array, payload: Uint8Array): Uint8Array | null {
  if (payload.length < PAYLOAD_NONCE + TAG) return null;
  const key = hkdfSha256(fileKey, payload.subarray(0, PAYLOAD_NONCE), "payload");
  const body = payload.subarray(PAYLOAD_NONCE);
  const parts: Buffer[] = [];
  let counter = 0;
  for (let start = 0; start < body.length; start += CHUNK + TAG) {
    const end = Math.min(start + CHUNK + TAG, body.length);
    const last = end === body.length;
    const chunk = body.subarray(start, end);
    if (chunk.length < TAG || (last && counter > 0 && chunk.length === TAG)) return null;
    const decipher = createDecipheriv("chacha20-poly1305", key, chunkNonce(counter, last), { authTagLength: TAG });
    decipher.setAuthTag(chunk.subarray(chunk.length - TAG));
    try {
      parts.push(decipher.update(chunk.subarray(0, chunk.length - TAG)), decipher.final());
    } catch {
      return null;
    }
    counter++;
  }
  return new Uint8Array(Buffer.concat(parts));
}
