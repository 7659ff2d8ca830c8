/** SOPS_GPG_EXEC, a missing binary and a gpg that never answers (no real gpg needed). */
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { TreeMap } from "../../../../src/core/tree.js";
import { isCofferError } from "../../../../src/errors.js";
import { createPgpProvider, loadPgpProvider } from "../../../../providers/pgp/index.js";

const FP = "FBC7B9E2A4F9289AC0C1D4843D16CEE4A27381B4";
// Structurally valid armor (no checksum); only the fake gpg binaries here ever read it.
const ENC = "-----BEGIN PGP MESSAGE-----\n\nwYwDXFUltYFwV4MBBABs0ZEghsU+mdsRFROvlT8ACqk4Ru0Bssw3N+lkSrpR+QyY\n-----END PGP MESSAGE-----";
const stanza = { type: "pgp", fields: TreeMap.from({ fp: FP, enc: ENC }) };
const dir = mkdtempSync(join(tmpdir(), "cg-x"));
const context = (env: Record<string, string | undefined>) => ({ env, homeDir: dir, platform: process.platform });

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function script(name: string, body: string): string {
  const path = join(dir, name);
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => new Error("expected a failure"),
    (error: unknown) => error,
  );
}

describe.skipIf(process.platform === "win32")("gpg executable", () => {
  it("SOPS_GPG_EXEC naming a missing binary is PROVIDER_UNAVAILABLE with a hint, for unwrap and wrap", async () => {
    const provider = await loadPgpProvider(context({ ...process.env, SOPS_GPG_EXEC: join(dir, "no-such-gpg") }));
    const unwrapError = await failureOf(provider.unwrap(stanza));
    expect(isCofferError(unwrapError, "PROVIDER_UNAVAILABLE"), String(unwrapError)).toBe(true);
    expect((unwrapError as { hint?: string }).hint).toContain("SOPS_GPG_EXEC");
    const wrapError = await failureOf(provider.wrap(new Uint8Array(32), { type: "pgp", fields: TreeMap.from({ fp: FP }) }));
    expect(isCofferError(wrapError, "PROVIDER_UNAVAILABLE")).toBe(true);
  });

  it("SOPS_GPG_EXEC is the binary that runs, with the message on stdin and nothing secret on argv", async () => {
    const record = join(dir, "argv.txt");
    const fake = script("fake-gpg", `echo "$@" > '${record}'\ncat > /dev/null\nprintf 'KEY'`);
    const provider = await loadPgpProvider(context({ ...process.env, SOPS_GPG_EXEC: fake }));
    expect(Buffer.from((await provider.unwrap(stanza)) ?? []).toString()).toBe("KEY");
    const argv = readFileSync(record, "utf8");
    expect(argv).toContain("-d");
    expect(argv).not.toContain("BEGIN PGP");
    expect(argv).not.toContain("pinentry-mode");
  });

  it("a gpg that never answers is killed and reported as PROVIDER_UNAVAILABLE", async () => {
    const hanging = script("hanging-gpg", "exec sleep 30");
    const provider = createPgpProvider({ gpgExecutable: hanging, timeoutMs: 200 });
    const error = await failureOf(provider.unwrap(stanza));
    expect(isCofferError(error, "PROVIDER_UNAVAILABLE"), String(error)).toBe(true);
  }, 15_000);

  it("a passphrase goes to gpg on a pipe with loopback pinentry, never on argv", async () => {
    const record = join(dir, "argv-pass.txt");
    const fake = script("fake-gpg-pass", `echo "$@" > '${record}'\nread -r pass <&3\ncat > /dev/null\nprintf '%s' "$pass"`);
    const provider = createPgpProvider({ gpgExecutable: fake, passphrase: "s3cret phrase" });
    expect(Buffer.from((await provider.unwrap(stanza)) ?? []).toString()).toBe("s3cret phrase");
    const argv = readFileSync(record, "utf8");
    expect(argv).toContain("--pinentry-mode loopback --passphrase-fd 3");
    expect(argv).not.toContain("s3cret");
  });
});
