/**
 * Telling master keys apart: which stanza in a file is "the same key" as a template from
 * `.sops.yaml` or a `--rm-*` flag. `enc` and `created_at` are results of wrapping, not identity.
 */
import { describeStanza } from "../core/data-key.js";
import { Comment, Time, TreeMap } from "../core/tree.js";
import type { TreeValue } from "../core/tree.js";
import type { KeyStanza } from "../provider.js";

const WRAP_RESULT_FIELDS = new Set(["enc", "created_at"]);

function canonical(value: TreeValue): unknown {
  if (value instanceof TreeMap) {
    const entries = value
      .entries()
      .filter(({ value: v }) => !isEmpty(v))
      .map(({ key, value: v }) => [key, canonical(v)] as const)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return Object.fromEntries(entries);
  }
  if (Array.isArray(value)) return value.flatMap((item) => (item instanceof Comment ? [] : [canonical(item)]));
  if (typeof value === "bigint") return value.toString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString("base64");
  if (value instanceof Time) return value.text;
  return value;
}

/** Empty strings and empty maps carry no identity: sops writes `role: ""`, `aws_profile: ""`. */
function isEmpty(value: TreeValue): boolean {
  return value === null || value === "" || (value instanceof TreeMap && value.entries().length === 0);
}

/**
 * A string equal for a file stanza and the template it was wrapped from: the type plus every field
 * except `enc` and `created_at`, empty values dropped, field order ignored.
 */
export function stanzaIdentity(stanza: KeyStanza): string {
  const fields = new TreeMap(stanza.fields.entries().filter(({ key }) => !WRAP_RESULT_FIELDS.has(key)));
  return `${stanza.type}\u0000${JSON.stringify(canonical(fields))}`;
}

/** The key's public name (`age age1…`, `kms <arn> <role>`): what `--rm-*` flags match on. */
export function stanzaName(stanza: KeyStanza): string {
  return describeStanza(stanza);
}

/** The stanza as a wrapping template: every field but `enc` and `created_at`, order kept. */
export function templateOf(stanza: KeyStanza): KeyStanza {
  return {
    type: stanza.type,
    fields: new TreeMap(stanza.fields.entries().filter(({ key }) => !WRAP_RESULT_FIELDS.has(key)).map(({ key, value }) => ({ key, value }))),
  };
}
