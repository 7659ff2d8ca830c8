/**
 * A narrow reader for `--config FILE`: an EncryptionConfiguration turned into the
 * {@link EncryptionModel} (resources and their keys in reading order). Only what the etcd audit
 * needs is read; key secrets are never kept or echoed. `coffer audit encryption-config` has the
 * full parser and its diagnostics; this is the one function to swap for it.
 */
import { readFile } from "node:fs/promises";
import { parse } from "yaml";
import { CofferError } from "../../errors.js";
import type { EncryptionModel, EncryptionProviderType, ProviderKey, ResourceEncryption } from "../encryption-model.js";

const KEYED = new Set<EncryptionProviderType>(["aescbc", "aesgcm", "secretbox"]);

export async function loadEncryptionModel(path: string): Promise<EncryptionModel> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (cause) {
    throw new CofferError("INPUT_UNREADABLE", `cannot read the encryption configuration ${path}`, {
      hint: "pass the file kube-apiserver gets with --encryption-provider-config",
      cause,
    });
  }
  return encryptionModelFromYaml(text, path);
}

function invalid(path: string, what: string): CofferError {
  return new CofferError("CONFIG_INVALID", `${path} is not a valid EncryptionConfiguration: ${what}`, {
    hint: "run `coffer audit encryption-config` on it for details",
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function encryptionModelFromYaml(text: string, path = "the configuration"): EncryptionModel {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch {
    // The YAML error may quote a line, which may hold a key: say only where.
    throw invalid(path, "malformed YAML");
  }
  if (!isRecord(doc) || doc.kind !== "EncryptionConfiguration") throw invalid(path, "kind is not EncryptionConfiguration");
  if (!Array.isArray(doc.resources)) throw invalid(path, "no resources list");
  return {
    entries: doc.resources.map((entry, index): ResourceEncryption => {
      const at = `resources[${index}]`;
      if (!isRecord(entry) || !Array.isArray(entry.resources) || !entry.resources.every((r) => typeof r === "string")) {
        throw invalid(path, `${at}.resources is not a list of names`);
      }
      if (!Array.isArray(entry.providers) || entry.providers.length === 0) throw invalid(path, `${at}.providers is empty`);
      return { resources: entry.resources as string[], keys: entry.providers.flatMap((p, i) => providerKeys(p, path, `${at}.providers[${i}]`)) };
    }),
  };
}

function providerKeys(provider: unknown, path: string, at: string): ProviderKey[] {
  if (!isRecord(provider) || Object.keys(provider).length !== 1) throw invalid(path, `${at} must name exactly one provider`);
  const [type, body] = Object.entries(provider)[0]!;
  if (type === "identity") return [{ provider: "identity" }];
  if (type === "kms") {
    if (!isRecord(body) || typeof body.name !== "string" || body.name === "") throw invalid(path, `${at}.kms has no name`);
    const apiVersion = body.apiVersion ?? "v1";
    if (apiVersion !== "v1" && apiVersion !== "v2") throw invalid(path, `${at}.kms.apiVersion must be v1 or v2`);
    return [{ provider: "kms", name: body.name, kmsApiVersion: apiVersion }];
  }
  if (!KEYED.has(type as EncryptionProviderType)) throw invalid(path, `${at}: unknown provider '${type.slice(0, 40)}'`);
  if (!isRecord(body) || !Array.isArray(body.keys) || body.keys.length === 0) throw invalid(path, `${at}.${type} has no keys`);
  return body.keys.map((key, i) => {
    if (!isRecord(key) || typeof key.name !== "string" || key.name === "") throw invalid(path, `${at}.${type}.keys[${i}] has no name`);
    return { provider: type as EncryptionProviderType, name: key.name };
  });
}
