/** An age identity in a fresh HOME and files encrypted for it in this process (no CLI spawn). */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { encrypt, type FormatName } from "../../src/api.js";
import { ageKey } from "../../src/config/index.js";
import { createAgeProvider, generateAgeIdentity } from "../../providers/age/index.js";
import { freshHome } from "./cli.js";

export interface AgeHome {
  home: string;
  keyFile: string;
  recipient: string;
  /** Environment for the CLI: HOME and SOPS_AGE_KEY_FILE. */
  env: Record<string, string>;
  encrypt(plain: string | Uint8Array, format: FormatName): Promise<Uint8Array>;
  /** Encrypts `plain` and writes it to `path` (relative to home). */
  write(path: string, plain: string | Uint8Array, format?: FormatName): Promise<string>;
}

export async function ageHome(): Promise<AgeHome> {
  const home = freshHome();
  const key = await generateAgeIdentity();
  const keyFile = join(home, "age.key");
  writeFileSync(keyFile, key.fileText, { mode: 0o600 });
  const provider = createAgeProvider();
  const encryptFor = (plain: string | Uint8Array, format: FormatName) => encrypt(plain, { format, keyGroups: [[ageKey(key.recipient)]], providers: [provider] });
  return {
    home,
    keyFile,
    recipient: key.recipient,
    env: { HOME: home, SOPS_AGE_KEY_FILE: keyFile },
    encrypt: encryptFor,
    async write(path, plain, format = "yaml") {
      const full = join(home, path);
      writeFileSync(full, await encryptFor(plain, format));
      return full;
    },
  };
}
