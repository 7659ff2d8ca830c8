/**
 * The KRM functions protocol (kustomize's exec functions, kpt): a ResourceList comes in on stdin
 * (`items`, and the generator config as `functionConfig`), a ResourceList goes out on stdout with
 * the input items, the generated ones, and `results` saying what went wrong. Pure: the generator
 * reaches files only through the {@link GeneratorIo} it is given.
 */
import { parse } from "yaml";
import { CofferError, isCofferError, type ErrorCode } from "../errors.js";
import { isRecord } from "../records.js";
import { generate, parseGeneratorConfig, type GeneratorIo, type KubeObject } from "./generator.js";

export const RESOURCE_LIST_KIND = "ResourceList";
/** The version kustomize and kpt send today, and the older one some tools still send. */
const RESOURCE_LIST_VERSIONS = ["config.kubernetes.io/v1", "config.kubernetes.io/v1alpha1"];

export interface KrmResult {
  message: string;
  severity: "error" | "warning" | "info";
  file?: { path: string };
  tags?: Record<string, string>;
}

export interface ResourceList {
  apiVersion: string;
  kind: typeof RESOURCE_LIST_KIND;
  items: KubeObject[];
  functionConfig?: KubeObject;
  results?: KrmResult[];
}

function malformed(message: string): CofferError {
  return new CofferError("GENERATOR_INVALID", message, {
    hint: "run the function through kustomize ('kubectl kustomize --enable-alpha-plugins'), or pipe it a ResourceList",
  });
}

/** Parses the ResourceList a KRM function receives (YAML or JSON). */
export function parseResourceList(text: string): ResourceList {
  let value: unknown;
  try {
    value = parse(text, { uniqueKeys: true, maxAliasCount: 100 });
  } catch {
    throw new CofferError("FORMAT_INVALID", "the input is not a YAML or JSON ResourceList", { hint: "the function reads one ResourceList on stdin" });
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw malformed("the input is not a ResourceList");
  const list = value as Record<string, unknown>;
  if (list.kind !== RESOURCE_LIST_KIND || typeof list.apiVersion !== "string" || !RESOURCE_LIST_VERSIONS.includes(list.apiVersion)) {
    throw malformed(`the input is not a ResourceList (expected apiVersion ${RESOURCE_LIST_VERSIONS[0]}, kind ${RESOURCE_LIST_KIND})`);
  }
  const items = list.items ?? [];
  if (!Array.isArray(items) || !items.every(isRecord)) {
    throw malformed("the ResourceList's items is not a list of objects");
  }
  const functionConfig = list.functionConfig;
  if (functionConfig !== undefined && functionConfig !== null && (typeof functionConfig !== "object" || Array.isArray(functionConfig))) {
    throw malformed("the ResourceList's functionConfig is not an object");
  }
  return {
    apiVersion: list.apiVersion,
    kind: RESOURCE_LIST_KIND,
    items: items as KubeObject[],
    ...(functionConfig === undefined || functionConfig === null ? {} : { functionConfig: functionConfig as KubeObject }),
  };
}

/**
 * Runs the generator the ResourceList's functionConfig describes: the output holds the input
 * items unchanged (kustomize drops the config item, marked local-config) and the generated ones.
 */
export async function runResourceList(input: ResourceList, io: GeneratorIo): Promise<ResourceList> {
  if (input.functionConfig === undefined) {
    throw malformed("the ResourceList has no functionConfig (the CofferGenerator)");
  }
  const config = parseGeneratorConfig(input.functionConfig);
  const generated = await generate(config, io);
  return { apiVersion: input.apiVersion, kind: RESOURCE_LIST_KIND, items: [...input.items, ...generated] };
}

/** The code and the value-free message of a failure (an unexpected one is reported as INTERNAL). */
export function describeFailure(error: unknown): { code: ErrorCode; message: string } {
  if (isCofferError(error)) return { code: error.code, message: error.hint === undefined ? error.message : `${error.message} (${error.hint})` };
  return { code: "INTERNAL", message: "internal error in coffer kustomize-function (a bug; COFFER_DEBUG=1 shows details)" };
}

/** The ResourceList a failed run answers with: the input items untouched, and an error result. */
export function failedResourceList(input: ResourceList | undefined, error: unknown): ResourceList {
  const { code, message } = describeFailure(error);
  return {
    apiVersion: input?.apiVersion ?? RESOURCE_LIST_VERSIONS[0]!,
    kind: RESOURCE_LIST_KIND,
    items: input?.items ?? [],
    results: [{ message: `${message} [${code}]`, severity: "error", tags: { "coffer.dev/code": code } }],
  };
}

/**
 * JSON is valid YAML and leaves no scalar to interpretation: a value like `on` or `0755` stays a
 * string whichever YAML version the reader speaks (kustomize's parsers mix 1.1 and 1.2 rules).
 */
export function serializeResourceList(list: ResourceList): string {
  return `${JSON.stringify(list, null, 2)}\n`;
}

/** A stream of objects for kustomize's legacy exec plugins: JSON documents separated by `---`. */
export function serializeObjects(objects: readonly KubeObject[]): string {
  return objects.map((object) => `---\n${JSON.stringify(object, null, 2)}\n`).join("");
}
