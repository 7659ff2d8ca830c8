/** Reading the command's input and delivering its output: stdout, a named file, or in place. */
import { resolve } from "node:path";
import { CofferError } from "../errors.js";
import { readInput, writeFileAtomic } from "../io/index.js";
import { formatFromPath } from "../formats/index.js";
import type { FormatName } from "../formats/store.js";
import type { CliContext } from "./context.js";

export interface InputOptions {
  inputType?: FormatName;
  outputType?: FormatName;
  output?: string;
  inPlace?: boolean;
  indent?: number;
  maxInputSize?: number;
  filenameOverride?: string;
}

export interface LoadedInput {
  bytes: Uint8Array;
  /** Absolute path of the input (or of --filename-override), undefined for stdin. */
  path: string | undefined;
  format: FormatName;
}

export async function loadInput(context: CliContext, file: string | undefined, options: InputOptions): Promise<LoadedInput> {
  const fromStdin = file === undefined || file === "-";
  if (options.inPlace === true && options.output !== undefined) {
    throw new CofferError("USAGE", "--in-place and --output cannot be used together", { hint: "choose one destination" });
  }
  if (fromStdin && options.inPlace === true) {
    throw new CofferError("USAGE", "--in-place needs a file, not stdin", { hint: "name the file to replace" });
  }
  const nameForFormat = options.filenameOverride ?? (fromStdin ? undefined : file);
  const format = options.inputType ?? (nameForFormat === undefined ? undefined : formatFromPath(nameForFormat));
  if (format === undefined) {
    throw new CofferError("USAGE", "cannot tell the format of stdin", { hint: "pass --input-type yaml|json|dotenv|ini|binary" });
  }
  const bytes = await readInput(fromStdin ? "-" : (file as string), { maxBytes: options.maxInputSize });
  const path = nameForFormat === undefined ? undefined : resolve(context.cwd, nameForFormat);
  return { bytes, path, format };
}

/** Sends the result where the user asked: in place, to --output, or to stdout. */
export async function deliverOutput(context: CliContext, file: string | undefined, data: Uint8Array, options: InputOptions): Promise<void> {
  if (options.inPlace === true && file !== undefined) {
    await writeFileAtomic(resolve(context.cwd, file), data);
  } else if (options.output !== undefined) {
    await writeFileAtomic(resolve(context.cwd, options.output), data);
  } else {
    await new Promise<void>((done, fail) => {
      context.terminal.stdout.write(data, (error) => (error ? fail(error) : done()));
    });
  }
}
