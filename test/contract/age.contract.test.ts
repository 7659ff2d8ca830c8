import { TreeMap } from "../../src/core/tree.js";
import { createAgeProvider, generateAgeIdentity, parseAgeIdentities } from "../../providers/age/index.js";
import { describeProviderContract } from "./provider-contract.js";

describeProviderContract("age", async () => {
  const generated = await generateAgeIdentity({});
  const { identities } = await parseAgeIdentities(generated.fileText, "contract");
  return {
    provider: createAgeProvider({ identities }),
    key: { type: "age", fields: TreeMap.from({ recipient: generated.recipient }) },
    tamper: (wrapped) => {
      const fields = new TreeMap(wrapped.fields.items.map((item) => ({ ...item })));
      const enc = String(fields.get("enc"));
      // Change one base64 character of the payload line before the END marker.
      const at = enc.lastIndexOf("\n-----END") - 5;
      fields.set("enc", enc.slice(0, at) + (enc[at] === "A" ? "B" : "A") + enc.slice(at + 1));
      return { type: wrapped.type, fields };
    },
  };
});
