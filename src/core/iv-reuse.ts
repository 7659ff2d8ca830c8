/**
 * IV reuse for `edit`/`set` (spec §11, §13 item 9): values whose (path, type, plaintext) did not
 * change keep their old IV, so their ciphertext is byte-identical and diffs stay minimal. Reusing
 * an IV is only safe for the *same* plaintext under the same key and AAD (the ciphertext is then
 * identical); this store is keyed by exactly that triple.
 */
import type { ValueType } from "./canonical.js";

/** Supplies the IV for one value; undefined = draw a fresh random IV. */
export type IvSource = (aad: string, plaintext: Uint8Array, type: ValueType) => Uint8Array | undefined;

function keyOf(aad: string, plaintext: Uint8Array, type: ValueType): string {
  // latin1 maps every byte to one char, so this key is binary-safe and cheap.
  return `${type}\u0000${aad}\u0000${Buffer.from(plaintext.buffer, plaintext.byteOffset, plaintext.length).toString("latin1")}`;
}

/**
 * Remembers the IVs seen while decrypting a file. Identical (path, type, plaintext) pairs (e.g. two
 * equal list items) are handed out in the order they were recorded, each once.
 */
export class IvReuseMap {
  private readonly ivs = new Map<string, Uint8Array[]>();

  /** Records the IV a value was decrypted with. */
  record(aad: string, plaintext: Uint8Array, type: ValueType, iv: Uint8Array): void {
    const key = keyOf(aad, plaintext, type);
    const queue = this.ivs.get(key);
    if (queue) queue.push(iv);
    else this.ivs.set(key, [iv]);
  }

  /** An {@link IvSource} that consumes the recorded IVs. Call once per encryption. */
  source(): IvSource {
    const remaining = new Map<string, number>();
    return (aad, plaintext, type) => {
      const key = keyOf(aad, plaintext, type);
      const queue = this.ivs.get(key);
      if (!queue) return undefined;
      const index = remaining.get(key) ?? 0;
      remaining.set(key, index + 1);
      return queue[index];
    };
  }

  get size(): number {
    return this.ivs.size;
  }
}
