/**
 * Tests that need a real binary (age, gpg, ssh-keygen) skip loudly where it is missing, and
 * fail under CI=true, so a green CI always means the real parts were exercised.
 */
import { spawnSync } from "node:child_process";
import { it } from "vitest";

export function hasBinary(name: string): boolean {
  return spawnSync("sh", ["-c", `command -v ${name}`]).status === 0;
}

/** `it` when the binary exists; otherwise a skip with a warning, or a failing test under CI. */
export function itWithBinary(binary: string): typeof it {
  if (hasBinary(binary)) return it;
  if (process.env.CI === "true") {
    return ((name: string) =>
      it(name, () => {
        throw new Error(`${binary} is required under CI=true but is not installed (.ci/run installs it)`);
      })) as unknown as typeof it;
  }
  console.warn(`[coffer tests] ${binary} not found: skipping the tests that need it`);
  return it.skip;
}
