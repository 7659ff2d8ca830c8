/**
 * The binary store (spec §8.5): the whole plaintext file is one raw-bytes leaf `data`; the
 * encrypted form is the JSON store's. Bytes stay bytes end to end (never a UTF-16 round trip).
 */
import { CofferError } from "../errors.js";
import { TreeMap } from "../core/tree.js";
import type { TreeFile } from "../core/tree.js";
import { jsonStore } from "./json.js";
import type { EmitOptions, Store } from "./store.js";

/** The binary {@link Store}. */
export const binaryStore: Store = {
  name: "binary",
  loadPlain(input: Uint8Array): TreeFile {
    return { documents: [new TreeMap([{ key: "data", value: Uint8Array.from(input) }])] };
  },
  loadEncrypted(input: Uint8Array): TreeFile {
    return jsonStore.loadEncrypted(input);
  },
  emitPlain(file: TreeFile): Uint8Array {
    const data = file.documents[0]?.get("data");
    if (typeof data === "string") return Buffer.from(data, "utf8");
    if (data instanceof Uint8Array) return Uint8Array.from(data);
    throw new CofferError("EMIT_FAILED", "binary output needs a string value named data", {
      hint: "use another output format for structured files",
    });
  },
  emitEncrypted(file: TreeFile, options?: EmitOptions): Uint8Array {
    return jsonStore.emitEncrypted(file, options);
  },
  emitValue(): Uint8Array {
    throw new CofferError("EMIT_FAILED", "a binary file has no structure to extract a value from", {
      hint: "decrypt the whole file instead of using --extract",
    });
  },
};
