/**
 * The CLI's entry into the PGP provider (loaded lazily by providers/registry.ts): the user's gpg
 * (`SOPS_GPG_EXEC` or `gpg`) with the caller's environment, so GNUPGHOME, GPG_TTY and the agent
 * socket are the user's own.
 */
import type { KeyProvider } from "../../src/provider.js";
import type { ProviderContext } from "../registry.js";
import { createPgpProvider } from "./provider.js";

/** Builds the PGP provider from `context.env` (never process.env). */
export async function loadPgpProvider(context: ProviderContext): Promise<KeyProvider> {
  const executable = context.env.SOPS_GPG_EXEC?.trim();
  return createPgpProvider({
    gpgExecutable: executable === undefined || executable === "" ? "gpg" : executable,
    env: { ...context.env },
  });
}
