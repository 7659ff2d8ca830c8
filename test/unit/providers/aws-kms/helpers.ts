import { TreeMap } from "../../../../src/core/tree.js";
import type { KeyStanza } from "../../../../src/provider.js";
import { isCofferError } from "../../../../src/errors.js";
import { createAwsKmsProvider, type AwsKmsProviderOptions } from "../../../../providers/aws-kms/index.js";
import type { AwsKmsFake } from "../../../fakes/aws-kms/server.js";

/** A provider pointed at the fake with its static credentials and no real waits between retries. */
export function providerFor(fake: AwsKmsFake, overrides: AwsKmsProviderOptions = {}) {
  return createAwsKmsProvider({
    credentials: fake.credentials,
    endpoint: fake.url,
    stsEndpoint: fake.url,
    timeoutMs: 2_000,
    retry: { baseDelayMs: 1, maxDelayMs: 5 },
    now: () => new Date("2026-11-23T12:00:00.789Z"),
    hostname: "build-host.example",
    ...overrides,
  });
}

/** A `kms` template as .sops.yaml would produce it. */
export function kmsTemplate(arn: string, extra: { role?: string; context?: Record<string, string>; awsProfile?: string } = {}): KeyStanza {
  const fields = new TreeMap([{ key: "arn", value: arn }]);
  if (extra.role !== undefined) fields.set("role", extra.role);
  if (extra.context !== undefined) fields.set("context", TreeMap.from(extra.context));
  fields.set("aws_profile", extra.awsProfile ?? "");
  return { type: "kms", fields };
}

/** A copy of a stanza with one field replaced. */
export function withField(stanza: KeyStanza, key: string, value: TreeMap | string): KeyStanza {
  const fields = new TreeMap(stanza.fields.entries().map((entry) => ({ ...entry })));
  fields.set(key, value);
  return { type: stanza.type, fields };
}

/** The CofferError code a promise rejects with ("RESOLVED" if it does not reject). */
export async function rejectionCode(promise: Promise<unknown>): Promise<string> {
  return promise.then(
    () => "RESOLVED",
    (error: unknown) => (isCofferError(error) ? error.code : `NOT_A_COFFER_ERROR: ${String(error)}`),
  );
}
