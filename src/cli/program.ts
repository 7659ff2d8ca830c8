/**
 * The `coffer` command line. Each command's handler is imported only when that command runs,
 * so `coffer --help` and `coffer decrypt` load nothing they do not need.
 */
import { Command, Option } from "commander";
import type { CliContext } from "./context.js";
import { parseInteger } from "./option-parsers.js";
import { registerKustomizeCommand } from "./kustomize-command.js";
import { registerScanCommand } from "./commands/scan-register.js";
import { registerAuditCommands } from "./commands/audit-program.js";
import { registerApplyCommand } from "./commands/apply-command.js";

export const VERSION = "0.1.0";

const FORMATS = ["yaml", "json", "dotenv", "ini", "binary"];

function addInputOptions(command: Command): Command {
  return command
    .addOption(new Option("--input-type <format>", "format of the input (default: from the file extension)").choices(FORMATS))
    .addOption(new Option("--output-type <format>", "format of the output (default: the input format)").choices(FORMATS))
    .option("--output <file>", "write to FILE instead of stdout (atomically)")
    .option("-i, --in-place", "replace the input file (atomically, permissions kept)")
    .option("--indent <n>", "indentation of YAML (2-9) or JSON (-1 = tab) output", parseInteger)
    .option("--max-input-size <bytes>", "refuse inputs larger than this (default 16 MiB)", parseInteger);
}

export function buildProgram(context: CliContext): Command {
  const program = new Command("coffer")
    .description("Encrypt secrets for Git in the SOPS format, and get them safely into Kubernetes.")
    .version(VERSION, "-V, --version", "print the coffer version")
    .option("--config <file>", "path to .sops.yaml (default: search from the current directory up; env SOPS_CONFIG)")
    .showHelpAfterError("(run with --help for usage)")
    .configureOutput({
      writeOut: (text) => context.terminal.stdout.write(text),
      writeErr: (text) => context.terminal.stderr.write(text),
    })
    .exitOverride();

  addInputOptions(
    program
      .command("encrypt")
      .description("encrypt a plaintext file (values encrypted, keys readable, MAC over the whole file)")
      .argument("[file]", "the file to encrypt; '-' or nothing reads stdin (needs --input-type or --filename-override)")
      .option("--age <recipients>", "age recipients, comma separated: age1..., age1pq1..., ssh-ed25519 ..., ssh-rsa ... (env SOPS_AGE_RECIPIENTS)")
      .option("--pgp <fingerprints>", "PGP fingerprints, comma separated (env SOPS_PGP_FP)")
      .option("--kms <arns>", "AWS KMS key ARNs, comma separated; ARN+ROLE_ARN to assume a role (env SOPS_KMS_ARN)")
      .option("--aws-profile <profile>", "AWS profile for the --kms keys")
      .option("--encryption-context <pairs>", "AWS KMS encryption context for the --kms keys: k1:v1,k2:v2")
      .option("--gcp-kms <ids>", "GCP KMS key resource IDs, comma separated (env SOPS_GCP_KMS_IDS)")
      .option("--hc-vault-transit <uris>", "Vault transit key URIs https://host:8200/v1/transit/keys/NAME, comma separated (env SOPS_VAULT_URIS)")
      .option("--azure-kv <urls>", "Azure Key Vault key URLs, comma separated (env SOPS_AZURE_KEYVAULT_URLS)")
      .option("--filename-override <path>", "use this path to pick the format and the .sops.yaml rule")
      .option("--unencrypted-suffix <suffix>", "leave keys ending in SUFFIX in clear text (default _unencrypted)")
      .option("--encrypted-suffix <suffix>", "encrypt only keys ending in SUFFIX")
      .option("--unencrypted-regex <re>", "leave keys matching RE in clear text")
      .option("--encrypted-regex <re>", "encrypt only keys matching RE (Kubernetes Secrets default to ^(data|stringData)$)")
      .option("--unencrypted-comment-regex <re>", "leave values under a comment matching RE in clear text")
      .option("--encrypted-comment-regex <re>", "encrypt only values under a comment matching RE")
      .option("--mac-only-encrypted", "compute the MAC over encrypted values only")
      .option("--shamir-secret-sharing-threshold <n>", "number of key groups needed to decrypt", parseInteger)
      .option("--no-kubernetes-default", "do not limit encryption of Kubernetes Secrets to data/stringData")
      .addHelpText(
        "after",
        `
Master keys come from the key flags (--age, --pgp, --kms, --gcp-kms, --hc-vault-transit, --azure-kv,
or their SOPS_* environment variables), else from the first matching creation rule of .sops.yaml. Output goes to stdout unless --output or --in-place is given.

Examples:
  coffer encrypt --age age1... secret.yaml > secret.enc.yaml
  coffer encrypt -i k8s/db-secret.yaml              # recipients from .sops.yaml
  cat app.env | coffer encrypt --input-type dotenv --age age1... -`,
      ),
  ).action(async (file: string | undefined, options: Record<string, unknown>) => {
    const { runEncrypt } = await import("./commands/encrypt.js");
    await runEncrypt(context, file, { ...program.opts(), ...options });
  });

  addInputOptions(
    program
      .command("decrypt")
      .description("decrypt a file, verifying its MAC; plaintext goes to stdout unless you name a file")
      .argument("[files...]", "the encrypted file; '-' or nothing reads stdin (needs --input-type); several files need --output-dir")
      .option("--extract <path>", `print only the value at PATH, e.g. '["data"]["password"]'`)
      .option("--ignore-mac", "do not verify the MAC (only to recover a damaged file)")
      .option("--decryption-order <types>", "key types to try first, comma separated (env SOPS_DECRYPTION_ORDER; default age,pgp)")
      .option("-r, --recursive <dir>", "every encrypted file under DIR (sops metadata), mirrored under --output-dir")
      .option("--output-dir <dir>", "with several files or -r: write each plaintext under DIR (created 0700, files 0600)")
      .option("--force", "with --output-dir: replace files that already exist there")
      .option("--concurrency <n>", "with --output-dir: key-service calls in flight at once (default 16)", parseInteger)
      .addOption(new Option("-o, --output-format <fmt>", "with --output-dir: also print the summary as JSON on stdout").choices(["json"]))
      .addHelpText(
        "after",
        `
age identities come from SOPS_AGE_KEY, SOPS_AGE_KEY_FILE, SOPS_AGE_KEY_CMD, the default
~/.config/sops/age/keys.txt, and SSH keys (SOPS_AGE_SSH_PRIVATE_KEY_FILE, ~/.ssh/id_ed25519, ~/.ssh/id_rsa).

Examples:
  coffer decrypt secret.enc.yaml
  coffer decrypt --extract '["data"]["password"]' secret.enc.yaml
  coffer decrypt secret.enc.yaml | kubectl apply -f -
  coffer decrypt -r k8s/ --output-dir /run/secrets   # every encrypted file, one run, keys unwrapped once`,
      ),
  ).action(async (files: string[], options: Record<string, unknown>) => {
    const { runDecrypt } = await import("./commands/decrypt.js");
    await runDecrypt(context, files, { ...program.opts(), ...options });
  });

  program
    .command("filestatus")
    .description("tell whether a file is encrypted: prints {\"encrypted\":true|false}")
    .argument("<file>", "the file to inspect")
    .addOption(new Option("--input-type <format>", "format of the file (default: from the extension)").choices(FORMATS))
    .addOption(new Option("-o, --output-format <fmt>", "output format").choices(["json", "yaml"]).default("json"))
    .action(async (file: string, options: Record<string, unknown>) => {
      const { runFilestatus } = await import("./commands/filestatus.js");
      await runFilestatus(context, file, options);
    });

  program
    .command("keygen")
    .description("create a new age identity and print its recipient (public key)")
    .option("-o, --output <file>", "where to write the identity (default: the file sops reads, ~/.config/sops/age/keys.txt)")
    .option("--pq", "create a post-quantum hybrid identity (age1pq1...)")
    .addHelpText(
      "after",
      `
The identity file is created with mode 0600 and never overwritten. The recipient goes to stdout.

Example:
  coffer keygen -o dev.agekey`,
    )
    .action(async (options: Record<string, unknown>) => {
      const { runKeygen } = await import("./commands/keygen.js");
      await runKeygen(context, options);
    });

  registerKeyCommands(program, context);
  registerKustomizeCommand(program, context);
  registerScanCommand(program, context);
  registerAuditCommands(program, context);

  registerApplyCommand(program, context);

  return program;
}

/** `updatekeys` and `rotate`: key management for files and whole trees (handlers in commands/). */
function registerKeyCommands(program: Command, context: CliContext): void {
  const fileOptions = (command: Command): Command =>
    command
      .argument("[files...]", "encrypted files to change in place")
      .option("-r, --recursive <dir>", "every encrypted file under DIR that a .sops.yaml creation rule covers")
      .option("--concurrency <n>", "files processed at once (default 4)", parseInteger)
      .addOption(new Option("-o, --output-format <fmt>", "also print the summary as JSON on stdout").choices(["json"]))
      .addOption(new Option("--input-type <format>", "format of the files (default: from each file's extension)").choices(FORMATS));

  fileOptions(
    program
      .command("updatekeys")
      .description("make files' keys match their .sops.yaml creation rule, keeping the data key (values and MAC untouched)")
      .option("-y, --yes", "apply without asking"),
  )
    .addHelpText("after", "\nExamples:\n  coffer updatekeys secrets/db.yaml\n  coffer updatekeys -y -r .          # every covered encrypted file in the repository")
    .action(async (files: string[], options: Record<string, unknown>) => {
      const { runUpdatekeys } = await import("./commands/updatekeys.js");
      await runUpdatekeys(context, files, { ...program.opts(), ...options });
    });

  const rotate = fileOptions(
    program.command("rotate").description("give files a new data key and re-encrypt every value; optionally add or remove keys"),
  );
  for (const [flag, what] of [
    ["age", "age recipients"],
    ["pgp", "PGP fingerprints"],
    ["kms", "AWS KMS key ARNs"],
    ["gcp-kms", "GCP KMS key resource IDs"],
    ["hc-vault-transit", "Vault transit key URIs"],
  ] as const) {
    rotate.option(`--add-${flag} <keys>`, `${what} to add to the first key group, comma separated`);
    rotate.option(`--rm-${flag} <keys>`, `${what} to remove from every key group, comma separated`);
  }
  rotate
    .addHelpText("after", "\nExamples:\n  coffer rotate secrets/db.yaml\n  coffer rotate --rm-age age1old... --add-age age1new... -r .")
    .action(async (files: string[], options: Record<string, unknown>) => {
      const { runRotate } = await import("./commands/rotate.js");
      await runRotate(context, files, { ...program.opts(), ...options });
    });
}
