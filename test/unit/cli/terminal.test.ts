/** The progress line: rewritten in place on a TTY, absent everywhere else (pipes, CI logs). */
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { statusLine, type Terminal } from "../../../src/cli/terminal.js";

function terminalWith(isTTY: boolean): { terminal: Terminal; written: () => string } {
  const stderr = Object.assign(new PassThrough(), { isTTY });
  let text = "";
  stderr.on("data", (chunk: Buffer) => (text += chunk.toString()));
  return { terminal: { stdout: new PassThrough(), stderr, color: false }, written: () => text };
}

describe("statusLine", () => {
  it("rewrites one line on a TTY and clears it when called with nothing", () => {
    const { terminal, written } = terminalWith(true);
    const show = statusLine(terminal);
    show("read 500 keys");
    show("read 1000 keys");
    show();
    expect(written()).toBe("\r\u001b[Kcoffer: read 500 keys\r\u001b[Kcoffer: read 1000 keys\r\u001b[K");
  });

  it("writes nothing when stderr is not a TTY", () => {
    const { terminal, written } = terminalWith(false);
    const show = statusLine(terminal);
    show("read 500 keys");
    show();
    expect(written()).toBe("");
  });
});
