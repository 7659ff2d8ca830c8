/** `coffer filestatus`: is this file encrypted? Prints data on stdout, exit 0 either way. */
import { stringify } from "yaml";
import { isEncrypted } from "../../api.js";
import type { FormatName } from "../../formats/store.js";
import type { CliContext } from "../context.js";
import { loadInput } from "../io.js";

export async function runFilestatus(context: CliContext, file: string, flags: { inputType?: FormatName; outputFormat?: string }): Promise<void> {
  const input = await loadInput(context, file, flags.inputType === undefined ? {} : { inputType: flags.inputType });
  const result = { encrypted: await isEncrypted(input.bytes, input.format) };
  context.terminal.stdout.write(flags.outputFormat === "yaml" ? stringify(result) : `${JSON.stringify(result)}\n`);
}
