/**
 * The CLI's entry into the Vault transit provider: credentials and settings from the context
 * env the way the Vault CLI and sops read them (§6.6, §10.2). Loaded lazily by providers/registry.ts.
 * The address is not read from VAULT_ADDR: each stanza carries its own `vault_address`.
 */
import { readFile } from "node:fs/promises";
import type { KeyProvider } from "../../src/provider.js";
import type { ProviderContext } from "../registry.js";
import { createVaultTransitProvider } from "./provider.js";
import { resolveVaultToken } from "./token.js";

/** Env var names this loader reads (documented in README.md). */
export const VAULT_ENV = {
  token: "VAULT_TOKEN",
  namespace: "VAULT_NAMESPACE",
  caCert: "VAULT_CACERT",
  skipVerify: "VAULT_SKIP_VERIFY",
  allowlist: "SOPS_HC_VAULT_ALLOWLIST",
  timeout: "COFFER_VAULT_TIMEOUT_MS",
} as const;

export async function loadVaultTransitProvider(context: ProviderContext): Promise<KeyProvider> {
  const env = context.env;
  const token = await resolveVaultToken({ env, homeDir: context.homeDir });
  const caPath = env[VAULT_ENV.caCert]?.trim();
  let ca: string | undefined;
  if (caPath !== undefined && caPath !== "") {
    try {
      ca = await readFile(caPath, "utf8");
    } catch {
      context.warn?.(`cannot read VAULT_CACERT ${caPath}; using the system certificates`);
    }
  }
  const timeout = Number(env[VAULT_ENV.timeout]);
  return createVaultTransitProvider({
    token,
    namespace: env[VAULT_ENV.namespace]?.trim() || undefined,
    allowlist: env[VAULT_ENV.allowlist],
    ca,
    skipVerify: isTruthy(env[VAULT_ENV.skipVerify]),
    timeoutMs: Number.isFinite(timeout) && timeout > 0 ? timeout : undefined,
  });
}

/** Like Go's strconv.ParseBool as the Vault client uses it: unset, empty, 0 and false mean no. */
function isTruthy(value: string | undefined): boolean {
  const normalized = (value ?? "").trim().toLowerCase();
  return normalized !== "" && normalized !== "0" && normalized !== "false" && normalized !== "f";
}
