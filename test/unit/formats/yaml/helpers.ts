import { CofferError } from "../../../../src/errors.js";
import type { ErrorCode } from "../../../../src/errors.js";
import { yamlStore } from "../../../../src/formats/yaml/index.js";
import type { TreeFile } from "../../../../src/core/tree.js";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export const loadPlain = (text: string): TreeFile => yamlStore.loadPlain(encoder.encode(text));
export const loadEncrypted = (text: string): TreeFile => yamlStore.loadEncrypted(encoder.encode(text));
export const emitPlain = (file: TreeFile, indent?: number): string =>
  decoder.decode(yamlStore.emitPlain(file, indent === undefined ? undefined : { indent }));

/** The code of the CofferError thrown by `run`, or "no error". */
export function errorCode(run: () => unknown): ErrorCode | "no error" | "other error" {
  try {
    run();
    return "no error";
  } catch (error) {
    return error instanceof CofferError ? error.code : "other error";
  }
}

/** The CofferError thrown by `run` (fails the test when nothing is thrown). */
export function thrown(run: () => unknown): CofferError {
  try {
    run();
  } catch (error) {
    if (error instanceof CofferError) return error;
    throw error;
  }
  throw new Error("expected a CofferError");
}
