/**
 * Builds master-key stanza templates (stanzas without `enc`) from the strings users write in
 * `.sops.yaml` and on the command line, with the light validation sops does (or should do) before
 * any key service is contacted. Field names and order follow the metadata layout of spec §6.
 */
import { CofferError } from "../errors.js";
import { TreeMap } from "../core/tree.js";
import type { KeyGroup, KeyStanza } from "../provider.js";

/** Splits a comma-separated value, trimming items and dropping empty ones (sops' trailing-comma fix). */
export function splitCommaList(value: string): string[] {
  return value
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item !== "");
}

/** `age1…` (X25519, post-quantum, plugin) or an SSH public key line. */
export function ageKey(recipient: string): KeyStanza {
  const trimmed = recipient.trim();
  if (!/^age1[0-9a-z]+$/.test(trimmed) && !/^ssh-[a-z0-9-]+ \S+/.test(trimmed)) {
    throw new CofferError("KEY_INVALID", "an age recipient must start with age1 or be an ssh public key line", {
      hint: "use the recipient printed by 'coffer keygen' or 'age-keygen -y' (age1...), or an ssh-ed25519/ssh-rsa public key",
    });
  }
  return { type: "age", fields: TreeMap.from({ recipient: trimmed }) };
}

/** A PGP fingerprint; spaces are removed as sops does. */
export function pgpKey(fingerprint: string): KeyStanza {
  const fp = fingerprint.replace(/ /g, "");
  if (!/^(0x)?[0-9A-Fa-f]{8,}$/.test(fp)) {
    throw new CofferError("KEY_INVALID", "a pgp key must be given as a hexadecimal fingerprint", {
      hint: "use the 40-character fingerprint shown by 'gpg --list-keys --with-colons' (fpr line)",
    });
  }
  return { type: "pgp", fields: TreeMap.from({ fp }) };
}

export interface KmsKeyInput {
  arn: string;
  role?: string | undefined;
  context?: ReadonlyArray<readonly [string, string]> | undefined;
  awsProfile?: string | undefined;
}

const KMS_ARN = /^arn:aws[\w-]*:kms:[^:]+:\d+:(key|alias)\/.+$/;

/** An AWS KMS key: `{arn, role?, context?, aws_profile}` (aws_profile is always written). */
export function kmsKey(input: KmsKeyInput): KeyStanza {
  if (!KMS_ARN.test(input.arn)) {
    throw new CofferError("KEY_INVALID", "an aws kms key must be a full key or alias arn", {
      hint: "use arn:aws:kms:<region>:<account>:key/<id> (or :alias/<name>); append +arn:aws:iam::<account>:role/<name> to assume a role",
    });
  }
  const fields = new TreeMap();
  fields.set("arn", input.arn);
  if (input.role !== undefined && input.role !== "") fields.set("role", input.role);
  if (input.context !== undefined && input.context.length > 0) {
    fields.set("context", new TreeMap(input.context.map(([key, value]) => ({ key, value }))));
  }
  fields.set("aws_profile", input.awsProfile ?? "");
  return { type: "kms", fields };
}

/**
 * Parses the CLI/flat-config form `arn[+roleArn]`: spaces are removed and the text from
 * `+arn:aws…:iam::` on is the role to assume (spec §6.3).
 */
export function kmsKeyFromArnString(
  value: string,
  options: { context?: KmsKeyInput["context"]; awsProfile?: string | undefined } = {},
): KeyStanza {
  const compact = value.replace(/ /g, "");
  const roleAt = compact.search(/\+arn:aws[\w-]*:iam::/);
  const arn = roleAt > 0 ? compact.slice(0, roleAt) : compact;
  const role = roleAt > 0 ? compact.slice(roleAt + 1) : undefined;
  return kmsKey({ arn, role, context: options.context, awsProfile: options.awsProfile });
}

/**
 * Parses an encryption context written as `k1:v1,k2:v2` (the `--encryption-context` flag).
 * Each item must have exactly one colon; otherwise `ENCRYPTION_CONTEXT_INVALID` (sops exit 6).
 */
export function parseEncryptionContext(text: string): Array<[string, string]> {
  if (text === "") return [];
  return text.split(",").map((item) => {
    const parts = item.split(":");
    if (parts.length !== 2) {
      throw new CofferError("ENCRYPTION_CONTEXT_INVALID", "the kms encryption context must be a list of key:value pairs", {
        hint: "write it as key1:value1,key2:value2 (no extra colons)",
      });
    }
    return [parts[0]!, parts[1]!];
  });
}

const GCP_RESOURCE = /^projects\/[^/]+\/locations\/[^/]+\/keyRings\/[^/]+\/cryptoKeys\/[^/]+$/;

/** A GCP KMS key: `{resource_id}`; spaces removed as sops does. */
export function gcpKmsKey(resourceId: string): KeyStanza {
  const id = resourceId.replace(/ /g, "");
  if (!GCP_RESOURCE.test(id)) {
    throw new CofferError("KEY_INVALID", "a gcp kms key must be a crypto key resource id", {
      hint: "use projects/<project>/locations/<location>/keyRings/<ring>/cryptoKeys/<key>",
    });
  }
  return { type: "gcp_kms", fields: TreeMap.from({ resource_id: id }) };
}

/** An Azure Key Vault key from its parts: `{vault_url, name, version}` (version may be empty). */
export function azureKey(vaultUrl: string, name: string, version = ""): KeyStanza {
  if (!/^https:\/\/[^/]+$/.test(vaultUrl) || name === "" || name.includes("/") || version.includes("/")) {
    throw new CofferError("KEY_INVALID", "an azure key vault key needs a vault url, a key name and an optional version", {
      hint: "use vaultUrl: https://<vault>.vault.azure.net, key: <name>, version: <version>",
    });
  }
  return { type: "azure_kv", fields: TreeMap.from({ vault_url: vaultUrl, name, version }) };
}

/** An Azure key from its URL `https://<vault>.vault.azure.net/keys/<name>[/<version>]`. */
export function azureKeyFromUrl(url: string): KeyStanza {
  const match = /^(https:\/\/[^/]+)\/keys\/([^/]+)(?:\/([^/]+))?\/?$/.exec(url.trim());
  if (match === null) {
    throw new CofferError("KEY_INVALID", "an azure key vault key must be a key url", {
      hint: "use https://<vault>.vault.azure.net/keys/<name>/<version> (the version may be omitted)",
    });
  }
  return azureKey(match[1]!, match[2]!, match[3] ?? "");
}

/**
 * A Vault transit key from `https://host:8200/v1/<engine/path>/keys/<name>` (spec §6.6):
 * `vault_address` is scheme, host and port; `engine_path` may contain slashes.
 * URLs with a prefix before `/v1/` are rejected, as in sops.
 */
export function vaultKeyFromUri(uri: string): KeyStanza {
  const invalid = (why: string) =>
    new CofferError("KEY_INVALID", `invalid vault transit uri: ${why}`, {
      hint: "use https://vault.example.org:8200/v1/<engine path>/keys/<key name>",
    });
  let url: URL;
  try {
    url = new URL(uri.trim());
  } catch (cause) {
    throw Object.assign(invalid("not a url"), { cause });
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw invalid("the scheme must be http or https");
  const path = url.pathname;
  if (!/^\/v\d+\//.test(path)) {
    throw invalid(/\/v\d+\//.test(path) ? "a path prefix before /v1/ is not supported" : "the path must start with /v1/");
  }
  const match = /^\/v\d+\/(.+)\/keys\/([^/]+)\/?$/.exec(path);
  if (match === null) throw invalid("the path must end with /keys/<key name>");
  return {
    type: "hc_vault",
    fields: TreeMap.from({ vault_address: `${url.protocol}//${url.host}`, engine_path: match[1]!, key_name: match[2]! }),
  };
}

/** A HuaweiCloud KMS key: `{key_id}` in the form `region:key-uuid`. */
export function hckmsKey(keyId: string): KeyStanza {
  const id = keyId.trim();
  if (!/^[^:\s]+:[^:\s]+$/.test(id)) {
    throw new CofferError("KEY_INVALID", "a huaweicloud kms key id must look like region:key-uuid", {
      hint: "use <region>:<key id>, e.g. tr-west-1:1234abcd-...",
    });
  }
  return { type: "hckms", fields: TreeMap.from({ key_id: id }) };
}

/** Removes repeated keys (same type and same fields) from a group, keeping the first (sops 3.9+). */
export function dedupeKeyGroup(group: KeyGroup): KeyGroup {
  const seen = new Set<string>();
  return group.filter((stanza) => {
    const identity = `${stanza.type}/${fieldsIdentity(stanza.fields)}`;
    if (seen.has(identity)) return false;
    seen.add(identity);
    return true;
  });
}

function fieldsIdentity(fields: TreeMap): string {
  return JSON.stringify(
    fields.entries().map(({ key, value }) => [key, value instanceof TreeMap ? fieldsIdentity(value) : String(value)]),
  );
}

/** Deep copy of a template so callers may fill in `enc` without touching the parsed config. */
export function cloneKeyStanza(stanza: KeyStanza): KeyStanza {
  return { type: stanza.type, fields: cloneFields(stanza.fields) };
}

function cloneFields(fields: TreeMap): TreeMap {
  return new TreeMap(
    fields.entries().map(({ key, value }) => ({ key, value: value instanceof TreeMap ? cloneFields(value) : value })),
  );
}
