/**
 * Kubernetes-aware default crypt rule. A Secret manifest encrypted with the plain sops default
 * (`_unencrypted` suffix) has its apiVersion, kind and metadata encrypted too, which makes the
 * file useless to review and to tools that route on kind/name. When no crypt rule was asked for
 * and the YAML holds a `kind: Secret`, Coffer encrypts only `data`/`stringData` and records it as
 * `encrypted_regex`, exactly what Flux's documentation recommends, so sops and Flux read the file.
 */
import { TreeMap } from "./core/tree.js";

export const KUBERNETES_SECRET_REGEX = "^(data|stringData)$";

/** True when some document is a Kubernetes Secret (has apiVersion and `kind: Secret`). */
export function holdsKubernetesSecret(documents: readonly TreeMap[]): boolean {
  return documents.some((doc) => doc.get("kind") === "Secret" && typeof doc.get("apiVersion") === "string");
}
