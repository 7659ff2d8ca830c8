/**
 * Byte encodings the age format and SSH keys use: age's strict unpadded base64 (stanza arguments
 * and bodies must be canonical, so a lenient decoder would accept edited headers) and the SSH wire
 * format (length-prefixed strings and mpints, RFC 4251 §5).
 */

const BASE64_NOPAD = /^[A-Za-z0-9+/]*$/;

/** Encodes bytes as standard base64 without padding (age's encoding for stanza arguments). */
export function encodeBase64NoPad(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("base64").replace(/=+$/, "");
}

/** Decodes canonical unpadded base64; returns null for anything age would reject. */
export function decodeBase64NoPad(text: string): Uint8Array | null {
  if (!BASE64_NOPAD.test(text) || text.length % 4 === 1) return null;
  const bytes = new Uint8Array(Buffer.from(text, "base64"));
  // Non-canonical trailing bits decode silently in Node; re-encoding catches them.
  return encodeBase64NoPad(bytes) === text ? bytes : null;
}

/** Decodes standard (padded) base64 strictly, as used in SSH public key lines; null if invalid. */
export function decodeBase64Padded(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) return null;
  const bytes = new Uint8Array(Buffer.from(text, "base64"));
  return Buffer.from(bytes).toString("base64") === text ? bytes : null;
}

export function base64Url(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("base64url");
}

/** Sequential reader of SSH wire-format data; every read throws a plain Error on truncation. */
export class WireReader {
  private offset = 0;
  constructor(private readonly bytes: Uint8Array) {}

  get done(): boolean {
    return this.offset >= this.bytes.length;
  }

  get remaining(): Uint8Array {
    return this.bytes.subarray(this.offset);
  }

  uint32(): number {
    if (this.offset + 4 > this.bytes.length) throw new Error("truncated ssh data");
    const value = Buffer.from(this.bytes.buffer, this.bytes.byteOffset + this.offset, 4).readUInt32BE(0);
    this.offset += 4;
    return value;
  }

  string(): Uint8Array {
    const length = this.uint32();
    if (this.offset + length > this.bytes.length) throw new Error("truncated ssh data");
    const value = this.bytes.subarray(this.offset, this.offset + length);
    this.offset += length;
    return value;
  }

  text(): string {
    return Buffer.from(this.string()).toString("latin1");
  }

  /** An mpint as unsigned big-endian bytes without leading zero bytes. */
  mpint(): Uint8Array {
    const raw = this.string();
    let start = 0;
    while (start < raw.length - 1 && raw[start] === 0) start++;
    return raw.subarray(start);
  }
}

/** Builds SSH wire-format data. */
export function wireString(...parts: Uint8Array[]): Uint8Array {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(part.length, 0);
    chunks.push(length, Buffer.from(part));
  }
  return new Uint8Array(Buffer.concat(chunks));
}

/** Encodes an unsigned big-endian integer as an SSH mpint body (a 0x00 prefix when the top bit is set). */
export function mpintBody(unsigned: Uint8Array): Uint8Array {
  let start = 0;
  while (start < unsigned.length - 1 && unsigned[start] === 0) start++;
  const trimmed = unsigned.subarray(start);
  const first = trimmed[0] ?? 0;
  return first & 0x80 ? new Uint8Array([0, ...trimmed]) : trimmed;
}

export function bytesToBigInt(bytes: Uint8Array): bigint {
  return bytes.length === 0 ? 0n : BigInt(`0x${Buffer.from(bytes).toString("hex")}`);
}

export function bigIntToBytes(value: bigint): Uint8Array {
  let hex = value.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  return new Uint8Array(Buffer.from(hex, "hex"));
}

export function latin1(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, "latin1"));
}
