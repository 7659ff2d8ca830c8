import { mkdtemp, rm, writeFile, chmod } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_MAX_INPUT_BYTES, readInput } from "../../../src/io/read-input.js";
import { CofferError } from "../../../src/errors.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "coffer-read-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(CofferError);
    return (error as CofferError).code;
  }
  return undefined;
}

describe("readInput", () => {
  it("reads a file as exact bytes", async () => {
    const bytes = Buffer.from([0, 1, 2, 255, 0x0a, 0xc3, 0x28]);
    const file = join(dir, "f.bin");
    await writeFile(file, bytes);
    const read = await readInput(file);
    expect(Buffer.from(read).equals(bytes)).toBe(true);
  });

  it("reads a file larger than one read chunk", async () => {
    const bytes = Buffer.alloc(300_000);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7) & 0xff;
    const file = join(dir, "big.bin");
    await writeFile(file, bytes);
    expect(Buffer.from(await readInput(file)).equals(bytes)).toBe(true);
  });

  it("reads stdin when the path is -", async () => {
    const stdin = Readable.from([Buffer.from("a: 1\n"), Buffer.from("b: 2\n")]);
    const read = await readInput("-", { stdin });
    expect(Buffer.from(read).toString()).toBe("a: 1\nb: 2\n");
  });

  it("reports a missing file as INPUT_UNREADABLE with a hint", async () => {
    const missing = join(dir, "nope.yaml");
    const error = await readInput(missing).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CofferError);
    expect((error as CofferError).code).toBe("INPUT_UNREADABLE");
    expect((error as CofferError).hint).toBeTruthy();
    expect((error as CofferError).message).toContain(missing);
  });

  it("reports a directory as INPUT_UNREADABLE", async () => {
    expect(await codeOf(readInput(dir))).toBe("INPUT_UNREADABLE");
  });

  it("reports an unreadable file as INPUT_UNREADABLE (when permissions are enforced)", async () => {
    const file = join(dir, "secret.yaml");
    await writeFile(file, "a: 1\n");
    await chmod(file, 0o000);
    const result = await readInput(file).then(
      () => "read",
      (e: unknown) => (e as CofferError).code,
    );
    // root bypasses permission bits; anyone else must get the coded error
    expect(result).toBe(process.getuid?.() === 0 ? "read" : "INPUT_UNREADABLE");
  });

  it("refuses a file over the limit with INPUT_TOO_LARGE and a hint", async () => {
    const file = join(dir, "f.yaml");
    await writeFile(file, Buffer.alloc(1025, 0x61));
    const error = await readInput(file, { maxBytes: 1024 }).catch((e: unknown) => e);
    expect((error as CofferError).code).toBe("INPUT_TOO_LARGE");
    expect((error as CofferError).hint).toMatch(/max-input-size/);
    // exactly at the limit is fine
    await writeFile(file, Buffer.alloc(1024, 0x61));
    expect((await readInput(file, { maxBytes: 1024 })).length).toBe(1024);
  });

  it("refuses a 50 MB input by default", async () => {
    expect(DEFAULT_MAX_INPUT_BYTES).toBeLessThan(50 * 1000 * 1000);
    const file = join(dir, "huge.bin");
    // a sparse file: cheap to create, but its size is 50 MB
    const { open } = await import("node:fs/promises");
    const handle = await open(file, "w");
    await handle.truncate(50 * 1000 * 1000);
    await handle.close();
    expect(await codeOf(readInput(file))).toBe("INPUT_TOO_LARGE");
  });

  it("stops reading stdin once the limit is exceeded", async () => {
    let produced = 0;
    const endless = new Readable({
      read() {
        produced += 1024;
        this.push(Buffer.alloc(1024, 0x62));
      },
    });
    expect(await codeOf(readInput("-", { stdin: endless, maxBytes: 10_000 }))).toBe("INPUT_TOO_LARGE");
    expect(produced).toBeLessThan(100_000);
    endless.destroy();
  });

  it("rejects a nonsensical limit as USAGE", async () => {
    expect(await codeOf(readInput("-", { maxBytes: -1, stdin: Readable.from([]) }))).toBe("USAGE");
  });
});
