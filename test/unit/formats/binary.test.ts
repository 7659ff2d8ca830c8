import { describe, expect, it } from "vitest";
import { TreeMap } from "../../../src/core/tree.js";
import { isCofferError } from "../../../src/errors.js";
import { binaryStore } from "../../../src/formats/binary.js";

describe("binary store", () => {
  const raw = Uint8Array.of(0x00, 0xff, 0xfe, 0x0a, 0x41, 0xc3);

  it("loads the raw bytes as the single data leaf and writes them back unchanged", () => {
    const file = binaryStore.loadPlain(raw);
    const data = file.documents[0]!.get("data");
    expect(data).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(data as Uint8Array).equals(Buffer.from(raw))).toBe(true);
    expect(file.metadata).toBeUndefined();
    expect(Buffer.from(binaryStore.emitPlain(file)).equals(Buffer.from(raw))).toBe(true);
  });

  it("writes a string data value as UTF-8 with no added newline", () => {
    const out = binaryStore.emitPlain({ documents: [TreeMap.from({ data: "héllo" })] });
    expect(Buffer.from(out).toString("utf8")).toBe("héllo");
  });

  it("refuses to write a tree without a data string", () => {
    for (const document of [TreeMap.from({ other: "x" }), TreeMap.from({ data: TreeMap.from({}) })]) {
      let error: unknown;
      try {
        binaryStore.emitPlain({ documents: [document] });
      } catch (e) {
        error = e;
      }
      expect(isCofferError(error, "EMIT_FAILED")).toBe(true);
    }
  });

  it("uses the JSON layout for the encrypted form", () => {
    const file = { documents: [TreeMap.from({ data: "ENC[x]" })], metadata: TreeMap.from({ version: "3.13.2" }) };
    const out = binaryStore.emitEncrypted(file);
    expect(Buffer.from(out).toString()).toBe('{\n\t"data": "ENC[x]",\n\t"sops": {\n\t\t"version": "3.13.2"\n\t}\n}\n');
    expect(binaryStore.loadEncrypted(out)).toEqual(file);
  });

  it("has no single values to extract", () => {
    expect(() => binaryStore.emitValue("x")).toThrowError(expect.objectContaining({ code: "EMIT_FAILED" }) as Error);
  });
});
