/**
 * The shared provider contract against the GCP KMS provider: over gRPC and REST against the
 * local fake, and against real Cloud KMS when COFFER_IT_GCP_KMS_RESOURCE_ID is set.
 */
import { afterAll, beforeAll, describe } from "vitest";
import { TreeMap } from "../../src/core/tree.js";
import type { KeyStanza } from "../../src/provider.js";
import { createGcpKmsProvider } from "../../providers/gcp-kms/index.js";
import { loadGcpKmsProvider } from "../../providers/gcp-kms/load.js";
import { FAKE_KEY, gcpKmsOptionsForFake, startGcpKmsFake, type GcpKmsFake } from "../fakes/gcp-kms/index.js";
import { describeProviderContract } from "./provider-contract.js";

/** Flips one byte inside the ciphertext (still valid base64), so the service must reject it. */
function tamper(wrapped: KeyStanza): KeyStanza {
  const fields = new TreeMap(wrapped.fields.items.map((item) => ({ ...item })));
  const blob = Buffer.from(String(fields.get("enc")), "base64");
  const at = blob.length - 20;
  blob[at] = (blob[at] ?? 0) ^ 0x01;
  fields.set("enc", blob.toString("base64"));
  return { type: wrapped.type, fields };
}

let fake: GcpKmsFake;
beforeAll(async () => {
  fake = await startGcpKmsFake();
});
afterAll(async () => {
  await fake.close();
});

for (const transport of ["grpc", "rest"] as const) {
  describe(`fake over ${transport}`, () => {
    describeProviderContract(`gcp-kms (${transport})`, async () => ({
      provider: createGcpKmsProvider({ ...gcpKmsOptionsForFake(fake, transport), retry: { attempts: 1 } }),
      key: { type: "gcp_kms", fields: TreeMap.from({ resource_id: FAKE_KEY }) },
      tamper,
      failureCodes: ["CIPHERTEXT_INVALID"],
    }));
  });
}

const realKey = process.env.COFFER_IT_GCP_KMS_RESOURCE_ID;
if (realKey === undefined || realKey === "") {
  console.log("gcp-kms integration skipped: set COFFER_IT_GCP_KMS_RESOURCE_ID (and Google credentials) to run it");
} else {
  describe("real Cloud KMS", () => {
    describeProviderContract("gcp-kms (real)", async () => ({
      // The CLI path: credentials and transport from the environment, as a user would run it.
      provider: await loadGcpKmsProvider({ env: { ...process.env }, homeDir: process.env.HOME ?? "", platform: process.platform }),
      key: { type: "gcp_kms", fields: TreeMap.from({ resource_id: realKey }) },
      tamper,
      failureCodes: ["CIPHERTEXT_INVALID"],
    }));
  });
}
