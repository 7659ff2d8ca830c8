/**
 * The ordered document tree shared by every format and by the envelope core.
 *
 * Value types mirror what SOPS distinguishes, because the type decides the `type:` tag and the
 * canonical plaintext bytes (spec §2.2):
 * - `string`       -> `str`
 * - `bigint`       -> `int`   (64-bit signed; a JS number cannot hold every int64)
 * - `number`       -> `float` (float64, including NaN and ±Infinity)
 * - `boolean`      -> `bool`
 * - {@link Time}   -> `time`  (YAML timestamps)
 * - `Uint8Array`   -> `str` with raw bytes (binary store, `!!binary`, non-UTF-8 plaintext)
 * - `null`         -> skipped entirely (never encrypted, never in the MAC)
 * Maps keep insertion order and may contain comment items; lists are plain arrays.
 */

/** A comment line that sits among the items of a map or list. `text` excludes the `#`. */
export class Comment {
  constructor(
    public text: string,
    /** true when the comment followed a value on the same line (YAML `key: v # c`). */
    public inline = false,
  ) {}
}

/** A YAML timestamp, kept as its canonical RFC 3339 text (Go `time.MarshalText`). */
export class Time {
  constructor(public readonly text: string) {}
}

export type Scalar = string | bigint | number | boolean | Time | Uint8Array;
export type TreeValue = Scalar | null | TreeMap | TreeList;
export type TreeList = Array<TreeValue | Comment>;

export interface MapEntry {
  key: string;
  value: TreeValue;
}

/** An ordered mapping with string keys; comment items keep their position. */
export class TreeMap {
  constructor(public items: Array<MapEntry | Comment> = []) {}

  /** The value of the first entry named `key`, or undefined. */
  get(key: string): TreeValue | undefined {
    for (const item of this.items) {
      if (!(item instanceof Comment) && item.key === key) return item.value;
    }
    return undefined;
  }

  has(key: string): boolean {
    return this.items.some((item) => !(item instanceof Comment) && item.key === key);
  }

  /** Sets the first entry named `key`, or appends one. */
  set(key: string, value: TreeValue): void {
    for (const item of this.items) {
      if (!(item instanceof Comment) && item.key === key) {
        item.value = value;
        return;
      }
    }
    this.items.push({ key, value });
  }

  /** Removes every entry named `key`; returns whether one was removed. */
  delete(key: string): boolean {
    const before = this.items.length;
    this.items = this.items.filter((item) => item instanceof Comment || item.key !== key);
    return this.items.length !== before;
  }

  entries(): MapEntry[] {
    return this.items.filter((item): item is MapEntry => !(item instanceof Comment));
  }

  /** Builds a map from a plain object (handy in tests and in metadata code). */
  static from(record: Record<string, TreeValue>): TreeMap {
    return new TreeMap(Object.entries(record).map(([key, value]) => ({ key, value })));
  }
}

export function isTreeMap(value: unknown): value is TreeMap {
  return value instanceof TreeMap;
}

export function isScalar(value: TreeValue | Comment): value is Scalar {
  return (
    typeof value === "string" ||
    typeof value === "bigint" ||
    typeof value === "number" ||
    typeof value === "boolean" ||
    value instanceof Time ||
    value instanceof Uint8Array
  );
}

/**
 * A whole SOPS file in memory: one or more documents (YAML streams have several, every other
 * format exactly one) and, once loaded from an encrypted file, the raw `sops` metadata map.
 */
export interface TreeFile {
  documents: TreeMap[];
  /** The `sops` block as found in (or to be written to) the file; undefined for plaintext. */
  metadata?: TreeMap | undefined;
}
