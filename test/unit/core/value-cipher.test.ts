import { describe, expect, it } from "vitest";
import { Comment, Time } from "../../../src/core/tree.js";
import {
  decryptValue,
  encryptBytes,
  encryptValue,
  parseEncValue,
} from "../../../src/core/value-cipher.js";
import { errorCodeOf as codeOf } from "../../helpers/errors.js";

const dataKey = Buffer.alloc(32, 7);
const aad = "a:b:";


describe("encryptValue / decryptValue", () => {
  it("writes a 32-byte IV, 16-byte tag and padded base64", () => {
    const enc = encryptValue("hello", { dataKey, aad });
    const parts = parseEncValue(enc);
    expect(parts.iv.length).toBe(32);
    expect(parts.tag.length).toBe(16);
    expect(parts.data.length).toBe(5);
    expect(enc).toMatch(/^ENC\[AES256_GCM,data:[A-Za-z0-9+/]+=*,iv:[A-Za-z0-9+/]{43}=,tag:[A-Za-z0-9+/]{22}==,type:str\]$/);
  });

  it("round-trips every type", () => {
    const values = ["x", 9007199254740993n, -1.25, false, new Time("2024-01-01T00:00:00Z"), NaN, -0];
    for (const value of values) {
      expect(decryptValue(encryptValue(value, { dataKey, aad }), { dataKey, aad })).toEqual(value);
    }
    expect(decryptValue(encryptValue(new Comment(" c"), { dataKey, aad }), { dataKey, aad })).toBe(" c");
  });

  it("keeps non-UTF-8 str plaintext as bytes", () => {
    const bytes = new Uint8Array([0xff, 0xfe, 0x00]);
    const enc = encryptValue(bytes, { dataKey, aad });
    expect(enc.endsWith("type:str]")).toBe(true);
    expect(decryptValue(enc, { dataKey, aad })).toEqual(bytes);
  });

  it("reads legacy bytes and any IV length", () => {
    const enc = encryptBytes(Buffer.from("raw"), "bytes", { dataKey, aad, iv: new Uint8Array(12).fill(1) });
    expect(decryptValue(enc, { dataKey, aad })).toEqual(new Uint8Array(Buffer.from("raw")));
  });

  it("fails authentication with the wrong AAD or key", () => {
    const enc = encryptValue("secret", { dataKey, aad });
    expect(codeOf(() => decryptValue(enc, { dataKey, aad: "a:c:" }))).toBe("VALUE_DECRYPT_FAILED");
    expect(codeOf(() => decryptValue(enc, { dataKey: Buffer.alloc(32, 8), aad }))).toBe("VALUE_DECRYPT_FAILED");
  });

  it("rejects malformed ENC strings with CIPHERTEXT_INVALID", () => {
    const enc = encryptValue("secret", { dataKey, aad });
    expect(codeOf(() => parseEncValue(enc.slice(0, 40)))).toBe("CIPHERTEXT_INVALID");
    expect(codeOf(() => parseEncValue(enc.replace("type:str", "type:blob")))).toBe("CIPHERTEXT_INVALID");
    expect(codeOf(() => parseEncValue(enc.replace("data:", "data:!")))).toBe("CIPHERTEXT_INVALID");
    expect(codeOf(() => parseEncValue("plain text"))).toBe("CIPHERTEXT_INVALID");
  });

  it("rejects plaintext that does not parse as its type", () => {
    const enc = encryptBytes(Buffer.from("12a"), "int", { dataKey, aad });
    expect(codeOf(() => decryptValue(enc, { dataKey, aad }))).toBe("CIPHERTEXT_INVALID");
    const bool = encryptBytes(Buffer.from("yes"), "bool", { dataKey, aad });
    expect(codeOf(() => decryptValue(bool, { dataKey, aad }))).toBe("CIPHERTEXT_INVALID");
  });

  it("accepts Go ParseBool and ParseFloat spellings on decrypt", () => {
    expect(decryptValue(encryptBytes(Buffer.from("t"), "bool", { dataKey, aad }), { dataKey, aad })).toBe(true);
    expect(decryptValue(encryptBytes(Buffer.from("-Infinity"), "float", { dataKey, aad }), { dataKey, aad })).toBe(-Infinity);
  });

  it("uses the injected random source for IVs", () => {
    const random = (n: number) => new Uint8Array(n).fill(0xab);
    const a = encryptValue("v", { dataKey, aad, random });
    expect(parseEncValue(a).iv).toEqual(Buffer.alloc(32, 0xab));
    expect(encryptValue("v", { dataKey, aad, random })).toBe(a);
  });
});
