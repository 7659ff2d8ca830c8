/** `coffer audit etcd` failures that need no cluster: usage, unreadable or invalid config, etcd unreachable. */
import { writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { exitStatusFor } from "../../src/cli/exit.js";
import { freshHome, runCoffer, runCofferAsync } from "../helpers/cli.js";

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe("coffer audit etcd without a cluster", () => {
  it("--help shows examples and the finding ids", () => {
    const result = runCoffer(["audit", "etcd", "--help"]);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("Examples:");
    expect(result.stdout).toContain("etcd-stale-key");
  });

  it("refuses to run without an endpoint, or with --rewrite-only flags and no --rewrite (USAGE)", () => {
    expect(runCoffer(["audit", "etcd"]).status).toBe(exitStatusFor("USAGE"));
    expect(runCoffer(["audit", "etcd", "--endpoints", "http://127.0.0.1:1", "--kubeconfig", "x"]).status).toBe(exitStatusFor("USAGE"));
    expect(runCoffer(["audit", "etcd", "--endpoints", "127.0.0.1:2379"]).status).toBe(exitStatusFor("USAGE"));
    expect(runCoffer(["audit", "etcd", "--endpoints", "http://127.0.0.1:1", "-o", "xml"]).status).toBe(exitStatusFor("USAGE"));
  });

  it("a missing --config is INPUT_UNREADABLE, a malformed one CONFIG_INVALID, before etcd is contacted", () => {
    const home = freshHome();
    const bad = join(home, "bad.yaml");
    writeFileSync(bad, "kind: EncryptionConfiguration\nresources: [{resources: [secrets], providers: [{aescbc: {keys: [{secret: c2VjcmV0}]}}]}]\n");
    expect(runCoffer(["audit", "etcd", "--endpoints", "http://127.0.0.1:1", "--config", join(home, "nope.yaml")], { env: { HOME: home } }).status).toBe(exitStatusFor("INPUT_UNREADABLE"));
    const invalid = runCoffer(["audit", "etcd", "--endpoints", "http://127.0.0.1:1", "--config", bad], { env: { HOME: home } });
    expect(invalid.status).toBe(exitStatusFor("CONFIG_INVALID"));
    expect(invalid.stderr).not.toContain("c2VjcmV0");
  });

  it("an etcd nobody answers on is CLUSTER_UNREACHABLE, with a hint", async () => {
    const result = await runCofferAsync(["audit", "etcd", "--endpoints", `http://127.0.0.1:${await closedPort()}`]);
    expect(result.status).toBe(exitStatusFor("CLUSTER_UNREACHABLE"));
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("hint:");
  });
});
