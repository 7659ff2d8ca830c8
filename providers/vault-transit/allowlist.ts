/**
 * `SOPS_HC_VAULT_ALLOWLIST` (sops 3.13+): which Vault servers may receive the user's token.
 * A malicious file can name any `vault_address`, so this is the guard against sending the token
 * to an attacker. Semantics follow sops: `all` (the default) allows every address, `none` allows
 * none, anything else is a comma list of plain string prefixes of the key URL.
 */
export type VaultAllowlist = { kind: "all" } | { kind: "none" } | { kind: "prefixes"; prefixes: string[] };

/** Parses the variable's value; unset or empty means `all`, as in sops. */
export function parseVaultAllowlist(value: string | undefined): VaultAllowlist {
  const trimmed = (value ?? "").trim();
  if (trimmed === "" || trimmed === "all") return { kind: "all" };
  if (trimmed === "none") return { kind: "none" };
  const prefixes = trimmed
    .split(",")
    .map((prefix) => prefix.trim())
    .filter((prefix) => prefix !== "");
  return prefixes.length === 0 ? { kind: "none" } : { kind: "prefixes", prefixes };
}

/** Whether a key URL (`{vault_address}/v1/...`) may be contacted. */
export function isVaultUrlAllowed(allowlist: VaultAllowlist, url: string): boolean {
  switch (allowlist.kind) {
    case "all":
      return true;
    case "none":
      return false;
    case "prefixes":
      return allowlist.prefixes.some((prefix) => url.startsWith(prefix));
  }
}
