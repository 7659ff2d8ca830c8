/**
 * Generator mode (`coffer apply --secret NAME --from-file F`): a Secret built in memory from
 * decrypted files. dotenv: one key per variable (as `kubectl create secret generic
 * --from-env-file`); YAML/JSON: one key per top-level key, nested values serialised in the file's
 * format; anything else: one key named after the file without `.enc`, holding its bytes.
 */
import { basename } from "node:path";
import { CofferError } from "../errors.js";
import type { KubeObject } from "./manifests.js";

/** A decrypted generator input: structured top-level entries, or whole-file bytes. */
export type GeneratorInput =
  | { path: string; kind: "entries"; entries: Array<[string, Uint8Array]> }
  | { path: string; kind: "file"; bytes: Uint8Array };

const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;

/** The key a whole file is stored under: its name without `.enc` (`tls.enc.crt` -> `tls.crt`). */
export function fileKey(path: string): string {
  const name = basename(path);
  const withoutEnc = name.replace(/\.enc(?=\.|$)/, "");
  return withoutEnc === "" ? name : withoutEnc;
}

export function buildGeneratedSecret(options: { name: string; namespace?: string | undefined; type?: string | undefined; inputs: readonly GeneratorInput[] }): KubeObject {
  const data: Record<string, string> = {};
  const origin = new Map<string, string>();
  const put = (key: string, value: Uint8Array, path: string): void => {
    if (!SECRET_KEY.test(key)) {
      throw new CofferError("MANIFEST_INVALID", `${path}: '${key}' is not a valid Secret key`, { hint: "Secret keys may hold only letters, digits, '-', '_' and '.'" });
    }
    const earlier = origin.get(key);
    if (earlier !== undefined) throw new CofferError("MANIFEST_INVALID", `the Secret key '${key}' comes from both ${earlier} and ${path}`, { hint: "rename one of the keys" });
    origin.set(key, path);
    data[key] = Buffer.from(value).toString("base64");
  };
  for (const input of options.inputs) {
    if (input.kind === "file") put(fileKey(input.path), input.bytes, input.path);
    else for (const [key, value] of input.entries) put(key, value, input.path);
  }
  return {
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: options.name, ...(options.namespace === undefined ? {} : { namespace: options.namespace }) },
    type: options.type ?? "Opaque",
    data,
  };
}
