/**
 * Where the Vault token comes from, as in the Vault CLI and sops: `VAULT_TOKEN`, else the file
 * `~/.vault-token` that `vault login` writes (trimmed).
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";

export interface VaultTokenSource {
  env: Record<string, string | undefined>;
  homeDir: string;
}

/** The token, or undefined when neither source has one (a missing file is not an error). */
export async function resolveVaultToken(source: VaultTokenSource): Promise<string | undefined> {
  const fromEnv = source.env["VAULT_TOKEN"]?.trim();
  if (fromEnv !== undefined && fromEnv !== "") return fromEnv;
  try {
    const fromFile = (await readFile(join(source.homeDir, ".vault-token"), "utf8")).trim();
    return fromFile === "" ? undefined : fromFile;
  } catch {
    return undefined;
  }
}
