/**
 * A structural check of an ASCII-armored OpenPGP message (RFC 9580 §6) before it reaches gpg:
 * gpg reports a damaged armor only as a translated stderr line with no status keyword, so an
 * edited `enc` is recognised here, where the answer does not depend on the user's locale.
 */

const BEGIN = "-----BEGIN PGP MESSAGE-----";
const END = "-----END PGP MESSAGE-----";
const BASE64_LINE = /^[A-Za-z0-9+/]*={0,2}$/;
const CHECKSUM_LINE = /^=([A-Za-z0-9+/]{4})$/;

/** CRC-24 of RFC 9580 §6.1 (the optional armor checksum); no library offers it. */
function crc24(data: Uint8Array): number {
  let crc = 0xb704ce;
  for (const byte of data) {
    crc ^= byte << 16;
    for (let bit = 0; bit < 8; bit++) {
      crc <<= 1;
      if (crc & 0x1000000) crc ^= 0x1864cfb;
    }
  }
  return crc & 0xffffff;
}

/**
 * True when `enc` is one armored message whose body is base64 and, if it carries the optional
 * checksum, matches it. False means gpg would only fail with an armor error.
 */
export function isWellFormedArmor(enc: string): boolean {
  const lines = enc.trim().split(/\r?\n/).map((line) => line.trimEnd());
  if (lines[0] !== BEGIN || lines.at(-1) !== END) return false;
  const blank = lines.indexOf("");
  if (blank === -1) return false; // armor headers end with a blank line, even when there are none
  const body = lines.slice(blank + 1, -1);
  const checksumMatch = body.length > 0 ? CHECKSUM_LINE.exec(body.at(-1) ?? "") : null;
  const data = checksumMatch === null ? body : body.slice(0, -1);
  if (data.length === 0 || !data.every((line) => BASE64_LINE.test(line))) return false;
  const text = data.join("");
  if (text.length % 4 !== 0) return false;
  if (checksumMatch === null) return true;
  const expected = Buffer.from(checksumMatch[1]!, "base64");
  const actual = crc24(Buffer.from(text, "base64"));
  return expected.readUIntBE(0, 3) === actual;
}
