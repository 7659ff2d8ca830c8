/** Registers `coffer kustomize-function`; its handler (and the decryption machinery) loads only when it runs. */
import type { Command } from "commander";
import type { CliContext } from "./context.js";
import { parseInteger } from "./option-parsers.js";

export function registerKustomizeCommand(program: Command, context: CliContext): void {
  program
    .command("kustomize-function")
    .description("kustomize generator: decrypt the files a CofferGenerator lists, in memory, and print the resources")
    .argument("[config]", "the generator config (given by kustomize to legacy exec plugins); without it, a KRM ResourceList is read on stdin")
    .option("--decryption-order <types>", "key types to try first, comma separated (env SOPS_DECRYPTION_ORDER; default age,pgp)")
    .option("--max-input-size <bytes>", "refuse inputs larger than this (default 16 MiB)", parseInteger)
    .addHelpText(
      "after",
      `
kustomize runs this command; you point a generator at it. The CofferGenerator lists encrypted files:

  apiVersion: coffer.dev/v1alpha1
  kind: CofferGenerator
  metadata:
    name: app-secrets
  files: [db-secret.enc.yaml]            # encrypted manifests (any kind, multi-document)
  secrets:                               # Secrets built from encrypted inputs, like secretGenerator
    - name: app-env
      envs: [app.enc.env]                # one key per dotenv entry
      files: [tls.crt=cert.enc.pem]      # KEY=PATH, or PATH (key: the file name without .enc)
      options: {nameSuffixHash: false}   # true: kustomize adds a content hash to the name

Paths are relative to the kustomization directory and must stay inside it. Plaintext never touches
the disk: files are decrypted in memory and the resources go to kustomize on stdout. age
identities come from SOPS_AGE_KEY_FILE, SOPS_AGE_KEY, ~/.config/sops/age/keys.txt, as for decrypt.

kubectl kustomize (no --enable-exec) runs legacy exec plugins: install a two-line wrapper
  #!/bin/sh
  exec coffer kustomize-function "$@"
as $KUSTOMIZE_PLUGIN_HOME/coffer.dev/v1alpha1/coffergenerator/CofferGenerator, then:
  KUSTOMIZE_PLUGIN_HOME=$PWD/plugins kubectl kustomize --enable-alpha-plugins overlays/prod

Standalone kustomize can run it as an exec KRM function instead: annotate the generator config with
  config.kubernetes.io/function: |
    exec:
      path: ./coffer-kustomize           # the same wrapper, next to kustomization.yaml
and run kustomize build --enable-alpha-plugins --enable-exec DIR. (kubectl skips such functions
silently, so keep that annotation out of configs kubectl builds.)

Examples:
  KUSTOMIZE_PLUGIN_HOME=$PWD/examples/kustomize/plugins kubectl kustomize --enable-alpha-plugins examples/kustomize
  coffer kustomize-function < resource-list.yaml`,
    )
    .action(async (config: string | undefined, options: Record<string, unknown>) => {
      const { runKustomizeFunction } = await import("./commands/kustomize-function.js");
      await runKustomizeFunction(context, config, options);
    });
}
