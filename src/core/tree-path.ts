/**
 * Tree paths as sops writes them for `--extract`, `set` and `unset` (spec §8.6):
 * `["a"][0]["b"]`. A component starting with a quote is a map key (quotes cut off, no escapes);
 * anything else must be a decimal list index.
 */
import { CofferError } from "../errors.js";
import { Comment, TreeMap, type TreeValue } from "./tree.js";

export type PathComponent = string | number;

export function parseTreePath(path: string): PathComponent[] {
  const trimmed = path.trim();
  if (!trimmed.startsWith("[") || !trimmed.endsWith("]")) {
    throw new CofferError("PATH_INVALID", "tree path must look like [\"key\"][0]", {
      hint: `write the path as sops does, e.g. '["data"]["password"]'`,
    });
  }
  const components: PathComponent[] = [];
  for (const raw of trimmed.slice(1, -1).split("][")) {
    if (raw.startsWith('"') || raw.startsWith("'")) {
      components.push(raw.slice(1, raw.length - (raw.endsWith(raw[0] ?? "") && raw.length > 1 ? 1 : 0)));
    } else if (/^\d+$/.test(raw)) {
      components.push(Number(raw));
    } else {
      throw new CofferError("PATH_INVALID", `tree path component [${raw}] is neither a quoted key nor an index`, {
        hint: "quote map keys: [\"key\"]; use bare numbers for list indices: [0]",
      });
    }
  }
  return components;
}

/** Follows `path` from `root`; throws PATH_INVALID when a step does not exist. */
export function valueAtPath(root: TreeMap, path: readonly PathComponent[]): TreeValue {
  let current: TreeValue = root;
  path.forEach((component, depth) => {
    const where = renderPath(path.slice(0, depth + 1));
    if (typeof component === "string") {
      if (!(current instanceof TreeMap) || !current.has(component)) {
        throw new CofferError("PATH_INVALID", `no key at ${where}`, { hint: "check the key names with a plain decrypt" });
      }
      current = current.get(component) as TreeValue;
    } else {
      const items: TreeValue[] | undefined = Array.isArray(current)
        ? (current.filter((item) => !(item instanceof Comment)) as TreeValue[])
        : undefined;
      if (items === undefined || component >= items.length) {
        throw new CofferError("PATH_INVALID", `no list item at ${where}`, { hint: "list indices start at 0" });
      }
      current = items[component] as TreeValue;
    }
  });
  return current;
}

export function renderPath(path: readonly PathComponent[]): string {
  return path.map((c) => (typeof c === "number" ? `[${c}]` : `["${c}"]`)).join("");
}
