import { describe, expect, it } from "vitest";
import { Comment, TreeMap } from "../../src/core/tree.js";

describe("TreeMap", () => {
  it("keeps insertion order and comment positions", () => {
    const map = new TreeMap([{ key: "b", value: "1" }, new Comment(" note"), { key: "a", value: 2n }]);
    map.set("c", true);
    map.set("b", "changed");
    expect(map.entries().map((e) => e.key)).toEqual(["b", "a", "c"]);
    expect(map.items[1]).toBeInstanceOf(Comment);
    expect(map.get("b")).toBe("changed");
    expect(map.delete("a")).toBe(true);
    expect(map.has("a")).toBe(false);
  });
});
