/** Users never see the SDK's "Node 20 support ends" warning, and the environment is left as found. */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startAwsKmsFake, type AwsKmsFake } from "../../../fakes/aws-kms/server.js";
import { kmsTemplate, providerFor } from "./helpers.js";

let fake: AwsKmsFake;
beforeAll(async () => {
  fake = await startAwsKmsFake();
});
afterAll(async () => {
  await fake.close();
});

describe("aws kms provider: quiet SDK", () => {
  it("emits no process warning and restores AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED", async () => {
    const before = process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED;
    const emitWarning = vi.spyOn(process, "emitWarning");
    try {
      const key = fake.createKey();
      const role = fake.createRole("quiet");
      const provider = providerFor(fake);
      await provider.wrap(randomBytes(32), kmsTemplate(key.arn));
      await provider.wrap(randomBytes(32), kmsTemplate(key.arn, { role: role.arn }));
      const texts = emitWarning.mock.calls.map((call) => String(call[0]));
      expect(texts.filter((text) => text.includes("NodeVersionSupportWarning"))).toEqual([]);
      expect(process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED).toBe(before);
    } finally {
      emitWarning.mockRestore();
    }
  });
});
