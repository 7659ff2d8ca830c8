/** The `coffer` process: build the program, run it, and turn failures into exit statuses. */
import { CommanderError } from "commander";
import { CofferError } from "../errors.js";
import { exitStatusFor } from "./exit.js";
import { WHOLE_NUMBER_EXPECTED } from "./option-parsers.js";
import { buildProgram } from "./program.js";
import { providerContextFromProcess, type CliContext } from "./context.js";
import { createTerminal, reportError, warn } from "./terminal.js";

export async function main(argv: string[]): Promise<number> {
  const env = { ...process.env };
  const terminal = createTerminal(env);
  const context: CliContext = { env, cwd: process.cwd(), terminal, provider: providerContextFromProcess(env, (message) => warn(terminal, message)) };
  const program = buildProgram(context);
  try {
    await program.parseAsync(argv, { from: "user" });
    return context.exitStatus ?? 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end through here with exit code 0.
      if (error.exitCode === 0) return 0;
      return exitStatusFor("USAGE");
    }
    if (error instanceof Error && error.message.startsWith(WHOLE_NUMBER_EXPECTED)) {
      return reportError(terminal, new CofferError("USAGE", error.message));
    }
    return reportError(terminal, error);
  }
}

process.on("SIGINT", () => process.exit(85));
// A reader that stops early (`coffer decrypt f | head`) is not an error worth a stack trace.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(0);
  throw error;
});
const status = await main(process.argv.slice(2));
// Let stdout drain before exiting (large decrypted outputs through a pipe).
process.exitCode = status;
