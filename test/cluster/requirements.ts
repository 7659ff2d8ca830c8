/**
 * Suites against the real cluster run where etcd and the cached kube-apiserver exist, skip
 * with one warning where they do not, and fail under CI=true (same policy as
 * test/helpers/binaries.ts), so a green CI always means the real cluster was exercised.
 */
import { describe, it } from "vitest";
import { missingClusterParts } from "./paths.js";

export { clusterAvailable, missingClusterParts } from "./paths.js";

/** `describe` for suites that start a real cluster; see the module comment for the policy. */
export function describeCluster(name: string, fn: () => void): void {
  const missing = missingClusterParts();
  if (missing.length === 0) {
    describe(name, fn);
    return;
  }
  const what = `${missing.join(", ")} not found (scripts/build-kube-apiserver.sh installs and builds them)`;
  if (process.env.CI === "true") {
    describe(name, () => {
      it("needs a real etcd and kube-apiserver", () => {
        throw new Error(`required under CI=true: ${what}`);
      });
    });
    return;
  }
  console.warn(`[coffer tests] ${what}: skipping "${name}"`);
  describe.skip(name, fn);
}
