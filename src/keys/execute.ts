/**
 * The one executor for key plans. `updatekeys` keeps the data key and leaves values, `mac`,
 * `lastmodified` and `version` alone; `rotate` decrypts (MAC verified), draws a new data key and
 * re-encrypts everything. Providers are reached only through a {@link ProviderResolver}.
 */
import { CofferError } from "../errors.js";
import type { KeyGroup, KeyStanza, ProviderResolver } from "../provider.js";
import { DEFAULT_DECRYPTION_ORDER, generateDataKey, unwrapDataKey, wrapDataKey } from "../core/data-key.js";
import { decryptWithMetadata, encryptTreeFile } from "../core/envelope.js";
import { decryptMac } from "../core/mac.js";
import { metadataFromTree, metadataToTree } from "../core/metadata.js";
import type { Metadata } from "../core/metadata.js";
import type { TreeFile } from "../core/tree.js";
import type { RandomSource } from "../core/value-cipher.js";
import type { KeyUpdatePlan } from "./plan.js";
import { stanzaIdentity, stanzaName } from "./stanza-identity.js";

/** Options for the executor. */
export interface ApplyKeyPlanOptions {
  resolve: ProviderResolver;
  /** Decryption order of key types (default age, pgp, then file order). */
  order?: readonly string[] | undefined;
  /** `lastmodified` for `rotate` (tests). */
  now?: Date | undefined;
  random?: RandomSource | undefined;
}

/** Fails before any provider call when a key that must be (re-)wrapped has no provider. */
async function requireProviders(stanzas: readonly KeyStanza[], resolve: ProviderResolver): Promise<void> {
  for (const stanza of stanzas) {
    if ((await resolve(stanza.type)) === undefined) {
      throw new CofferError("PROVIDER_UNAVAILABLE", `cannot wrap the data key for ${stanzaName(stanza)}: coffer has no provider for ${stanza.type} keys`, {
        hint: `the file is left unchanged; remove the ${stanza.type} key from the key groups, or use sops for this file`,
      });
    }
  }
}

/** Unwraps the data key and proves it is this file's key by authenticating the MAC with it. */
async function fileDataKey(metadata: Metadata, options: ApplyKeyPlanOptions): Promise<Uint8Array> {
  const dataKey = await unwrapDataKey(metadata, { resolve: options.resolve, order: options.order });
  if (metadata.mac !== "") decryptMac(metadata.mac, { dataKey, lastModified: metadata.lastModified });
  return dataKey;
}

/** Tries the group's own keys for its Shamir share; undefined when none of them opens. */
async function unwrapShare(group: KeyGroup, options: ApplyKeyPlanOptions): Promise<Uint8Array | undefined> {
  const order = options.order ?? DEFAULT_DECRYPTION_ORDER;
  const rank = (stanza: KeyStanza) => (order.includes(stanza.type) ? order.indexOf(stanza.type) : order.length);
  for (const stanza of [...group].sort((a, b) => rank(a) - rank(b))) {
    const provider = await options.resolve(stanza.type);
    if (provider === undefined) continue;
    try {
      const share = await provider.unwrap(stanza);
      if (share !== null && share.length >= 2) return share;
    } catch {
      // Another key of the group may still open; the caller falls back to the whole data key.
    }
  }
  return undefined;
}

async function rewrapAll(metadata: Metadata, plan: KeyUpdatePlan, options: ApplyKeyPlanOptions): Promise<KeyGroup[]> {
  await requireProviders(plan.wanted.flat(), options.resolve);
  const dataKey = await fileDataKey(metadata, options);
  return wrapDataKey(dataKey, plan.wanted, { threshold: plan.threshold.after, resolve: options.resolve, random: options.random });
}

/**
 * Applies an `updatekeys` plan to parsed metadata and returns the new metadata: same data key,
 * same `mac`, `lastmodified`, `version` and crypt rule. With the group layout unchanged, kept keys
 * stay verbatim and only added keys are wrapped (no provider call for the others); otherwise the
 * data key is re-split and every group re-wrapped.
 */
export async function applyKeyUpdate(metadata: Metadata, plan: KeyUpdatePlan, options: ApplyKeyPlanOptions): Promise<Metadata> {
  if (plan.newDataKey) throw new CofferError("INTERNAL", "a rotation plan was given to applyKeyUpdate");
  if (!plan.changed) return metadata;
  const keyGroups = plan.reshare ? await rewrapAll(metadata, plan, options) : await updateInPlace(metadata, plan, options);
  return { ...metadata, keyGroups, shamirThreshold: plan.threshold.after };
}

async function updateInPlace(metadata: Metadata, plan: KeyUpdatePlan, options: ApplyKeyPlanOptions): Promise<KeyGroup[]> {
  await requireProviders(plan.groups.flatMap((group) => group.added), options.resolve);
  const single = plan.wanted.length === 1;
  let dataKey: Uint8Array | undefined;
  const result: KeyGroup[] = [];
  for (const [index, wanted] of plan.wanted.entries()) {
    const current = metadata.keyGroups[index] ?? [];
    const byIdentity = new Map(current.map((stanza) => [stanzaIdentity(stanza), stanza] as const));
    const added = wanted.filter((stanza) => !byIdentity.has(stanzaIdentity(stanza)));
    let part: Uint8Array | undefined;
    if (added.length > 0) {
      if (single) part = dataKey ??= await fileDataKey(metadata, options);
      else part = await unwrapShare(current, options);
      // A group whose share we cannot open: re-split from the data key instead.
      if (part === undefined) return rewrapAll(metadata, plan, options);
    }
    const group: KeyGroup = [];
    for (const stanza of wanted) {
      const kept = byIdentity.get(stanzaIdentity(stanza));
      if (kept !== undefined) group.push(kept);
      else group.push(await (await options.resolve(stanza.type))!.wrap(part!, stanza));
    }
    result.push(group);
  }
  return result;
}

/**
 * Applies a `rotate` plan to an encrypted file: unwraps the old data key, decrypts and verifies
 * the MAC, wraps a new data key for the plan's groups and re-encrypts every value with fresh IVs,
 * keeping the file's crypt rule, `mac_only_encrypted`, threshold and unknown metadata fields.
 */
export async function rotateFile(file: TreeFile, plan: KeyUpdatePlan, options: ApplyKeyPlanOptions): Promise<TreeFile> {
  if (!plan.newDataKey) throw new CofferError("INTERNAL", "an updatekeys plan was given to rotateFile");
  if (file.metadata === undefined) {
    throw new CofferError("NOT_ENCRYPTED", "the file has no sops metadata: it is not encrypted", { hint: "encrypt it first" });
  }
  const metadata = metadataFromTree(file.metadata);
  await requireProviders(plan.wanted.flat(), options.resolve);
  const oldKey = await unwrapDataKey(metadata, { resolve: options.resolve, order: options.order });
  const plain = decryptWithMetadata(file, metadata, { dataKey: oldKey });
  const dataKey = generateDataKey(options.random);
  const keyGroups = await wrapDataKey(dataKey, plan.wanted, { threshold: plan.threshold.after, resolve: options.resolve, random: options.random });
  return encryptTreeFile(
    { documents: plain.documents },
    {
      dataKey,
      keyGroups,
      shamirThreshold: plan.threshold.after,
      // No stored rule means the default applies; keep it unstored, as the file had it.
      cryptRule: metadata.cryptRule ?? null,
      macOnlyEncrypted: metadata.macOnlyEncrypted,
      now: options.now ?? new Date(),
      random: options.random,
      unknownMetadata: metadata.unknown,
    },
  );
}

/** Applies an `updatekeys` plan to a loaded encrypted file; documents are returned untouched. */
export async function updateFileKeys(file: TreeFile, plan: KeyUpdatePlan, options: ApplyKeyPlanOptions): Promise<TreeFile> {
  if (file.metadata === undefined) {
    throw new CofferError("NOT_ENCRYPTED", "the file has no sops metadata: it is not encrypted", { hint: "encrypt it first" });
  }
  if (!plan.changed) return file;
  const metadata = await applyKeyUpdate(metadataFromTree(file.metadata), plan, options);
  return { documents: file.documents, metadata: metadataToTree(metadata) };
}
