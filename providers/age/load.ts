/**
 * The CLI's entry into the age provider: discover identities the way sops does (§10.1) from the
 * context the CLI passes in, then build the provider. Loaded lazily by providers/registry.ts.
 */
import type { KeyProvider } from "../../src/provider.js";
import type { ProviderContext } from "../registry.js";
import { discoverAgeIdentities } from "./discovery.js";
import { createAgeProvider } from "./provider.js";

export async function loadAgeProvider(context: ProviderContext): Promise<KeyProvider> {
  const passphrase = context.passphrase;
  const found = await discoverAgeIdentities({
    env: context.env,
    homeDir: context.homeDir,
    platform: context.platform,
    passphrase: passphrase === undefined ? undefined : async () => passphrase(),
  });
  for (const warning of found.warnings) context.warn?.(warning);
  return createAgeProvider({ identities: found.identities });
}
