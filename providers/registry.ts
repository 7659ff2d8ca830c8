/**
 * Where the CLI finds key providers: one lazy loader per metadata key type. Nothing here is
 * imported until a file needs that type, so an age-only decrypt never loads a cloud SDK.
 * Adding a provider is one folder under providers/ and one line here.
 */
import type { KeyProvider } from "../src/provider.js";

/** What a provider may use from the caller's environment; the CLI fills it from process.env. */
export interface ProviderContext {
  env: Record<string, string | undefined>;
  homeDir: string;
  platform: NodeJS.Platform;
  /** Asks the user for a passphrase (only on a TTY); absent in unattended runs. */
  passphrase?: (() => Promise<string>) | undefined;
  /** Receives non-fatal notices (e.g. an unreadable optional key file); printed on stderr by the CLI. */
  warn?: ((message: string) => void) | undefined;
}

type ProviderLoader = (context: ProviderContext) => Promise<KeyProvider>;

const loaders: Record<string, ProviderLoader> = {
  age: async (context) => (await import("./age/load.js")).loadAgeProvider(context),
  pgp: async (context) => (await import("./pgp/load.js")).loadPgpProvider(context),
  kms: async (context) => (await import("./aws-kms/load.js")).loadAwsKmsProvider(context),
  gcp_kms: async (context) => (await import("./gcp-kms/load.js")).loadGcpKmsProvider(context),
  hc_vault: async (context) => (await import("./vault-transit/load.js")).loadVaultTransitProvider(context),
};

/** The metadata key types Coffer has a provider for. */
export const knownProviderTypes: readonly string[] = Object.keys(loaders);

/**
 * A resolver that loads each provider once, on first use, with the given context.
 * Unknown types resolve to undefined (their stanzas are kept and skipped).
 */
export function lazyProviders(context: ProviderContext): (type: string) => Promise<KeyProvider | undefined> {
  const cache = new Map<string, Promise<KeyProvider>>();
  return async (type) => {
    const load = loaders[type];
    if (load === undefined) return undefined;
    let provider = cache.get(type);
    if (provider === undefined) {
      provider = load(context);
      cache.set(type, provider);
    }
    return provider;
  };
}
