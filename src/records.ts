/** What a YAML mapping or a JSON object parses to: a plain object, not null and not an array. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The value at `path` of nested plain objects, or undefined where the path leaves them. */
export function valueAt(value: unknown, path: readonly string[]): unknown {
  let node = value;
  for (const segment of path) node = isRecord(node) ? node[segment] : undefined;
  return node;
}
