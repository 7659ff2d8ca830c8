/**
 * The shared provider contract against the AWS KMS provider: against the local JSON 1.1 fake
 * (with and without an encryption context, and through an assumed role), and against real
 * AWS KMS when COFFER_IT_AWS_KMS_ARN is set (see providers/aws-kms/README.md).
 */
import { afterAll, beforeAll, describe } from "vitest";
import { TreeMap } from "../../src/core/tree.js";
import type { KeyStanza } from "../../src/provider.js";
import { createAwsKmsProvider } from "../../providers/aws-kms/index.js";
import { loadAwsKmsProvider } from "../../providers/aws-kms/load.js";
import { startAwsKmsFake, type AwsKmsFake } from "../fakes/aws-kms/server.js";
import { describeProviderContract } from "./provider-contract.js";

/** Flips one byte of the CiphertextBlob (still valid base64): the service must reject it. */
function tamper(wrapped: KeyStanza): KeyStanza {
  const fields = new TreeMap(wrapped.fields.items.map((item) => ({ ...item })));
  const blob = Buffer.from(String(fields.get("enc")), "base64");
  const at = blob.length - 20;
  blob[at] = (blob[at] ?? 0) ^ 0x01;
  fields.set("enc", blob.toString("base64"));
  return { type: wrapped.type, fields };
}

function template(arn: string, extra: Record<string, TreeMap | string> = {}): KeyStanza {
  return { type: "kms", fields: TreeMap.from({ arn, ...extra, aws_profile: "" }) };
}

let fake: AwsKmsFake;
beforeAll(async () => {
  fake = await startAwsKmsFake();
});
afterAll(async () => {
  await fake.close();
});

function fakeProvider() {
  return createAwsKmsProvider({ credentials: fake.credentials, endpoint: fake.url, stsEndpoint: fake.url, retry: { maxAttempts: 1 } });
}

describe("fake AWS KMS", () => {
  describeProviderContract("aws-kms (fake)", async () => ({
    provider: fakeProvider(),
    key: template(fake.createKey().arn),
    tamper,
    failureCodes: ["CIPHERTEXT_INVALID"],
  }));

  describeProviderContract("aws-kms (fake, encryption context)", async () => ({
    provider: fakeProvider(),
    key: template(fake.createKey({ alias: `ctx-${Math.random().toString(36).slice(2)}` }).aliasArn ?? "", {
      context: TreeMap.from({ app: "web", env: "prod" }),
    }),
    // A changed context must fail as surely as a changed blob.
    tamper: (wrapped) => {
      const fields = new TreeMap(wrapped.fields.items.map((item) => ({ ...item })));
      fields.set("context", TreeMap.from({ app: "web", env: "dev" }));
      return { type: wrapped.type, fields };
    },
    failureCodes: ["CIPHERTEXT_INVALID"],
  }));

  describeProviderContract("aws-kms (fake, assumed role)", async () => {
    const role = fake.createRole(`contract-${Math.random().toString(36).slice(2)}`);
    return {
      provider: fakeProvider(),
      key: template(fake.createKey({ allow: [role.arn] }).arn, { role: role.arn }),
      tamper,
      failureCodes: ["CIPHERTEXT_INVALID"],
    };
  });
});

const realArn = process.env.COFFER_IT_AWS_KMS_ARN;
if (realArn === undefined || realArn === "") {
  console.log("aws-kms integration skipped: set COFFER_IT_AWS_KMS_ARN (and AWS credentials) to run it");
} else {
  const realRole = process.env.COFFER_IT_AWS_KMS_ROLE;
  describe("real AWS KMS", () => {
    describeProviderContract("aws-kms (real)", async () => ({
      // The CLI path: credentials, profile and endpoints from the environment, as a user would run it.
      provider: await loadAwsKmsProvider({ env: { ...process.env }, homeDir: process.env.HOME ?? "", platform: process.platform }),
      key: template(realArn, {
        ...(realRole === undefined || realRole === "" ? {} : { role: realRole }),
        context: TreeMap.from({ purpose: "coffer-contract-test" }),
      }),
      tamper,
      failureCodes: ["CIPHERTEXT_INVALID"],
    }));
  });
}
