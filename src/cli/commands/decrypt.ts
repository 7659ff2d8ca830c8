/** `coffer decrypt`: plaintext only to stdout or to a file the user names. */
import { decrypt } from "../../api.js";
import { lazyProviders } from "../../../providers/registry.js";
import { commaList, type CliContext } from "../context.js";
import { deliverOutput, loadInput, type InputOptions } from "../io.js";
import { warn } from "../terminal.js";

interface DecryptFlags extends InputOptions {
  extract?: string;
  ignoreMac?: boolean;
  decryptionOrder?: string;
}

export async function runDecrypt(context: CliContext, file: string | undefined, flags: DecryptFlags): Promise<void> {
  const input = await loadInput(context, file, flags);
  const order = commaList(flags.decryptionOrder ?? context.env.SOPS_DECRYPTION_ORDER);
  const plaintext = await decrypt(input.bytes, {
    format: input.format,
    outputFormat: flags.outputType,
    providers: lazyProviders(context.provider),
    ignoreMac: flags.ignoreMac === true,
    extract: flags.extract,
    keyOrder: order.length > 0 ? order : undefined,
    indent: flags.indent,
    onWarning: (message) => warn(context.terminal, message),
  });
  if (flags.ignoreMac === true) warn(context.terminal, "the MAC was not verified (--ignore-mac): the content may have been tampered with");
  await deliverOutput(context, file, plaintext, flags);
}
