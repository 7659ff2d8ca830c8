import { execFileSync, spawn } from "node:child_process";
import { createReadStream } from "node:fs";
import { chmod, chown, mkdir, mkdtemp, readFile, readdir, rm, stat, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CofferError } from "../../../src/errors.js";
import { writeFileAtomic, writeNewFileExclusive } from "../../../src/io/write-atomic.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "coffer-write-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const modeOf = async (path: string) => (await stat(path)).mode & 0o7777;
const tempFilesIn = async (path: string) => (await readdir(path)).filter((name) => name.includes(".coffer-"));

describe("writeFileAtomic", () => {
  it("creates a new file with mode 0600 by default", async () => {
    const target = join(dir, "out.yaml");
    await writeFileAtomic(target, "a: 1\n");
    expect(await readFile(target, "utf8")).toBe("a: 1\n");
    expect(await modeOf(target)).toBe(0o600);
    expect(await tempFilesIn(dir)).toEqual([]);
  });

  it("uses the requested mode for a new file", async () => {
    const target = join(dir, "out.enc.yaml");
    await writeFileAtomic(target, new Uint8Array([1, 2, 3]), { mode: 0o644 });
    expect(await modeOf(target)).toBe(0o644);
    expect([...(await readFile(target))]).toEqual([1, 2, 3]);
  });

  it("keeps the permission bits of an existing target on an in-place write", async () => {
    const target = join(dir, "secrets.yaml");
    await writeFile(target, "old\n");
    await chmod(target, 0o640);
    await writeFileAtomic(target, "new\n", { mode: 0o600 });
    expect(await readFile(target, "utf8")).toBe("new\n");
    expect(await modeOf(target)).toBe(0o640);
  });

  it("copies the mode of keepModeOf for a new target", async () => {
    const input = join(dir, "in.yaml");
    await writeFile(input, "x");
    await chmod(input, 0o604);
    const target = join(dir, "out.yaml");
    await writeFileAtomic(target, "y", { keepModeOf: input });
    expect(await modeOf(target)).toBe(0o604);
  });

  it("writes through a symlink and keeps the link", async () => {
    const real = join(dir, "real.yaml");
    await writeFile(real, "old");
    const link = join(dir, "link.yaml");
    await symlink(real, link);
    await writeFileAtomic(link, "new");
    expect(await readFile(real, "utf8")).toBe("new");
    const { lstat } = await import("node:fs/promises");
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
  });

  // only root can hand a file to another user
  it.runIf(process.getuid?.() === 0)("keeps the owner and group of an existing target when running as root", async () => {
    const target = join(dir, "owned.yaml");
    await writeFile(target, "old");
    await chown(target, 4321, 4322);
    await writeFileAtomic(target, "new");
    const info = await stat(target);
    expect([info.uid, info.gid]).toEqual([4321, 4322]);
    expect(await readFile(target, "utf8")).toBe("new");
  });

  it("writes into a FIFO instead of replacing it", async () => {
    const fifo = join(dir, "pipe");
    execFileSync("mkfifo", [fifo]);
    const received = new Promise<string>((done, fail) => {
      let text = "";
      createReadStream(fifo)
        .on("data", (chunk) => (text += chunk.toString()))
        .on("end", () => done(text))
        .on("error", fail);
    });
    await writeFileAtomic(fifo, "through the pipe");
    expect(await received).toBe("through the pipe");
    expect((await stat(fifo)).isFIFO()).toBe(true);
    expect(await tempFilesIn(dir)).toEqual([]);
  });

  it("removes its temp file and throws OUTPUT_UNWRITABLE when the rename fails", async () => {
    // a directory as the target makes rename(2) fail even for root
    const target = join(dir, "target");
    await mkdir(target);
    await writeFile(join(target, "inside"), "keep me");
    const error = await writeFileAtomic(target, "data").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CofferError);
    expect((error as CofferError).code).toBe("OUTPUT_UNWRITABLE");
    expect(await tempFilesIn(dir)).toEqual([]);
    expect(await readFile(join(target, "inside"), "utf8")).toBe("keep me");
  });

  it("throws OUTPUT_UNWRITABLE when the directory does not exist", async () => {
    const error = await writeFileAtomic(join(dir, "missing", "f"), "data").catch((e: unknown) => e);
    expect((error as CofferError).code).toBe("OUTPUT_UNWRITABLE");
  });

  it("leaves the target entirely old or entirely new when killed at random moments", async () => {
    const moduleDir = await transpileWriter();
    const target = join(dir, "victim.bin");
    const size = 4 * 1024 * 1024;
    const contentA = Buffer.alloc(size, 0x61);
    const contentB = Buffer.alloc(size, 0x62);
    await writeFile(target, contentA);
    const child = join(moduleDir, "child.mjs");
    await writeFile(
      child,
      `import { writeFileAtomic } from "./io/write-atomic.js";
const [target, size] = process.argv.slice(2);
const a = Buffer.alloc(Number(size), 0x61), b = Buffer.alloc(Number(size), 0x62);
process.stdout.write("ready\\n");
for (let i = 0; ; i++) await writeFileAtomic(target, i % 2 ? a : b);
`,
    );

    const deadline = Date.now() + 15_000;
    let kills = 0;
    for (let round = 0; round < 20 && Date.now() < deadline; round++) {
      await runAndKill(child, [target, String(size)], Math.random() * 60);
      kills++;
      const after = await readFile(target);
      const whole = after.equals(contentA) || after.equals(contentB);
      expect(whole, `round ${round}: target has ${after.length} bytes of mixed content`).toBe(true);
    }
    expect(kills).toBeGreaterThanOrEqual(5);
  }, 30_000);
});

describe("writeNewFileExclusive", () => {
  it("creates the file and missing parents with 0700", async () => {
    const target = join(dir, "a", "b", "keys.txt");
    await writeNewFileExclusive(target, "AGE-SECRET-KEY-1...\n", 0o600);
    expect(await readFile(target, "utf8")).toBe("AGE-SECRET-KEY-1...\n");
    expect(await modeOf(target)).toBe(0o600);
    expect(await modeOf(join(dir, "a"))).toBe(0o700);
    expect(await modeOf(join(dir, "a", "b"))).toBe(0o700);
  });

  it("refuses to overwrite an existing file with FILE_EXISTS", async () => {
    const target = join(dir, "keys.txt");
    await writeFile(target, "precious");
    const error = await writeNewFileExclusive(target, "new").catch((e: unknown) => e);
    expect((error as CofferError).code).toBe("FILE_EXISTS");
    expect(await readFile(target, "utf8")).toBe("precious");
  });
});

/** Transpiles the writer (and the error module it imports) into a temp dir a child node can load. */
async function transpileWriter(): Promise<string> {
  const srcDir = join(dirname(fileURLToPath(import.meta.url)), "../../../src");
  const out = join(dir, "mod");
  for (const relative of ["io/write-atomic.ts", "errors.ts"]) {
    const source = await readFile(join(srcDir, relative), "utf8");
    const { outputText } = ts.transpileModule(source, {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    });
    const destination = join(out, relative.replace(/\.ts$/, ".js"));
    await mkdir(dirname(destination), { recursive: true });
    await writeFile(destination, outputText);
  }
  await writeFile(join(out, "package.json"), '{"type":"module"}');
  return out;
}

/** Starts the child, waits until it is writing, then SIGKILLs it after `delayMs`. */
function runAndKill(script: string, args: string[], delayMs: number): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [script, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.once("data", () => setTimeout(() => child.kill("SIGKILL"), delayMs));
    child.on("error", reject);
    child.on("exit", (_code, signal) =>
      signal === "SIGKILL" ? resolvePromise() : reject(new Error(`child exited early: ${stderr}`)),
    );
  });
}
