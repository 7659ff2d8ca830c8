/**
 * The format registry: a store per {@link FormatName}, and the sops rule for picking a format from
 * a file name (spec §8). YAML pulls in the `yaml` engine, so it is imported only when asked for.
 */
import type { FormatName, Store } from "./store.js";

export type { EmitOptions, FormatName, Store } from "./store.js";

const loaders: Record<FormatName, () => Promise<Store>> = {
  yaml: async () => (await import("./yaml/index.js")).yamlStore,
  json: async () => (await import("./json.js")).jsonStore,
  dotenv: async () => (await import("./dotenv.js")).dotenvStore,
  ini: async () => (await import("./ini.js")).iniStore,
  binary: async () => (await import("./binary.js")).binaryStore,
};

/** The store for a format. */
export async function storeFor(name: FormatName): Promise<Store> {
  return loaders[name]();
}

/** Every format name, for validating `--input-type` / `--output-type`. */
export const FORMAT_NAMES: readonly FormatName[] = ["yaml", "json", "dotenv", "ini", "binary"];

/** Whether `text` names a format. */
export function isFormatName(text: string): text is FormatName {
  return (FORMAT_NAMES as readonly string[]).includes(text);
}

/**
 * The format sops infers from a path: `.yaml`/`.yml` YAML, `.json` JSON, `.env` dotenv, `.ini`
 * INI, anything else binary. Matching is case-sensitive, as in sops (`SECRETS.JSON` is binary).
 */
export function formatFromPath(path: string): FormatName {
  if (path.endsWith(".yaml") || path.endsWith(".yml")) return "yaml";
  if (path.endsWith(".json")) return "json";
  if (path.endsWith(".env")) return "dotenv";
  if (path.endsWith(".ini")) return "ini";
  return "binary";
}
