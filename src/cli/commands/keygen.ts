/** `coffer keygen`: a new age identity, written once with mode 0600; the recipient to stdout. */
import { resolve } from "node:path";
import { writeNewFileExclusive } from "../../io/index.js";
import type { CliContext } from "../context.js";
import { info } from "../terminal.js";

export async function runKeygen(context: CliContext, flags: { output?: string; pq?: boolean }): Promise<void> {
  const age = await import("../../../providers/age/index.js");
  const target =
    flags.output === undefined
      ? age.defaultAgeKeyFile({ env: context.env, homeDir: context.provider.homeDir, platform: context.provider.platform })
      : resolve(context.cwd, flags.output);
  const generated = await age.generateAgeIdentity({ postQuantum: flags.pq === true });
  await writeNewFileExclusive(target, new TextEncoder().encode(generated.fileText), 0o600);
  info(context.terminal, `wrote a new age identity to ${target}`);
  context.terminal.stdout.write(`${generated.recipient}\n`);
}
