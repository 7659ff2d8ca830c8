/**
 * `--config FILE` for the etcd audit: the EncryptionConfiguration parsed by the same parser as
 * `coffer audit encryption-config` ({@link parseEncryptionConfig}), reduced to the
 * {@link EncryptionModel} (resources and their keys in reading order). A file kube-apiserver
 * would refuse is refused here too, naming the first bad field; key material is never echoed.
 */
import { readFile } from "node:fs/promises";
import { CofferError } from "../../errors.js";
import { parseEncryptionConfig } from "../encryption-config.js";
import type { EncryptionModel } from "../encryption-model.js";

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

export function encryptionModelFromYaml(text: string, path = "the configuration"): EncryptionModel {
  const parsed = parseEncryptionConfig(text);
  const first = parsed.errors[0];
  if (!parsed.valid && first !== undefined) {
    const where = first.path === "" ? "" : `${first.path}: `;
    throw new CofferError("CONFIG_INVALID", `${path} is not a valid EncryptionConfiguration: ${where}${first.message}`, {
      hint: "run `coffer audit encryption-config` on it for every problem",
    });
  }
  return parsed.model;
}
