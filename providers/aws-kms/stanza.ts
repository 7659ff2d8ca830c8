/**
 * The `kms` metadata entry (spec §6.3): `{arn, role?, context?, created_at, enc, aws_profile}`.
 * Reading turns the TreeMap into typed fields; writing keeps every template field and puts
 * `created_at` and `enc` before `aws_profile`, which is always written ("" when none), as sops does.
 */
import { isTreeMap, Time, TreeMap, type TreeValue } from "../../src/core/tree.js";
import { CofferError } from "../../src/errors.js";
import type { KeyStanza } from "../../src/provider.js";

/** The stanza type (metadata key) of AWS KMS entries. */
export const KMS_STANZA_TYPE = "kms";

export interface KmsStanzaFields {
  arn: string;
  /** IAM role ARN to assume first; undefined when empty. */
  role: string | undefined;
  /** The encryption context, in file order; undefined when the entry has none. */
  context: Record<string, string> | undefined;
  /** Shared-config profile; undefined when empty. */
  awsProfile: string | undefined;
  /** base64 CiphertextBlob; undefined in a template. */
  enc: string | undefined;
}

/** Reads the fields Coffer needs; throws METADATA_INVALID for a malformed entry. */
export function readKmsStanza(stanza: KeyStanza): KmsStanzaFields {
  const arn = stanza.fields.get("arn");
  if (typeof arn !== "string" || arn.trim() === "") {
    throw new CofferError("METADATA_INVALID", "a kms key entry has no arn", { hint: "each sops.kms entry needs `arn`" });
  }
  const role = optionalText(stanza.fields.get("role"), "role", arn);
  const awsProfile = optionalText(stanza.fields.get("aws_profile"), "aws_profile", arn);
  const enc = optionalText(stanza.fields.get("enc"), "enc", arn);
  return { arn: arn.trim(), role, context: readContext(stanza.fields.get("context"), arn), awsProfile, enc };
}

function optionalText(value: TreeValue | undefined, name: string, arn: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") {
    throw new CofferError("METADATA_INVALID", `kms key ${arn}: \`${name}\` is not a string`);
  }
  return value === "" ? undefined : value;
}

function readContext(value: TreeValue | undefined, arn: string): Record<string, string> | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isTreeMap(value)) {
    throw new CofferError("METADATA_INVALID", `kms key ${arn}: \`context\` is not a map`, {
      hint: "the encryption context is a map of strings, e.g. context: {app: web}",
    });
  }
  const context: Record<string, string> = {};
  for (const entry of value.entries()) {
    const text = scalarText(entry.value);
    if (text === undefined) {
      throw new CofferError("METADATA_INVALID", `kms key ${arn}: context value for ${JSON.stringify(entry.key)} is not a string`);
    }
    context[entry.key] = text;
  }
  return Object.keys(context).length === 0 ? undefined : context;
}

/** Go's yaml decoder reads `1`, `true` into a string field as their text; so do we. */
function scalarText(value: TreeValue): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "bigint" || typeof value === "number" || typeof value === "boolean") return String(value);
  if (value instanceof Time) return value.text;
  return undefined;
}

/** RFC 3339 UTC with whole seconds, e.g. `2026-11-23T12:00:00Z` (Go `time.RFC3339`). */
export function formatCreatedAt(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/**
 * The stored stanza: the template's fields in their order (minus any stale `created_at`/`enc`),
 * then `created_at`, `enc` and `aws_profile`.
 */
export function buildWrappedKmsStanza(template: KeyStanza, wrapped: { createdAt: string; enc: string }): KeyStanza {
  const profile = template.fields.get("aws_profile");
  const fields = new TreeMap(
    template.fields
      .entries()
      .filter((entry) => entry.key !== "created_at" && entry.key !== "enc" && entry.key !== "aws_profile")
      .map((entry) => ({ key: entry.key, value: entry.value })),
  );
  fields.set("created_at", wrapped.createdAt);
  fields.set("enc", wrapped.enc);
  fields.set("aws_profile", typeof profile === "string" ? profile : "");
  return { type: KMS_STANZA_TYPE, fields };
}
