/**
 * The data key (spec §1, §6, §7, §10.4): generated once per file, split with Shamir when there are
 * two or more key groups, wrapped by every master key, and unwrapped by trying keys group by group.
 * Providers are reached only through a {@link ProviderResolver}, so core never imports them.
 */
import { CofferError, isCofferError } from "../errors.js";
import type { ErrorCode } from "../errors.js";
import type { KeyGroup, KeyStanza, ProviderResolver } from "../provider.js";
import { combine, split } from "./shamir.js";
import { defaultRandom } from "./value-cipher.js";
import type { RandomSource } from "./value-cipher.js";
import type { Metadata } from "./metadata.js";

/** The default decryption priority (spec §10.4); other types follow in group order. */
export const DEFAULT_DECRYPTION_ORDER: readonly string[] = ["age", "pgp"];

const DATA_KEY_LENGTH = 32;

/** 32 fresh random bytes. */
export function generateDataKey(random: RandomSource = defaultRandom): Uint8Array {
  return new Uint8Array(random(DATA_KEY_LENGTH));
}

/** Fields that identify a master key publicly, per stanza type (never `enc`). */
const IDENTITY_FIELDS: Readonly<Record<string, readonly string[]>> = {
  age: ["recipient"],
  pgp: ["fp"],
  kms: ["arn", "role"],
  gcp_kms: ["resource_id"],
  azure_kv: ["vault_url", "name", "version"],
  hc_vault: ["vault_address", "engine_path", "key_name"],
  hckms: ["key_id"],
};

/** A short public description of a stanza, e.g. `age age1…` or `kms arn:aws:kms:…`. */
export function describeStanza(stanza: KeyStanza): string {
  const fields = IDENTITY_FIELDS[stanza.type];
  const parts = fields
    ? fields.map((name) => stanza.fields.get(name)).filter((v): v is string => typeof v === "string" && v !== "")
    : stanza.fields
        .entries()
        .filter(({ key, value }) => key !== "enc" && typeof value === "string" && value !== "")
        .slice(0, 1)
        .map(({ value }) => value as string);
  return parts.length > 0 ? `${stanza.type} ${parts.join(" ")}` : stanza.type;
}

/** Options for wrapping. */
export interface WrapOptions {
  /** Groups needed to decrypt (default: all groups). Ignored with one group. */
  threshold?: number | undefined;
  resolve: ProviderResolver;
  random?: RandomSource | undefined;
}

async function providerFor(resolve: ProviderResolver, type: string) {
  const provider = await resolve(type);
  if (!provider) {
    throw new CofferError("PROVIDER_UNAVAILABLE", `no key provider for key type ${type}`, {
      hint: `coffer cannot encrypt for "${type}" keys; remove them from the key groups or install support`,
    });
  }
  return provider;
}

/**
 * Wraps `dataKey` for every key of every group (templates without `enc`). With two or more groups
 * the key is split with Shamir and group i wraps share i. Returns the complete stanzas.
 */
export async function wrapDataKey(dataKey: Uint8Array, groups: readonly KeyGroup[], options: WrapOptions): Promise<KeyGroup[]> {
  if (groups.length === 0 || groups.some((group) => group.length === 0)) {
    throw new CofferError("NO_RECIPIENTS", "no keys to encrypt the data key for", {
      hint: "configure at least one key (e.g. --age or a .sops.yaml creation rule), and no empty key groups",
    });
  }
  const parts =
    groups.length === 1
      ? [dataKey]
      : split(dataKey, groups.length, options.threshold ?? groups.length, options.random ?? defaultRandom);
  return Promise.all(
    groups.map((group, index) =>
      Promise.all(
        group.map(async (stanza) => (await providerFor(options.resolve, stanza.type)).wrap(parts[index]!, stanza)),
      ),
    ),
  );
}

/** What happened when one key was tried. */
export interface UnwrapAttempt {
  group: number;
  type: string;
  /** Public identifier (recipient, fp, arn …), never `enc`. */
  key: string;
  outcome: "no-provider" | "no-identity" | "failed" | "bad-length";
  /** Error code from the provider, when it threw a CofferError. */
  code?: ErrorCode | undefined;
  reason: string;
  /** The error the provider threw, for `outcome: "failed"`. */
  error?: unknown;
}

/** `NO_MATCHING_KEY` with the per-key failure details in `attempts`. */
export class DataKeyUnavailableError extends CofferError {
  readonly attempts: readonly UnwrapAttempt[];

  constructor(message: string, attempts: readonly UnwrapAttempt[], cause?: unknown) {
    super("NO_MATCHING_KEY", message, {
      hint: "make an identity for one of these keys available (e.g. SOPS_AGE_KEY_FILE, a PGP secret key, cloud credentials)",
      cause,
    });
    this.attempts = attempts;
  }
}

/** Options for unwrapping. */
export interface UnwrapOptions {
  resolve: ProviderResolver;
  /** Type priority, default `["age", "pgp"]`; unlisted types follow in group order. */
  order?: readonly string[] | undefined;
}

function sortByPriority(group: KeyGroup, order: readonly string[]): KeyStanza[] {
  const rank = (stanza: KeyStanza): number => {
    const index = order.indexOf(stanza.type);
    return index === -1 ? order.length : index;
  };
  // Array#sort is stable, so equal ranks keep group order.
  return [...group].sort((a, b) => rank(a) - rank(b));
}

const REASONS: Record<UnwrapAttempt["outcome"], string> = {
  "no-provider": "no provider for this key type",
  "no-identity": "no matching identity",
  failed: "unwrap failed",
  "bad-length": "unwrapped key has the wrong length",
};

/** Tries the keys of one group; returns the first unwrapped key (or share). */
async function unwrapGroup(
  group: KeyGroup,
  groupIndex: number,
  options: { resolve: ProviderResolver; order: readonly string[]; expectedLength?: number },
  attempts: UnwrapAttempt[],
): Promise<Uint8Array | undefined> {
  for (const stanza of sortByPriority(group, options.order)) {
    const base = { group: groupIndex, type: stanza.type, key: describeStanza(stanza) };
    const provider = await options.resolve(stanza.type);
    if (!provider) {
      attempts.push({ ...base, outcome: "no-provider", reason: REASONS["no-provider"] });
      continue;
    }
    try {
      const key = await provider.unwrap(stanza);
      if (key === null) {
        attempts.push({ ...base, outcome: "no-identity", reason: REASONS["no-identity"] });
        continue;
      }
      if (options.expectedLength !== undefined ? key.length !== options.expectedLength : key.length < 2) {
        attempts.push({ ...base, outcome: "bad-length", reason: REASONS["bad-length"] });
        continue;
      }
      return key;
    } catch (error) {
      attempts.push({
        ...base,
        outcome: "failed",
        code: isCofferError(error) ? error.code : undefined,
        reason: isCofferError(error) ? error.message : REASONS.failed,
        error,
      });
    }
  }
  return undefined;
}

/**
 * Recovers the data key: groups in file order, keys within a group by type priority; the first key
 * that unwraps wins for its group. With two or more groups, stops once `shamirThreshold` groups
 * succeeded and combines their shares. Throws {@link DataKeyUnavailableError} otherwise.
 */
export async function unwrapDataKey(
  metadata: Pick<Metadata, "keyGroups" | "shamirThreshold">,
  options: UnwrapOptions,
): Promise<Uint8Array> {
  const groups = metadata.keyGroups;
  if (groups.length === 0 || groups.every((group) => group.length === 0)) {
    throw new DataKeyUnavailableError("the file lists no keys to decrypt its data key with", []);
  }
  const order = options.order ?? DEFAULT_DECRYPTION_ORDER;
  const attempts: UnwrapAttempt[] = [];
  if (groups.length === 1) {
    const key = await unwrapGroup(groups[0]!, 0, { resolve: options.resolve, order, expectedLength: DATA_KEY_LENGTH }, attempts);
    if (key) return key;
    throw failure(attempts, 1, 1);
  }
  const threshold = metadata.shamirThreshold ?? groups.length;
  const shares: Uint8Array[] = [];
  for (let i = 0; i < groups.length && shares.length < threshold; i++) {
    const share = await unwrapGroup(groups[i]!, i, { resolve: options.resolve, order }, attempts);
    if (share) shares.push(share);
  }
  if (shares.length < threshold) throw failure(attempts, threshold, shares.length);
  const dataKey = combine(shares);
  if (dataKey.length !== DATA_KEY_LENGTH) {
    throw new CofferError("METADATA_INVALID", "the combined shamir shares do not form a 32-byte data key", {
      hint: "the key groups' shares do not fit together; the sops metadata may be corrupt",
    });
  }
  return dataKey;
}

function failure(attempts: UnwrapAttempt[], needed: number, got: number): DataKeyUnavailableError {
  const tried = attempts.map((a) => `${a.key}: ${a.reason}`).join("; ");
  const groups = needed > 1 ? ` (${got} of ${needed} key groups unlocked)` : "";
  const firstError = attempts.find((a) => a.outcome === "failed");
  return new DataKeyUnavailableError(
    `could not decrypt the data key with any available key${groups}: ${tried || "no keys tried"}`,
    attempts,
    firstError?.error,
  );
}
