// The labelled scan corpus (issue 5): positives and hard negatives, generated from a fixed seed so that no
// credential-shaped strings are stored in the repository. `renderManifests` writes them as Kubernetes
// manifests (ConfigMap data, Secret data, Deployment env) for whole-file comparisons.
import { stringify } from "yaml";
import { negatives } from "./negatives.mjs";
import { positives } from "./positives.mjs";
import { rng } from "./random.mjs";
import { wild } from "./wild.mjs";

export const CORPUS_SEED = 0x5ca7;

/** Every labelled item: {id, key, value, label, rule?, kind?, embed?, note, render?}. */
export function loadCorpus(seed = CORPUS_SEED) {
  const r = rng(seed);
  return [...positives(r), ...negatives(r), ...wild(r)];
}

const slug = (text) => text.toLowerCase().replace(/[^a-z0-9.-]+/g, "-").replace(/^[-.]+|[-.]+$/g, "").slice(0, 50) || "x";

/** One manifest per item, as the item would sit in a cluster repository. */
export function renderManifest(item) {
  const name = `${item.id}-${slug(item.key)}`.slice(0, 60).replace(/[-.]+$/, "");
  const metadata = { name, namespace: "corpus" };
  if (item.render === "env") {
    return stringify({
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata,
      spec: {
        selector: { matchLabels: { app: name } },
        template: {
          metadata: { labels: { app: name } },
          spec: { containers: [{ name: "app", image: "registry.corp/app:1.0.0", env: [{ name: "LOG_LEVEL", value: "info" }, { name: item.key, value: item.value }] }] },
        },
      },
    });
  }
  if (item.render === "secret") return stringify({ apiVersion: "v1", kind: "Secret", metadata, type: "Opaque", data: { [item.key]: item.value } });
  return stringify({ apiVersion: "v1", kind: "ConfigMap", metadata, data: { [item.key]: item.value } });
}
