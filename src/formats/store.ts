/**
 * A store turns file bytes into a {@link TreeFile} and back, for one format (spec §8).
 * Plain and encrypted forms differ only where the format needs it: the binary store's plain form
 * is raw bytes while its encrypted form is JSON; dotenv and INI flatten the metadata (§5.4).
 */
import type { TreeFile, TreeValue } from "../core/tree.js";

export type FormatName = "yaml" | "json" | "dotenv" | "ini" | "binary";

export interface EmitOptions {
  /** Indentation: YAML 2-9 spaces (default 4); JSON -1 = tab (default), 0+ spaces. */
  indent?: number | undefined;
}

export interface Store {
  readonly name: FormatName;
  /** Parses a plaintext file. Metadata, if a `sops` key is present, is returned separately. */
  loadPlain(input: Uint8Array): TreeFile;
  /** Parses an encrypted file; `metadata` is the (un-flattened) `sops` map, undefined if absent. */
  loadEncrypted(input: Uint8Array): TreeFile;
  /** Writes a plaintext file (no metadata). */
  emitPlain(file: TreeFile, options?: EmitOptions): Uint8Array;
  /** Writes an encrypted file, with `file.metadata` as the `sops` block in this format's layout. */
  emitEncrypted(file: TreeFile, options?: EmitOptions): Uint8Array;
  /** Writes a single value, for `decrypt --extract` of a non-string, non-map value. */
  emitValue(value: TreeValue): Uint8Array;
}
