/** Paths into an object: segments for line lookups, and the `data.DB_URL` form shown to people. */

export type PathSegment = string | number;
export type ObjectPath = readonly PathSegment[];

/** `["data","DB_URL"]` -> `data.DB_URL`; names that are not plain identifiers go in brackets. */
export function formatKey(segments: readonly (PathSegment | { label: string })[]): string {
  let out = "";
  for (const segment of segments) {
    if (typeof segment === "object") out += `[${segment.label}]`;
    else if (typeof segment === "number") out += `[${segment}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(segment)) out += out === "" ? segment : `.${segment}`;
    else out += `[${segment}]`;
  }
  return out;
}


export function asString(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}
