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
type TestFn = () => unknown;

export function itWithBinary(binary: string): (name: string, fn: TestFn, timeout?: number) => void {
  if (hasBinary(binary)) return (name, fn, timeout) => it(name, fn, timeout);
  if (process.env.CI === "true") {
    return (name) =>
      it(name, () => {
        throw new Error(`${binary} is required under CI=true but is not installed (.ci/run installs it)`);
      });
  }
  console.warn(`[coffer tests] ${binary} not found: skipping the tests that need it`);
  return (name, fn, timeout) => it.skip(name, fn, timeout);
}
